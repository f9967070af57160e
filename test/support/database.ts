/**
 * Databases for tests.
 *
 * Which hook:
 * - `useTestDatabase(provider)`: an empty database for each test of a describe block (one
 *   database and Prisma client per block, emptied before each test: Prisma compiles a query once
 *   per client, so a client per test would compile the same queries again and again);
 * - `useServiceContext(provider, { now, timeZone })`: the same, with the `ctx` services take;
 * - `createTestDatabase(provider)`: a database of one's own, closed (and deleted) by `close()`;
 * - `createEmptyTestDatabase(provider)`: an unmigrated one, for tests of the migrator.
 *
 *   describe.each(sqliteOnly)('listing on %s', (provider) => {
 *     const { database, ctx } = useServiceContext(provider, { now });
 *     it('...', async () => { await listSubscriptions(ctx, {}); });
 *   });
 *
 * Which providers: the two dialects differ in SQL, types, collation, locking and the errors
 * their drivers raise, not in what a service decides. So
 * - `dialectProviders` (SQLite, and PostgreSQL when its server answers) for tests where the
 *   dialect matters: repositories and their queries (filters, ordering, paging, prefixes), raw
 *   SQL, migrations, concurrency, and every state change that must happen once (unique keys that
 *   guard the digest, reminders, take-overs, job slots, the outbox);
 * - `sqliteOnly` for everything else: the logic and wording of services and jobs, Slack
 *   round trips, the demo tenant.
 * In a suite on `dialectProviders` whose tests only partly depend on the dialect,
 * `onSqliteOnly(provider)` declares a test on SQLite alone.
 *
 * The databases are copies of templates migrated with the real migrator once per run by
 * test/support/global-setup.ts. SQLite: a copy of the template file, in a folder of the run's
 * temp folder. PostgreSQL (server at TEST_POSTGRES_URL, default
 * postgresql://postgres@127.0.0.1:5432/test): a new schema `test_<run>_<random>` of that database
 * (URL `...?schema=...`), made by running the migration files in it, one round trip each, and
 * dropped after close. A schema rather than a database: CREATE/DROP DATABASE cost 0.2-1 s each
 * (DROP forces a checkpoint), a schema a few milliseconds, and parallel test files cannot
 * collide. The run's teardown deletes whatever a test left behind.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, inject, it, type TestAPI } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { loadMigrations, migrationsDirFor, postgresTargetFromUrl, postgresUrlWithSchema } from '../../src/db/migrate.js';
import type { ServiceContext } from '../../src/services/context.js';
import { shownUrl } from './global-setup.js';

export type TestProvider = 'sqlite' | 'postgresql';
export type { Database };

const postgres = inject('postgres');

/** For tests where the SQL dialect matters: SQLite always, PostgreSQL when its server answers. */
export const dialectProviders: readonly TestProvider[] = postgres.available ? ['sqlite', 'postgresql'] : ['sqlite'];

/** For tests where the dialect does not matter. */
export const sqliteOnly: readonly TestProvider[] = ['sqlite'];

/**
 * `it` on SQLite; on another provider, declares nothing: for the tests of a `dialectProviders`
 * suite that do not depend on the dialect.
 */
export function onSqliteOnly(provider: TestProvider): TestAPI {
  return provider === 'sqlite' ? it : declaresNothing;
}

/** Takes any call and any modifier (`.skip`, `.each([...])`, ...) and declares no test. */
const declaresNothing: TestAPI = new Proxy(() => {}, {
  get: () => declaresNothing,
  apply: () => declaresNothing,
}) as unknown as TestAPI;

export interface TestDatabase extends Database {
  /** Its DATABASE_URL. */
  url: string;
  /** Deletes every row but the migrator's records: the database is as created. */
  empty(): Promise<void>;
}

export async function createTestDatabase(provider: TestProvider): Promise<TestDatabase> {
  return provider === 'sqlite' ? createSqliteTestDatabase() : createPostgresTestDatabase();
}

/**
 * An empty database for each test of the calling describe block. The block keeps one database
 * (and its Prisma client, which has then compiled its queries once) and empties it before each
 * test; it is closed after the block's last test, or replaced after a test that closed it. The
 * returned object stands for the current test's database.
 */
export function useTestDatabase(provider: TestProvider): TestDatabase {
  let kept: TestDatabase | undefined;
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    if (kept) {
      try {
        await kept.empty();
      } catch {
        // Closed by the previous test, or left in a state that cannot be emptied: a new one.
        await kept.close().catch(() => {});
        kept = undefined;
      }
    }
    kept ??= await createTestDatabase(provider);
    current = kept;
  });
  afterEach(() => {
    current = undefined;
  });
  afterAll(async () => {
    await kept?.close();
    kept = undefined;
  });
  const now = (): TestDatabase => {
    if (!current) throw new Error('The test database is used outside the tests of its describe block');
    return current;
  };
  return {
    get prisma() {
      return now().prisma;
    },
    get provider() {
      return now().provider;
    },
    get url() {
      return now().url;
    },
    empty: () => now().empty(),
    close: () => now().close(),
  };
}

/**
 * For service tests: a database for each test (as `useTestDatabase`) and the context services
 * take, over that database, at `now` in `timeZone` (default UTC).
 */
export function useServiceContext(provider: TestProvider, options: { now: Date; timeZone?: string }): { database: TestDatabase; ctx: ServiceContext } {
  const database = useTestDatabase(provider);
  const ctx: ServiceContext = {
    get prisma() {
      return database.prisma;
    },
    now: options.now,
    timeZone: options.timeZone ?? 'UTC',
  };
  return { database, ctx };
}

/** Tables the database's triggers write to (src/db/repositories/counters.ts): emptied after the tables they count. */
const COUNTED_BY_TRIGGERS = ['SelfServiceTotal'];
const countedLast = (tables: string[]) => [...tables.filter((t) => !COUNTED_BY_TRIGGERS.includes(t)), ...tables.filter((t) => COUNTED_BY_TRIGGERS.includes(t))];

// --- SQLite ---------------------------------------------------------------------------------

/** A new folder in the run's folder, which the run's teardown deletes with whatever a test left. */
function newSqliteFolder(): string {
  return mkdtempSync(path.join(path.dirname(inject('sqliteTemplate')), 'db-'));
}

async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = newSqliteFolder();
  const file = path.join(dir, 'test.db');
  copyFileSync(inject('sqliteTemplate'), file);
  const url = `file:${file}`;
  const database = await createDatabase(url, { migrate: false });
  let closing: Promise<void> | undefined;
  return {
    ...database,
    url,
    empty: async () => {
      if (closing) throw new Error('The test database is closed');
      emptySqlite(file);
    },
    close: () => (closing ??= database.close().finally(() => rmSync(dir, { recursive: true, force: true }))),
  };
}

/** On a connection of its own, with foreign keys off for it, so the order does not matter. */
function emptySqlite(file: string): void {
  const db = new BetterSqlite3(file, { timeout: 5000 });
  try {
    db.pragma('foreign_keys = OFF');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations'")
      .pluck()
      .all() as string[];
    db.transaction(() => {
      for (const table of countedLast(tables)) db.exec(`DELETE FROM "${table}"`);
    })();
  } finally {
    db.close();
  }
}

// --- PostgreSQL -----------------------------------------------------------------------------

function unavailable(): Error {
  const problem = postgres.available ? '' : postgres.problem;
  return new Error(`PostgreSQL at ${shownUrl(postgres.url)} is not available for tests: ${problem}`);
}

let adminPool: pg.Pool | undefined;
function admin(): pg.Pool {
  // Idle connections close after a second and never keep the worker alive.
  adminPool ??= new pg.Pool({ ...postgresTargetFromUrl(postgres.url).config, max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
  return adminPool;
}

/** A new schema name of this run, and the URL that selects it. */
function newSchema(): { url: string; schema: string } {
  if (!postgres.available) throw unavailable();
  const schema = `${postgres.schemaPrefix}${randomBytes(8).toString('hex')}`;
  return { url: postgresUrlWithSchema(postgres.url, schema), schema };
}

/**
 * Drops a schema without making the test wait. One that fails or is cut short when the worker
 * stops is dropped by the run's teardown, which drops every schema of the run.
 */
function dropSchema(schema: string): void {
  admin()
    .query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    .catch(() => {});
}

let migrations: string[] | undefined;

/**
 * Makes `schema` what the migrator makes of an empty one: each migration runs as one script in
 * it (as the migrator runs them), and `_prisma_migrations` is the template's, rows included.
 */
async function migrateLikeTemplate(schema: string): Promise<void> {
  if (!postgres.available) throw unavailable();
  migrations ??= loadMigrations(migrationsDirFor('postgresql')).map((migration) => migration.sql);
  const client = await admin().connect();
  try {
    await client.query(
      `CREATE SCHEMA "${schema}";` +
        `CREATE TABLE "${schema}"._prisma_migrations (LIKE "${postgres.templateSchema}"._prisma_migrations INCLUDING ALL);` +
        `INSERT INTO "${schema}"._prisma_migrations SELECT * FROM "${postgres.templateSchema}"._prisma_migrations`,
    );
    // SET LOCAL lasts for the one implicit transaction of a multi-statement query.
    for (const sql of migrations) await client.query(`SET LOCAL search_path TO "${schema}";\n${sql}`);
  } finally {
    client.release();
  }
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const { url, schema } = newSchema();
  let database: Database;
  try {
    await migrateLikeTemplate(schema);
    database = await createDatabase(url, { migrate: false });
  } catch (error) {
    dropSchema(schema);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...database,
    url,
    empty: async () => {
      if (closing) throw new Error('The test database is closed');
      await emptyPostgres(schema);
    },
    close: () => (closing ??= database.close().then(() => dropSchema(schema))),
  };
}

let deleteOrder: Promise<string[]> | undefined;

/**
 * The tables of the template (the migrator's own left out), each after every table that
 * references it: the order in which DELETE meets no foreign key.
 */
async function tablesInDeleteOrder(): Promise<string[]> {
  if (!postgres.available) throw unavailable();
  const { rows } = await admin().query<{ name: string; refs: string[] }>(
    `SELECT c.relname AS name,
            array(SELECT DISTINCT r.relname FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
                  WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid)::text[] AS refs
       FROM pg_class c
      WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'`,
    [postgres.templateSchema],
  );
  const order: string[] = [];
  const left = new Map(rows.map((row) => [row.name, row.refs]));
  while (left.size > 0) {
    const referenced = new Set([...left.values()].flat());
    const free = [...left.keys()].filter((name) => !referenced.has(name));
    if (free.length === 0) throw new Error(`Cannot order the deletes: the foreign keys of ${[...left.keys()].join(', ')} form a cycle`);
    for (const name of free.sort()) {
      order.push(name);
      left.delete(name);
    }
  }
  return order;
}

async function emptyPostgres(schema: string): Promise<void> {
  deleteOrder ??= tablesInDeleteOrder();
  const tables = await deleteOrder;
  await admin().query(
    countedLast(tables)
      .map((table) => `DELETE FROM "${schema}"."${table}"`)
      .join(';\n'),
  );
}

export interface EmptyTestDatabase {
  provider: TestProvider;
  /** A DATABASE_URL for createDatabase / migrate. */
  url: string;
  /** Deletes the database (SQLite: its folder). */
  drop(): Promise<void>;
}

/** An empty, unmigrated database: for tests of the migrator itself. */
export async function createEmptyTestDatabase(provider: TestProvider): Promise<EmptyTestDatabase> {
  if (provider === 'sqlite') {
    const dir = newSqliteFolder();
    return {
      provider,
      url: `file:${path.join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { url, schema } = newSchema();
  await admin().query(`CREATE SCHEMA "${schema}"`);
  return {
    provider,
    url,
    drop: async () => {
      dropSchema(schema);
    },
  };
}
