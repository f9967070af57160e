/**
 * Databases for tests: each `createTestDatabase(provider)` call returns a fresh, isolated,
 * migrated database, closed (and deleted) by `close()`.
 *
 *   describe.each(testProviders)('on %s', (provider) => {
 *     let database: Database;
 *     beforeEach(async () => { database = await createTestDatabase(provider); });
 *     afterEach(async () => { await database.close(); });
 *   });
 *
 * SQLite: a file in a temp folder, deleted on close. PostgreSQL (only when the server at
 * TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test, answers): a new schema
 * test_<random> of that database (URL `...?schema=test_<random>`), migrated, and dropped with
 * CASCADE on close. A schema rather than a database: CREATE/DROP DATABASE cost 0.2-1 s each
 * (DROP forces a checkpoint), a schema a few milliseconds, and parallel test files cannot collide.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { postgresTargetFromUrl } from '../../src/db/migrate.js';

export type TestProvider = 'sqlite' | 'postgresql';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/test';

const pgConfig = (): pg.ClientConfig => postgresTargetFromUrl(POSTGRES_URL).config;

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ ...pgConfig(), connectionTimeoutMillis: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Tells once per test run (not once per test file) why the PostgreSQL tests are skipped. */
function noticeOnce(message: string): void {
  const marker = path.join(os.tmpdir(), `ssp-test-postgres-skipped-${process.ppid}`);
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    return; // another test file of this run already said it
  }
  console.warn(message);
}

const postgresUnavailable = await postgresProblem();
if (postgresUnavailable) {
  noticeOnce(
    `PostgreSQL tests are skipped: no usable server at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')} ` +
      `(${postgresUnavailable}). Start PostgreSQL there (or set TEST_POSTGRES_URL) to run them.`,
  );
}

/** The providers to run database tests on: SQLite always, PostgreSQL when its server answers. */
export const testProviders: TestProvider[] = postgresUnavailable ? ['sqlite'] : ['sqlite', 'postgresql'];

export type { Database };

export async function createTestDatabase(provider: TestProvider): Promise<Database> {
  return provider === 'sqlite' ? createSqliteTestDatabase() : createPostgresTestDatabase();
}

async function createSqliteTestDatabase(): Promise<Database> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-test-db-'));
  const database = await createDatabase(`file:${path.join(dir, 'test.db')}`);
  let closing: Promise<void> | undefined;
  return {
    ...database,
    close: () =>
      (closing ??= database.close().finally(() => rmSync(dir, { recursive: true, force: true }))),
  };
}

// --- PostgreSQL -----------------------------------------------------------------------------

let adminPool: pg.Pool | undefined;
function admin(): pg.Pool {
  adminPool ??= new pg.Pool({ ...pgConfig(), max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
  return adminPool;
}

/** A URL for a new schema of the test database; the schema is created by the migrator. */
function newSchemaUrl(): { url: string; schema: string } {
  const schema = `test_${randomBytes(8).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema };
}

async function dropSchema(schema: string): Promise<void> {
  await admin().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

async function createPostgresTestDatabase(): Promise<Database> {
  if (postgresUnavailable) {
    throw new Error(`PostgreSQL is not available for tests: ${postgresUnavailable}`);
  }
  const { url, schema } = newSchemaUrl();
  let database: Database;
  try {
    database = await createDatabase(url);
  } catch (error) {
    await dropSchema(schema);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...database,
    close: () => (closing ??= database.close().then(() => dropSchema(schema))),
  };
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
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-test-db-'));
    return {
      provider,
      url: `file:${path.join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (postgresUnavailable) throw new Error(`PostgreSQL is not available for tests: ${postgresUnavailable}`);
  const { url, schema } = newSchemaUrl();
  await admin().query(`CREATE SCHEMA "${schema}"`);
  return { provider, url, drop: () => dropSchema(schema) };
}

/** Closes this process's admin connections (they also close by themselves when idle). */
export async function releaseTestDatabases(): Promise<void> {
  const pool = adminPool;
  adminPool = undefined;
  await pool?.end();
}

// Registered while the importing test file is collected, so it runs after that file's tests.
afterAll(releaseTestDatabases);
