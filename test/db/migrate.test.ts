import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadMigrations,
  migrate,
  MigrationError,
  migrationsDirFor,
  postgresTargetFromUrl,
  sqliteFilenameFromUrl,
  type DatabaseProvider,
} from '../../src/db/migrate.js';
import { withSchemaEngine } from '../../scripts/lib/schema-engine.js';
import { createEmptyTestDatabase, dialectProviders, type EmptyTestDatabase } from '../support/database.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: unknown;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  started_at: unknown;
  applied_steps_count: number | bigint;
}

async function query<T>(database: EmptyTestDatabase, sql: string): Promise<T[]> {
  if (database.provider === 'sqlite') {
    const db = new Database(sqliteFilenameFromUrl(database.url), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresTargetFromUrl(database.url).config);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const migrationRows = (database: EmptyTestDatabase) => query<MigrationRow>(database, 'SELECT * FROM _prisma_migrations ORDER BY migration_name, started_at');

async function tableNames(database: EmptyTestDatabase): Promise<string[]> {
  const rows =
    database.provider === 'sqlite'
      ? await query<{ name: string }>(database, "SELECT name FROM sqlite_master WHERE type = 'table'")
      : await query<{ name: string }>(database, 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()');
  return rows.map((row) => row.name).sort();
}

/** A copy of the repository's migrations that a test may edit. */
function copyOfMigrations(provider: DatabaseProvider): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-migrations-'));
  cpSync(migrationsDirFor(provider), dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

describe.each(dialectProviders)('the runtime migrator on %s', (provider) => {
  let database: EmptyTestDatabase;
  const tempDirs: string[] = [];
  const repoMigrations = loadMigrations(migrationsDirFor(provider));

  beforeEach(async () => {
    database = await createEmptyTestDatabase(provider);
  });

  afterEach(async () => {
    await database.drop();
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function editableMigrations(): string {
    const dir = copyOfMigrations(provider);
    tempDirs.push(dir);
    return dir;
  }

  it('finds the repository migrations of the provider, oldest first', () => {
    expect(repoMigrations.length).toBeGreaterThan(0);
    expect(repoMigrations.map((m) => m.name)).toEqual([...repoMigrations.map((m) => m.name)].sort());
    expect(repoMigrations[0]?.name).toMatch(/^\d{14}_init$/);
  });

  it('migrates a fresh database and records each migration as Prisma does', async () => {
    const before = Date.now();

    const result = await migrate(database.url);

    expect(result.applied).toEqual(repoMigrations.map((m) => m.name));
    expect(await tableNames(database)).toEqual(
      expect.arrayContaining(['AuditEvent', 'LicenseAssignment', 'Person', 'Product', 'Subscription', '_prisma_migrations']),
    );
    const rows = await migrationRows(database);
    expect(rows.map((row) => row.migration_name)).toEqual(repoMigrations.map((m) => m.name));
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
      // SQLite: Unix milliseconds, as Prisma's engine writes them; PostgreSQL: timestamptz.
      const started = provider === 'sqlite' ? Number(row.started_at) : (row.started_at as Date).getTime();
      const finished = provider === 'sqlite' ? Number(row.finished_at) : (row.finished_at as Date).getTime();
      expect(started).toBeGreaterThanOrEqual(before - 1000);
      expect(finished).toBeGreaterThanOrEqual(started);
    }
  });

  it('does nothing when run a second time', async () => {
    await migrate(database.url);
    const rowsAfterFirstRun = await migrationRows(database);

    const second = await migrate(database.url);

    expect(second.applied).toEqual([]);
    expect(await migrationRows(database)).toEqual(rowsAfterFirstRun);
  });

  it('stores the sha256 hex digest of migration.sql as the checksum', async () => {
    await migrate(database.url);

    const rows = await migrationRows(database);
    for (const row of rows) {
      const file = path.join(migrationsDirFor(provider), row.migration_name, 'migration.sql');
      expect(row.checksum).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    }
  });

  it('applies only the migrations added since the last run', async () => {
    const dir = editableMigrations();
    await migrate(database.url, { migrationsDir: dir });
    addMigration(dir, '29990101000000_add_note', 'CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY);\nCREATE INDEX "Note_id_idx" ON "Note"("id");\n');

    const result = await migrate(database.url, { migrationsDir: dir });

    expect(result.applied).toEqual(['29990101000000_add_note']);
    expect(await tableNames(database)).toContain('Note');
  });

  it('refuses to run when an applied migration was edited afterwards, naming it', async () => {
    const dir = editableMigrations();
    await migrate(database.url, { migrationsDir: dir });
    const name = repoMigrations[0]!.name;
    writeFileSync(path.join(dir, name, 'migration.sql'), `${readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')}\n-- edited\n`);

    const error = await migrate(database.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'edited_migration', migrationName: name });
    expect((error as Error).message).toContain(`Migration ${name} was modified after it was applied`);
    expect((error as Error).message).toContain('new migration');
  });

  it('accepts an applied migration whose line endings were converted', async () => {
    const dir = editableMigrations();
    await migrate(database.url, { migrationsDir: dir });
    const file = path.join(dir, repoMigrations[0]!.name, 'migration.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));

    await expect(migrate(database.url, { migrationsDir: dir })).resolves.toEqual({ applied: [] });
  });

  it('rolls a failing migration back, records it as failed and stops there until it is resolved', async () => {
    const dir = editableMigrations();
    addMigration(dir, '29990101000000_broken', 'CREATE TABLE "Half" ("id" TEXT NOT NULL PRIMARY KEY);\nSELECT * FROM "NoSuchTable";\n');
    addMigration(dir, '29990102000000_after', 'CREATE TABLE "After" ("id" TEXT NOT NULL PRIMARY KEY);\n');

    const error = await migrate(database.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'migration_failed', migrationName: '29990101000000_broken' });
    expect((error as Error).message).toMatch(/NoSuchTable/);
    const tables = await tableNames(database);
    expect(tables).toContain('Product'); // the migrations before it stay applied
    expect(tables).not.toContain('Half');
    expect(tables).not.toContain('After');
    const failed = (await migrationRows(database)).find((row) => row.migration_name === '29990101000000_broken');
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null });
    expect(failed?.logs).toMatch(/NoSuchTable/);

    const again = await migrate(database.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'failed_migration', migrationName: '29990101000000_broken' });
    expect((again as Error).message).toContain('prisma migrate resolve --rolled-back 29990101000000_broken');
  });

  it('applies each migration once when two migrators start together', async () => {
    let results: string[][];
    if (provider === 'postgresql') {
      results = (await Promise.all([migrate(database.url), migrate(database.url)])).map((r) => r.applied);
    } else {
      // better-sqlite3 is synchronous: real concurrency needs two processes.
      const run = promisify(execFile);
      const script =
        `import { migrate } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'src/db/migrate.ts')).href)};` +
        `const r = await migrate(${JSON.stringify(database.url)}); console.log(JSON.stringify(r.applied));`;
      const outputs = await Promise.all([0, 1].map(() => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot })));
      results = outputs.map((output) => JSON.parse(output.stdout.trim().split('\n').at(-1)!) as string[]);
    }

    const all = repoMigrations.map((m) => m.name);
    expect(results).toContainEqual(all);
    expect(results.flat().sort()).toEqual([...all].sort());
    expect((await migrationRows(database)).map((row) => row.migration_name)).toEqual(all);
  });

  it("agrees with Prisma's own schema engine about what is applied", async () => {
    await migrate(database.url);

    // The WASM build of Prisma's schema engine, reading the history this migrator wrote.
    const schemaPath = path.join(repoRoot, 'prisma', ...(provider === 'postgresql' ? ['postgresql'] : []), 'schema.prisma');
    const adapterFactory =
      provider === 'sqlite'
        ? new (await import('@prisma/adapter-better-sqlite3')).PrismaBetterSqlite3({ url: database.url })
        : new (await import('@prisma/adapter-pg')).PrismaPg(postgresTargetFromUrl(database.url).config, {
            schema: postgresTargetFromUrl(database.url).schema!,
          });
    const migrationsDir = migrationsDirFor(provider);
    const migrationsList = {
      baseDir: migrationsDir,
      lockfile: { path: 'migration_lock.toml', content: readFileSync(path.join(migrationsDir, 'migration_lock.toml'), 'utf8') },
      shadowDbInitScript: '',
      migrationDirectories: repoMigrations.map((m) => ({
        path: m.name,
        migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: m.sql } },
      })),
    };
    const filters = { externalTables: [], externalEnums: [] };

    const { diagnosis, applied } = await withSchemaEngine({ adapterFactory, schemaPath, schemaText: readFileSync(schemaPath, 'utf8') }, async (engine) => ({
      diagnosis: await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters }),
      applied: await engine.applyMigrations({ migrationsList, filters }),
    }));

    expect(diagnosis).toMatchObject({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
    expect(applied).toEqual({ appliedMigrationNames: [] });
  });
});

describe('migrate', () => {
  it.each(['mysql://root@localhost/db', 'file:'])('refuses the DATABASE_URL %j with the message the bot shows for it', async (url) => {
    const error = await migrate(url).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'bad_input' });
    expect((error as { userMessage: string }).userMessage).toContain('DATABASE_URL must be a SQLite file such as `file:');
  });
});
