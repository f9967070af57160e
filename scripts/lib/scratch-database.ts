/**
 * Scratch databases holding what the committed migrations produce: the "before" side of a
 * migration diff. The migrations are applied by the bot's own migrator (src/db/migrate.ts), so a
 * migration the bot could not apply fails here first.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import {
  MigrationError,
  migratePostgres,
  migrateSqlite,
  postgresTargetFromUrl,
  postgresUrlWithSchema,
  type DatabaseProvider,
  type MigrateResult,
} from '../../src/db/migrate.js';
import { UsageError } from './cli.js';

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';

/** The PostgreSQL server the scratch schemas are made on. */
export function migrationPostgresUrl(): string {
  return process.env.MIGRATION_POSTGRES_URL || DEFAULT_POSTGRES_URL;
}

/** A scratch database: how the schema engine reaches it, and the migrations applied to it. */
export interface ScratchDatabase {
  adapterFactory: SqlDriverAdapterFactory;
  applied: string[];
}

/**
 * Runs `fn` with a new database of the provider on which every migration of `migrationsDir` has
 * been applied; the database is deleted afterwards.
 */
export function withMigratedScratchDatabase<T>(provider: DatabaseProvider, migrationsDir: string, fn: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  return provider === 'sqlite' ? withScratchSqlite(migrationsDir, fn) : withScratchPostgres(migrationsDir, fn);
}

/** Applies the migrations, turning a migration that fails into a message about its file. */
async function replay(provider: DatabaseProvider, run: () => Promise<MigrateResult>): Promise<string[]> {
  try {
    return (await run()).applied;
  } catch (error) {
    if (!(error instanceof MigrationError && error.code === 'migration_failed')) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    throw new UsageError(
      `Migration ${error.migrationName} (${provider}) fails on a fresh database: ${cause}. Fix its migration.sql before creating or checking migrations.`,
    );
  }
}

async function withScratchSqlite<T>(migrationsDir: string, fn: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prisma-migration-'));
  const file = path.join(dir, 'scratch.db');
  try {
    const applied = await replay('sqlite', () => migrateSqlite(file, { migrationsDir }));
    return await fn({ adapterFactory: new PrismaBetterSqlite3({ url: `file:${file}` }), applied });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withScratchPostgres<T>(migrationsDir: string, fn: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  const serverUrl = migrationPostgresUrl();
  const admin = new pg.Client({ ...postgresTargetFromUrl(serverUrl).config, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new UsageError(
      `Cannot reach PostgreSQL at ${redact(serverUrl)} (${error instanceof Error ? error.message : String(error)}). ` +
        'The PostgreSQL migration needs a server to replay the existing migrations in a temporary schema: ' +
        'start one, or set MIGRATION_POSTGRES_URL to a server and database where this user may CREATE SCHEMA.',
    );
  }
  // A temporary schema rather than a temporary database (docs/decisions/postgres-schemas-not-databases.md);
  // the migrator creates it, the engine sees it through the adapter's `schema` option.
  const schema = `prisma_migration_${randomBytes(6).toString('hex')}`;
  const url = postgresUrlWithSchema(serverUrl, schema);
  try {
    const applied = await replay('postgresql', () => migratePostgres(url, { migrationsDir }));
    return await fn({ adapterFactory: new PrismaPg(postgresTargetFromUrl(url).config, { schema }), applied });
  } finally {
    try {
      // Every connection to it is closed by now (the engine's adapters are disposed).
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
