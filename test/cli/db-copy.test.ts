import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { copySqliteToPostgres } from '../../src/db/copy.js';
import { personWords } from '../../src/domain/words.js';
import { seedDemoTenant } from '../../src/tenant/local/demo-tenant.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { createEmptyTestDatabase, createTestDatabase, dialectProviders, type TestDatabase } from '../support/database.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-11-25T09:00:00Z');

function runCopy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/db-copy.ts', ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Every row of every model, in id order, as the bot reads them. */
async function everything(database: Database) {
  const p = database.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    products: await p.product.findMany(byId),
    // searchName is lower(name) as each database computes it (SQLite folds ASCII letters only): the target's own.
    people: (await p.person.findMany(byId)).map(({ searchName: _ownToEachDatabase, ...person }) => person),
    subscriptions: await p.subscription.findMany(byId),
    assignments: await p.licenseAssignment.findMany(byId),
    audit: await p.auditEvent.findMany(byId),
    policyChanges: await p.policyChange.findMany(byId),
    jobState: await p.jobState.findMany({ orderBy: { key: 'asc' } }),
    // Made by the target's triggers, not copied: the same words, since both fold alike.
    words: await p.personWord.findMany({ orderBy: [{ word: 'asc' }, { personId: 'asc' }] }),
  };
}

describe.runIf(dialectProviders.includes('postgresql'))('npm run db:copy (SQLite to PostgreSQL)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function sqliteWithDemo(): Promise<TestDatabase> {
    const sqlite = await createTestDatabase('sqlite');
    cleanups.push(() => sqlite.close());
    await seedDemoTenant(sqlite.prisma, NOW);
    // What the demo lacks: no price, no expiry, a person outside Slack, an odd name.
    const product = await aProduct(sqlite.prisma, { id: 'CFQ7TTC0ZZZZ', name: "Émoji “Quotes” 'n' Ünïcode" });
    const person = await aPerson(sqlite.prisma, { name: "O'Brien, Zoë", email: 'zoe@contoso.com' });
    await aSubscription(sqlite.prisma, { productId: product.id, purchaserId: person.id, expiresAt: null, unitPriceMinor: null, currency: null, isTrial: true });
    return sqlite;
  }

  async function emptyPostgres(): Promise<string> {
    const target = await createEmptyTestDatabase('postgresql');
    cleanups.push(() => target.drop());
    return target.url;
  }

  it('copies every table in small batches into a new schema, ids, dates and flags as they were', async () => {
    const sqlite = await sqliteWithDemo();
    const to = await emptyPostgres();

    const report = await copySqliteToPostgres({ from: sqlite.url, to, batchSize: 7 });

    const copied = await createDatabase(to, { migrate: false });
    cleanups.push(() => copied.close());
    expect(await everything(copied)).toEqual(await everything(sqlite));
    const counts = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
    expect(counts).toMatchObject({
      Subscription: 46,
      Product: await sqlite.prisma.product.count(),
      LicenseAssignment: await sqlite.prisma.licenseAssignment.count(),
    });
    expect(counts.LicenseAssignment).toBeGreaterThan(7 * 10);
    // Parents before children: the foreign keys held on every insert.
    const order = report.tables.map((t) => t.table);
    expect(order.indexOf('Product')).toBeLessThan(order.indexOf('Subscription'));
    expect(order.indexOf('Subscription')).toBeLessThan(order.indexOf('LicenseAssignment'));
    const dang = await copied.prisma.person.findFirstOrThrow({ where: { name: 'Đức Nguyễn' } });
    expect(dang.searchName).toBe('đức nguyễn');
    expect(order).not.toContain('PersonWord');
    const words = await copied.prisma.personWord.findMany({ where: { personId: dang.id }, orderBy: { word: 'asc' } });
    expect(words.map((w) => w.word)).toEqual(personWords(dang.name, dang.email).sort());
  });

  it('refuses a target that holds rows, unless told to replace them, from the command line', async () => {
    const sqlite = await sqliteWithDemo();
    const to = await emptyPostgres();
    expect((await runCopy(['--from', sqlite.url, '--to', to])).code).toBe(0);
    await sqlite.prisma.person.update({ where: { email: 'zoe@contoso.com' }, data: { name: 'Zoë O’Brien' } });

    const refused = await runCopy(['--from', sqlite.url, '--to', to]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The PostgreSQL database already holds rows');
    expect(refused.stderr).toContain('add --replace');

    const replaced = await runCopy(['--from', sqlite.url, '--to', to, '--replace']);
    expect(replaced.stderr).toBe('');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/Copied \d+ rows in \d+ tables/);
    const copied = await createDatabase(to, { migrate: false });
    cleanups.push(() => copied.close());
    expect(await everything(copied)).toEqual(await everything(sqlite));
  });

  it('says what --from and --to must be', async () => {
    const wrong = await runCopy(['--from', 'postgresql://x@localhost/db', '--to', 'file:./x.db']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--from must be a SQLite file URL such as file:./data/purchases.db');
    const none = await runCopy([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Both --from and --to are needed');
  });
});
