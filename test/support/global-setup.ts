/**
 * Once per test run, before any test file (vitest.config.ts `globalSetup`): migrates the template
 * databases that test/support/database.ts copies for each test, and checks whether PostgreSQL
 * answers. Afterwards, removes the templates and whatever a test left behind.
 *
 * - SQLite: a file migrated by the real migrator, copied byte for byte for each test.
 * - PostgreSQL: a schema `test_<run>_template` migrated by the real migrator; each test gets a
 *   schema `test_<run>_<random>` made by running the same migration files in it and copying the
 *   template's `_prisma_migrations` rows. Every schema of the run shares the prefix, so the
 *   teardown finds them all, and runs of other checkouts on the same server are left alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePostgres, migrateSqlite, postgresTargetFromUrl } from '../../src/db/migrate.js';

/** What the setup hands to the test workers (read with `inject`). */
export type PostgresForTests =
  | { available: true; url: string; templateSchema: string; schemaPrefix: string }
  | { available: false; problem: string; url: string };

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgres: PostgresForTests;
  }
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/test';

/** The URL for display: the password masked. */
export const shownUrl = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

export function schemaUrl(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set('schema', schema);
  return withSchema.toString();
}

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ ...postgresTargetFromUrl(POSTGRES_URL).config, connectionTimeoutMillis: 1500 });
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

/** Drops every schema whose name starts with `prefix`. */
async function dropSchemas(prefix: string): Promise<void> {
  const client = new pg.Client(postgresTargetFromUrl(POSTGRES_URL).config);
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1) ORDER BY nspname', [prefix]);
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-test-template-'));
  const sqliteTemplate = path.join(dir, 'template.db');
  await migrateSqlite(sqliteTemplate);
  project.provide('sqliteTemplate', sqliteTemplate);

  const problem = await postgresProblem();
  const schemaPrefix = `test_${randomBytes(4).toString('hex')}_`;
  if (problem) {
    console.warn(
      `PostgreSQL tests are skipped: no usable server at ${shownUrl(POSTGRES_URL)} (${problem}). ` +
        'Start PostgreSQL there (or set TEST_POSTGRES_URL) to run them.',
    );
    project.provide('postgres', { available: false, problem, url: POSTGRES_URL });
  } else {
    const templateSchema = `${schemaPrefix}template`;
    await migratePostgres(schemaUrl(POSTGRES_URL, templateSchema));
    project.provide('postgres', { available: true, url: POSTGRES_URL, templateSchema, schemaPrefix });
  }

  return async () => {
    if (!problem) await dropSchemas(schemaPrefix);
    rmSync(dir, { recursive: true, force: true });
  };
}
