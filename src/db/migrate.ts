/**
 * Applies pending Prisma migrations without any Prisma engine: the bot runs this when it starts.
 *
 * Each pending `migration.sql` (folders in name order) runs once and is recorded in
 * `_prisma_migrations` exactly as Prisma's schema engine records it (same table, same columns,
 * checksum = sha256 hex of migration.sql, started_at / finished_at, applied_steps_count = 1), so
 * `prisma migrate deploy` and `prisma migrate status` on a machine that has the native engine
 * agree with what was done here. Why no engine: docs/decisions/engine-free-prisma.md.
 *
 * - A migration whose file changed after it was applied, or one recorded as failed, stops
 *   everything with a MigrationError that says what to do.
 * - Replicas starting together apply each migration once: on PostgreSQL the migrator holds the
 *   same advisory lock as Prisma Migrate; on SQLite everything runs in one BEGIN IMMEDIATE
 *   transaction (one writer at a time; the others wait, then find nothing to do).
 * - Each migration is atomic: SQLite runs it inside a savepoint; PostgreSQL runs the script as one
 *   simple-protocol query, which is one implicit transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AppError } from '../domain/errors.js';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface Migration {
  /** Folder name, e.g. `20250101120000_init`. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, as Prisma stores it. */
  checksum: string;
}

export interface MigrateOptions {
  /** Where the migration folders are; defaults to the repository's folder for the provider. */
  migrationsDir?: string;
  /** Receives one line per applied migration (and warnings). Silent by default. */
  log?: (line: string) => void;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

export type MigrationErrorCode = 'edited_migration' | 'failed_migration' | 'migration_failed';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly code: MigrationErrorCode,
    readonly migrationName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The migrations folder for a provider, in the repository or in another copy of its prisma/ folder. */
export function migrationsDirFor(provider: DatabaseProvider, root: string = repoRoot): string {
  return provider === 'sqlite' ? path.join(root, 'prisma', 'migrations') : path.join(root, 'prisma', 'postgresql', 'migrations');
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Like Prisma, a checksum taken before or after a CRLF/LF conversion of the file still matches. */
function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => checksumOf(variant) === checksum);
}

/** The migrations in a folder (sub-folders holding a migration.sql), in the order they apply. */
export function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

/** A row of `_prisma_migrations`, with the timestamps as they come back from the driver. */
interface AppliedRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
}

/**
 * Which migrations still have to run, after checking that the history in the database is sound:
 * no migration left failed, no applied migration edited since.
 */
function planPending(migrations: Migration[], rows: AppliedRow[], log: (line: string) => void): Migration[] {
  const live = rows.filter((row) => row.rolled_back_at === null || row.rolled_back_at === undefined);
  const failed = live.find((row) => row.finished_at === null || row.finished_at === undefined);
  if (failed) {
    throw new MigrationError(
      'failed_migration',
      failed.migration_name,
      `Migration ${failed.migration_name} failed earlier and is recorded as failed in _prisma_migrations` +
        `${failed.logs ? ` (${failed.logs.trim().split('\n')[0]})` : ''}. No migration runs until this is resolved: ` +
        'check the database (a failed migration may have been applied in part), fix it, then mark the migration ' +
        `rolled back (\`npx prisma migrate resolve --rolled-back ${failed.migration_name}\`, or ` +
        `UPDATE _prisma_migrations SET rolled_back_at = <now> WHERE id = '${failed.id}') so it runs again, ` +
        'or applied if it was completed by hand.',
    );
  }
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();
  for (const row of live) {
    applied.add(row.migration_name);
    const migration = byName.get(row.migration_name);
    if (!migration) {
      log(`Warning: migration ${row.migration_name} is recorded in the database but has no folder here.`);
      continue;
    }
    if (!checksumMatches(migration.sql, row.checksum)) {
      throw new MigrationError(
        'edited_migration',
        row.migration_name,
        `Migration ${row.migration_name} was modified after it was applied: its migration.sql has checksum ` +
          `${migration.checksum} but the database recorded ${row.checksum}. Applied migrations must not change: ` +
          'restore the original migration.sql and put the change in a new migration (npm run db:migration -- <name>).',
      );
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

function failure(migration: Migration, error: unknown): MigrationError {
  const detail = error instanceof Error ? error.message : String(error);
  return new MigrationError(
    'migration_failed',
    migration.name,
    `Migration ${migration.name} failed: ${detail}. Its changes were rolled back and it is recorded as failed in ` +
      '_prisma_migrations: fix the cause, then mark it rolled back ' +
      `(\`npx prisma migrate resolve --rolled-back ${migration.name}\`) so that it runs again.`,
    { cause: error },
  );
}

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/**
 * Migrates a SQLite database file (created if missing, with its folder). Also switches the file
 * to WAL, which SQLite remembers for the file.
 */
export async function migrateSqlite(filename: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = loadMigrations(options.migrationsDir ?? migrationsDirFor('sqlite'));
  if (filename !== ':memory:') mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  // A long busy timeout: another replica may be applying migrations right now.
  const db = new Database(filename, { timeout: 60_000 });
  try {
    db.pragma('journal_mode = WAL');
    // Prisma's table-redefinition scripts turn foreign keys off around DROP TABLE; inside a
    // transaction that PRAGMA is ignored, so it is off for this whole connection instead
    // (else DROP TABLE's implicit DELETE would fire ON DELETE actions on other tables).
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    const applied: string[] = [];
    let failed: MigrationError | undefined;
    try {
      db.exec(SQLITE_MIGRATIONS_TABLE);
      const rows = db
        .prepare('SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at')
        .all() as AppliedRow[];
      for (const migration of planPending(migrations, rows, log)) {
        const id = randomUUID();
        // Prisma's native engine writes SQLite DateTime values as Unix milliseconds.
        db.prepare('INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)').run(
          id,
          migration.checksum,
          Date.now(),
          migration.name,
        );
        db.exec('SAVEPOINT prisma_migration');
        try {
          db.exec(migration.sql);
          db.exec('RELEASE prisma_migration');
        } catch (error) {
          db.exec('ROLLBACK TO prisma_migration');
          db.exec('RELEASE prisma_migration');
          failed = failure(migration, error);
          db.prepare('UPDATE "_prisma_migrations" SET logs = ? WHERE id = ?').run(failed.message, id);
          break;
        }
        db.prepare('UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = ? WHERE id = ?').run(Date.now(), id);
        applied.push(migration.name);
        log(`Applied migration ${migration.name}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    if (failed) throw failed;
    return { applied };
  } finally {
    db.close();
  }
}

/** Prisma Migrate's own advisory lock key, so this migrator and `prisma migrate deploy` exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface PostgresTarget {
  /** pg settings; with a schema, its `options` put that schema first on the search_path. */
  config: pg.ClientConfig;
  /** The `?schema=` of the URL (Prisma's convention), when there is one. */
  schema?: string;
}

/**
 * pg settings for a postgres(ql):// URL: the one parser of PostgreSQL URLs, for the bot, the
 * migrator, the scripts and the tests. A `schema` query parameter (as in Prisma URLs) is taken
 * out of the URL, which pg would not understand, and applied through the search_path.
 *
 * The settings keep the URL as pg's `connectionString`, so pg reads everything else a URL may say
 * (sslmode, application_name, ...) and falls back to its own defaults (PGUSER, PGPASSWORD, ...)
 * for what it does not say. The price: a `database`, `host` or `user` field added to these
 * settings is ignored, as pg lets the connection string win; to reach another database or
 * schema, change the URL (`postgresUrlWithSchema`). See docs/decisions/postgres-schemas-not-databases.md.
 */
export function postgresTargetFromUrl(url: string): PostgresTarget {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const config: pg.ClientConfig = { connectionString: parsed.toString() };
  if (schema) config.options = `-c search_path=${quoteIdentifier(schema)}`;
  return schema ? { config, schema } : { config };
}

/** The same PostgreSQL URL naming another schema (`?schema=`, Prisma's convention). */
export function postgresUrlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Migrates the PostgreSQL database at `connection`: a postgres:// URL (`?schema=` honoured) or
 * pg client settings.
 */
export async function migratePostgres(connection: string | pg.ClientConfig, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = loadMigrations(options.migrationsDir ?? migrationsDirFor('postgresql'));
  const target: PostgresTarget = typeof connection === 'string' ? postgresTargetFromUrl(connection) : { config: connection };
  const client = new pg.Client(target.config);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      if (target.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(target.schema)}`);
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        'SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at',
      );
      const applied: string[] = [];
      for (const migration of planPending(migrations, rows, log)) {
        const id = randomUUID();
        await client.query('INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)', [
          id,
          migration.checksum,
          new Date(),
          migration.name,
        ]);
        try {
          // No parameters: the simple query protocol, which runs a multi-statement script as one
          // implicit transaction.
          await client.query(migration.sql);
        } catch (error) {
          const failed = failure(migration, error);
          await client.query('UPDATE _prisma_migrations SET logs = $1 WHERE id = $2', [failed.message, id]);
          throw failed;
        }
        await client.query('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = $1 WHERE id = $2', [new Date(), id]);
        applied.push(migration.name);
        log(`Applied migration ${migration.name}`);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** Path of the SQLite file named by a `file:` URL (relative paths are relative to the working directory). */
export function sqliteFilenameFromUrl(url: string): string {
  const withoutScheme = url.replace(/^file:/, '');
  const withoutQuery = withoutScheme.split('?')[0] ?? withoutScheme;
  return withoutQuery === ':memory:' ? withoutQuery : path.resolve(withoutQuery);
}

/** The provider of a DATABASE_URL; undefined for anything else, including a `file:` URL naming no file. */
export function providerOfUrl(url: string): DatabaseProvider | undefined {
  if (url.startsWith('file:')) {
    const filename = sqliteFilenameFromUrl(url);
    return filename === '' || filename === path.resolve('') ? undefined : 'sqlite';
  }
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  return undefined;
}

/** The error for a DATABASE_URL that names no database the bot can open, saying what would. */
export function unsupportedDatabaseUrl(url: string): AppError {
  const scheme = url.includes(':') ? `${url.split(':')[0]}:` : `"${url}"`;
  return new AppError(
    'bad_input',
    `Unsupported DATABASE_URL scheme ${scheme}`,
    'DATABASE_URL must be a SQLite file such as `file:./data/purchases.db` (relative to the working ' +
      'directory) or a PostgreSQL URL such as `postgresql://user:password@host:5432/database` ' +
      `(\`postgres://\` works too). The value given starts with ${scheme}`,
  );
}

/** Migrates the database at a DATABASE_URL (`file:...` or `postgres(ql)://...`). */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const provider = providerOfUrl(url);
  if (provider === 'sqlite') return migrateSqlite(sqliteFilenameFromUrl(url), options);
  if (provider === 'postgresql') return migratePostgres(url, options);
  throw unsupportedDatabaseUrl(url);
}
