import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { AppError } from '../../src/domain/errors.js';
import { aPerson, aProduct, assign, aSubscription } from '../support/builders.js';
import { createEmptyTestDatabase, createTestDatabase, dialectProviders, useTestDatabase } from '../support/database.js';

/** Every table, column, index and constraint of a database, as its catalog describes them. */
async function shapeOf(database: Database): Promise<unknown> {
  const rows = (sql: string) => database.prisma.$queryRawUnsafe<unknown[]>(sql);
  if (database.provider === 'sqlite') {
    return rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  }
  // The connection's search_path is the database's schema, so names print unqualified.
  return {
    columns: await rows(
      'SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default, character_maximum_length ' +
        'FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
    ),
    indexes: await rows(
      "SELECT tablename, indexname, replace(indexdef, current_schema() || '.', '') AS definition " +
        'FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname',
    ),
    constraints: await rows(
      'SELECT c.relname AS table_name, k.conname AS name, pg_get_constraintdef(k.oid) AS definition FROM pg_constraint k ' +
        'JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = current_schema()::regnamespace ORDER BY c.relname, k.conname',
    ),
  };
}

describe.each(dialectProviders)('createTestDatabase on %s', (provider) => {
  const open: Database[] = [];
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
  });

  it('gives a migrated database that Prisma reads and writes', async () => {
    const database = await createTestDatabase(provider);
    open.push(database);

    await database.prisma.product.create({ data: { id: 'CFQ7TTC0LH18', name: 'Power BI Pro' } });

    expect(database.provider).toBe(provider);
    expect(await database.prisma.product.findMany({ select: { id: true, policyValue: true } })).toEqual([{ id: 'CFQ7TTC0LH18', policyValue: 'Enabled' }]);
  });

  it('gives what the migrator makes of an empty database: nothing left to apply, the same tables, columns, indexes and constraints', async () => {
    const database = await createTestDatabase(provider);
    open.push(database);
    const empty = await createEmptyTestDatabase(provider);
    try {
      const migrated = await createDatabase(empty.url);
      open.push(migrated);

      expect(await migrate(database.url)).toEqual({ applied: [] });
      expect(await shapeOf(database)).toEqual(await shapeOf(migrated));
    } finally {
      await empty.drop();
    }
  });

  it('gives each call its own database', async () => {
    const first = await createTestDatabase(provider);
    const second = await createTestDatabase(provider);
    open.push(first, second);

    await first.prisma.person.create({ data: { id: 'u1', name: 'Ada', email: 'ada@example.com' } });

    expect(await second.prisma.person.count()).toBe(0);
  });

  it('enforces foreign keys', async () => {
    const database = await createTestDatabase(provider);
    open.push(database);

    const insert = database.prisma.licenseAssignment.create({
      data: { id: 'a1', subscriptionId: 'missing', userId: 'missing', assignedAt: new Date() },
    });

    await expect(insert).rejects.toMatchObject({ code: 'P2003' });
  });

  it('can be closed unbound and twice', async () => {
    const { close } = await createTestDatabase(provider);

    await close();
    await expect(close()).resolves.toBeUndefined();
  });
});

/** How many rows each table holds, the migrator's records included. */
async function rowCounts(database: Database): Promise<Record<string, number>> {
  const tables =
    database.provider === 'sqlite'
      ? await database.prisma.$queryRawUnsafe<Array<{ name: string }>>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await database.prisma.$queryRawUnsafe<Array<{ name: string }>>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await database.prisma.$queryRawUnsafe<Array<{ n: number | bigint }>>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(row!.n);
  }
  return counts;
}

describe.each(dialectProviders)('useTestDatabase on %s', (provider) => {
  const database = useTestDatabase(provider);
  let written: Record<string, number> = {};

  it('gives a test a migrated database it may fill', async () => {
    const product = await aProduct(database.prisma);
    const [buyer, user] = [await aPerson(database.prisma), await aPerson(database.prisma)];
    const subscription = await aSubscription(database.prisma, { productId: product.id, purchaserId: buyer.id });
    await assign(database.prisma, subscription.id, [user.id]);
    await database.prisma.jobState.create({ data: { key: 'digest.watermark', value: 'x', updatedAt: new Date() } });
    written = await rowCounts(database);
    expect(written).toMatchObject({ Product: 1, Person: 2, Subscription: 1, LicenseAssignment: 1, JobState: 1 });
  });

  it('gives the next test of the block the same database emptied: no row left but the migrator’s records', async () => {
    const counts = await rowCounts(database);
    expect(Object.keys(counts).sort()).toEqual(Object.keys(written).sort());
    expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([['_prisma_migrations', written._prisma_migrations]]);
    expect(written._prisma_migrations).toBeGreaterThan(0);
    expect(await migrate(database.url)).toEqual({ applied: [] });
  });

  let closedUrl = '';

  it('lets a test close its database', async () => {
    closedUrl = database.url;
    await database.close();
  });

  it('and then gives the next test a new one', async () => {
    expect(database.url).not.toBe(closedUrl);
    expect(await database.prisma.product.count()).toBe(0);
  });
});

describe('createDatabase', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a SQLite file relative to the working directory, creating its folder, in WAL mode with a busy timeout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-client-'));
    dirs.push(dir);
    const relative = path.relative(process.cwd(), path.join(dir, 'nested', 'bot.db'));

    const database = await createDatabase(`file:./${relative}`);
    try {
      expect(existsSync(path.join(dir, 'nested', 'bot.db'))).toBe(true);
      const pragma = async (name: string) => Object.values(((await database.prisma.$queryRawUnsafe(`PRAGMA ${name}`)) as object[])[0]!)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(Number(await pragma('busy_timeout'))).toBe(5000);
      expect(Number(await pragma('foreign_keys'))).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('leaves the database as it is when asked not to migrate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-client-'));
    dirs.push(dir);

    const database = await createDatabase(`file:${path.join(dir, 'empty.db')}`, { migrate: false });
    try {
      await expect(database.prisma.product.count()).rejects.toThrow();
    } finally {
      await database.close();
    }
  });

  it.each(['mysql://root@localhost/db', './data/bot.db', 'sqlserver://x', ''])('rejects the DATABASE_URL %j, naming the accepted forms', async (url) => {
    const error = await createDatabase(url).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'bad_input' });
    expect((error as AppError).userMessage).toContain('DATABASE_URL');
    expect((error as AppError).userMessage).toContain('file:');
    expect((error as AppError).userMessage).toContain('postgresql://');
  });
});
