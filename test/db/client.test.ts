import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { AppError } from '../../src/domain/errors.js';
import { createTestDatabase, testProviders } from '../support/database.js';

describe.each(testProviders)('createTestDatabase on %s', (provider) => {
  const open: Database[] = [];
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
  });

  it('gives a migrated database that Prisma reads and writes', async () => {
    const database = await createTestDatabase(provider);
    open.push(database);

    await database.prisma.product.create({ data: { id: 'CFQ7TTC0LH18', name: 'Power BI Pro' } });

    expect(database.provider).toBe(provider);
    expect(await database.prisma.product.findMany({ select: { id: true, policyValue: true } })).toEqual([
      { id: 'CFQ7TTC0LH18', policyValue: 'Enabled' },
    ]);
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
      const pragma = async (name: string) =>
        Object.values(((await database.prisma.$queryRawUnsafe(`PRAGMA ${name}`)) as object[])[0]!)[0];
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

  it.each(['mysql://root@localhost/db', './data/bot.db', 'sqlserver://x', ''])(
    'rejects the DATABASE_URL %j, naming the accepted forms',
    async (url) => {
      const error = await createDatabase(url).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'bad_input' });
      expect((error as AppError).userMessage).toContain('DATABASE_URL');
      expect((error as AppError).userMessage).toContain('file:');
      expect((error as AppError).userMessage).toContain('postgresql://');
    },
  );
});
