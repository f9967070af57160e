import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { ServiceContext } from '../../src/services/context.js';
import { importCsv, type ImportInput } from '../../src/services/import/import-csv.js';
import { markSubscription } from '../../src/services/mark-subscription.js';
import { syncTenant } from '../../src/services/sync-tenant.js';
import type { TenantDirectorySnapshot } from '../../src/tenant/port.js';
import { aPerson, aProduct, aSubscription, assign } from '../support/builders.js';
import { createTestDatabase, dialectProviders } from '../support/database.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');
const fixture = (name: string): ImportInput => ({ fileName: name, content: readFileSync(path.join(FIXTURES, name)) });

const now = new Date('2026-11-25T09:00:00Z');
const later = new Date('2026-11-26T09:00:00Z');
const admin = { slackUserId: 'U0ADMIN0001' };
const TEMPLATE_ID = (n: number) => `5d1f0c2a-1111-4000-8000-00000000000${n}`;

describe.each(dialectProviders)('importing CSV files on %s', (provider) => {
  let database: Database;

  const ctx = (at = now): ServiceContext => ({ prisma: database.prisma, now: at, timeZone: 'Europe/Berlin' });

  async function snapshotOfRecord() {
    const p = database.prisma;
    return {
      people: await p.person.count(),
      subscriptions: await p.subscription.findMany({ orderBy: { id: 'asc' } }),
      assignments: await p.licenseAssignment.findMany({ orderBy: { id: 'asc' } }),
      audit: await p.auditEvent.count(),
    };
  }

  const holdersOf = async (subscriptionId: string) =>
    (await database.prisma.licenseAssignment.findMany({ where: { subscriptionId, removedAt: null }, include: { user: true } })).map((a) => a.user.email).sort();

  beforeEach(async () => {
    database = await createTestDatabase(provider);
    await aProduct(database.prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' });
    await aProduct(database.prisma, { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' });
  });
  afterEach(async () => {
    await database.close();
  });

  it('imports the bot’s templates: subscriptions with prices and purchasers, then who holds their licenses', async () => {
    const subscriptions = await importCsv(ctx(), admin, fixture('subscriptions-template.csv'));
    expect(subscriptions).toMatchObject({ kind: 'subscriptions', accepted: 4, refused: [], changed: 6, previously: null });

    const rows = await database.prisma.subscription.findMany({ include: { purchaser: true }, orderBy: { id: 'asc' } });
    expect(
      rows.map((s) => [
        s.productId,
        s.purchaser?.email ?? null,
        s.isSelfService,
        s.licensesPurchased,
        s.unitPriceMinor,
        s.currency,
        s.isTrial,
        s.selfServiceSource,
        s.source,
      ]),
    ).toEqual([
      ['CFQ7TTC0H9MP', 'ana.lopez@contoso.com', true, 5, 1400, 'USD', false, 'import', 'csv'],
      ['CFQ7TTC0HD32', 'bo.chen@contoso.com', true, 3, 1500, 'EUR', false, 'import', 'csv'],
      ['CFQ7TTC0H9MP', 'ana.lopez@contoso.com', true, 1, 0, 'USD', true, 'import', 'csv'],
      ['CFQ7TTC0H9MP', null, false, 100, 120_000, 'USD', false, 'import', 'csv'],
    ]);
    // Dates are days in the bot's time zone; new subscriptions are first seen now (the digest's window).
    expect(rows[0]!.purchasedAt.toISOString()).toBe('2026-05-31T22:00:00.000Z');
    expect(rows[0]!.firstSeenAt).toEqual(now);

    const holders = await importCsv(ctx(), admin, fixture('holders-template.csv'));
    expect(holders).toMatchObject({ kind: 'holders', accepted: 4, refused: [], changed: 6 });
    expect(await holdersOf(TEMPLATE_ID(1))).toEqual(['ana.lopez@contoso.com', 'carl.ito@contoso.com']);
    expect(await holdersOf(TEMPLATE_ID(2))).toEqual(['bo.chen@contoso.com', 'dana.wu@contoso.com']);
    expect(await database.prisma.person.findUniqueOrThrow({ where: { email: 'carl.ito@contoso.com' } })).toMatchObject({ name: 'Carl Ito' });

    const runs = await database.prisma.importRun.findMany({ orderBy: { kind: 'desc' } });
    expect(runs.map((r) => [r.kind, r.fileName, r.accepted, r.refused, r.changed, r.by])).toEqual([
      ['subscriptions', 'subscriptions-template.csv', 4, 0, 6, 'U0ADMIN0001'],
      ['holders', 'holders-template.csv', 4, 0, 6, 'U0ADMIN0001'],
    ]);
  });

  it('refuses each bad row with its line and reason, and imports the good ones', async () => {
    const report = await importCsv(ctx(), admin, fixture('subscriptions-bad-rows.csv'));

    expect(report.accepted).toBe(1);
    expect(report.refused.map((r) => r.line)).toEqual([2, 3, 4, 5, 7, 8]);
    expect(report.refused[0]!.reason).toBe('"Licenses" must be a whole number of licenses such as 5, not "five"');
    expect(report.refused[1]!.reason).toBe('"Purchased" must be a date such as 2026-11-30 (or 11/30/2026), not "2026-13-01"');
    expect(report.refused[2]!.reason).toContain('no product "Contoso Widgets" in the record');
    expect(report.refused[3]!.reason).toContain('"Purchaser email" must be an email address');
    expect(report.refused[3]!.reason).toContain('"Trial" must be yes or no');
    expect(report.refused[4]!.reason).toBe('subscription 5d1f0c2a-2222-4000-8000-000000000005 is already on line 6');
    expect(report.refused[5]!.reason).toContain('"Status" must be Active or Deleted');
    expect((await database.prisma.subscription.findMany()).map((s) => s.id)).toEqual(['5d1f0c2a-2222-4000-8000-000000000005']);
    expect(await database.prisma.importRun.findFirstOrThrow()).toMatchObject({ accepted: 1, refused: 6, changed: 2 });
  });

  it('changes nothing when the same files are imported again', async () => {
    await importCsv(ctx(), admin, fixture('subscriptions-template.csv'));
    await importCsv(ctx(), admin, fixture('holders-template.csv'));
    const before = await snapshotOfRecord();

    const again = await importCsv(ctx(later), admin, fixture('subscriptions-template.csv'));
    const holdersAgain = await importCsv(ctx(later), admin, fixture('holders-template.csv'));

    expect(again).toMatchObject({ accepted: 4, changed: 0, previously: { at: now, by: 'U0ADMIN0001' } });
    expect(holdersAgain).toMatchObject({ accepted: 4, changed: 0 });
    expect(await snapshotOfRecord()).toEqual(before);
  });

  it('imports a file clicked twice at once (or on two replicas) once, the second after the first', async () => {
    const [first, second] = await Promise.all([
      importCsv(ctx(), admin, fixture('subscriptions-template.csv')),
      importCsv(ctx(), admin, fixture('subscriptions-template.csv')),
    ]);
    const [holders, holdersAgain] = await Promise.all([
      importCsv(ctx(), admin, fixture('holders-template.csv')),
      importCsv(ctx(), admin, fixture('holders-template.csv')),
    ]);

    expect([first.changed, second.changed].sort()).toEqual([0, first.changed + second.changed].sort());
    expect(first.changed + second.changed).toBeGreaterThan(0);
    expect(Math.min(holders.changed, holdersAgain.changed)).toBe(0);
    expect(await database.prisma.importRun.count()).toBe(4);
  });

  it('reads the admin center’s exports whatever the case, spacing and delimiter of their headers', async () => {
    const products = await importCsv(ctx(), admin, fixture('admin-center-your-products.csv'));
    expect(products).toMatchObject({ kind: 'subscriptions', accepted: 2, refused: [] });
    const powerBi = await database.prisma.subscription.findUniqueOrThrow({
      where: { id: '7e2a9b40-3333-4000-8000-000000000001' },
      include: { purchaser: true },
    });
    expect(powerBi).toMatchObject({ licensesPurchased: 10, unitPriceMinor: 1400, currency: 'USD', status: 'Active', isSelfService: true });
    expect(powerBi.purchaser?.email).toBe('erin.moss@contoso.com');
    expect(powerBi.purchasedAt.toISOString()).toBe('2026-11-04T23:00:00.000Z');
    const visio = await database.prisma.subscription.findUniqueOrThrow({ where: { id: '7e2a9b40-3333-4000-8000-000000000002' } });
    expect(visio).toMatchObject({ status: 'Deleted', expiresAt: null, unitPriceMinor: 1500, currency: 'EUR' });

    // Licenses › Export users: one product's users, named when importing. Power BI Pro has one live subscription.
    const users = await importCsv(ctx(), admin, { ...fixture('admin-center-licensed-users.csv'), product: 'power bi pro' });
    expect(users).toMatchObject({ kind: 'holders', accepted: 2, refused: [] });
    expect(await holdersOf(powerBi.id)).toEqual(['gus.hahn@contoso.com', 'hana.ivers@contoso.com']);

    // Active users export: a Licenses column of product names joined by "+"; Visio's only subscription is Deleted.
    const active = await importCsv(ctx(), admin, fixture('admin-center-active-users.csv'));
    expect(active.accepted).toBe(1);
    expect(active.refused).toEqual([{ line: 2, reason: 'no Visio Plan 2 subscription in the record that is not Deleted' }]);
    expect(active.skipped.map((s) => s.line)).toEqual([3, 4]);
    expect(active.ignoredProducts).toEqual([{ name: 'Microsoft 365 E3', rows: 2 }]);
    expect(await holdersOf(powerBi.id)).toEqual(['lea.moe@contoso.com']);
  });

  it('takes a holders file as the whole list of the subscriptions it names, and leaves other licenses alone', async () => {
    await importCsv(ctx(), admin, fixture('subscriptions-template.csv'));
    const seeded = await aPerson(database.prisma, { email: 'seeded.user@contoso.com' });
    await assign(database.prisma, TEMPLATE_ID(1), [seeded.id]);
    await importCsv(ctx(), admin, fixture('holders-template.csv'));

    const fewer = readFileSync(path.join(FIXTURES, 'holders-template.csv'), 'utf8').replace(/^.*carl\.ito.*\r\n/m, '');
    const report = await importCsv(ctx(later), admin, { fileName: 'holders-fewer.csv', content: fewer });

    expect(report).toMatchObject({ accepted: 3, changed: 1 });
    expect(await holdersOf(TEMPLATE_ID(1))).toEqual(['ana.lopez@contoso.com', 'seeded.user@contoso.com']);
    const carl = await database.prisma.licenseAssignment.findFirstOrThrow({ where: { user: { email: 'carl.ito@contoso.com' } } });
    expect(carl.removedAt).toEqual(later);
  });

  it('decides self-service over Graph’s owner, never over an admin, and a later sync keeps it so', async () => {
    const graphSubscriptionId = '7e2a9b40-4444-4000-8000-000000000001';
    const snapshot: TenantDirectorySnapshot = {
      skus: [{ skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560', skuPartNumber: 'POWER_BI_PRO', enabledUnits: 15, consumedUnits: 0, subscriptionIds: [] }],
      subscriptions: ['1', '2'].map((n) => ({
        id: `${graphSubscriptionId.slice(0, -1)}${n}`,
        commerceSubscriptionId: null,
        skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560',
        skuPartNumber: 'POWER_BI_PRO',
        status: 'Enabled' as const,
        totalLicenses: 5,
        isTrial: false,
        createdAt: new Date('2026-10-01T00:00:00Z'),
        nextLifecycleAt: null,
        ownerId: null,
        ownerType: null,
      })),
      users: [],
      skipped: [],
    };
    const skus = { skuBySkuId: () => ({ skuPartNumber: 'POWER_BI_PRO', name: 'Power BI Pro', productId: 'CFQ7TTC0H9MP' }) };
    const sync = (at: Date) =>
      syncTenant(ctx(at), { directory: { readSnapshot: async () => structuredClone(snapshot) }, skus, actor: { slackUserId: 'tenant-sync' } });
    await sync(now);
    await markSubscription(ctx(), admin, { ref: `${graphSubscriptionId.slice(0, -1)}2`, selfService: false });

    const file = [
      'Subscription id,Product,Purchaser email,Licenses,Purchased,Unit price,Currency',
      `${graphSubscriptionId.slice(0, -1)}1,Power BI Pro,ana.lopez@contoso.com,99,2020-01-01,14.00,USD`,
      `${graphSubscriptionId.slice(0, -1)}2,Power BI Pro,bo.chen@contoso.com,99,2020-01-01,14.00,USD`,
    ].join('\n');
    const report = await importCsv(ctx(), admin, { fileName: 'prices.csv', content: file });
    expect(report).toMatchObject({ accepted: 2, refused: [] });
    await sync(later);

    const [imported, marked] = await database.prisma.subscription.findMany({ include: { purchaser: true }, orderBy: { id: 'asc' } });
    // Graph stays the truth of licenses and dates; the file brings the price and the purchaser.
    expect(imported).toMatchObject({ isSelfService: true, selfServiceSource: 'import', licensesPurchased: 5, unitPriceMinor: 1400, currency: 'USD' });
    expect(imported!.purchaser?.email).toBe('ana.lopez@contoso.com');
    expect(marked).toMatchObject({ isSelfService: false, selfServiceSource: 'admin', unitPriceMinor: 1400 });
    expect(marked!.purchaser?.email).toBe('bo.chen@contoso.com');
  });

  it('leaves the record as it was when a write fails part-way', async () => {
    await injectFailureOnInsertOf(database, TEMPLATE_ID(4));
    const before = await snapshotOfRecord();
    await expect(importCsv(ctx(), admin, fixture('subscriptions-template.csv'))).rejects.toThrow();
    expect(await snapshotOfRecord()).toEqual(before);
    expect(await database.prisma.importRun.count()).toBe(0);
  });

  it('refuses a file that is neither kind, or names a product the record does not have, saying what would do', async () => {
    await expect(importCsv(ctx(), admin, { fileName: 'x.csv', content: 'Name,Colour\nAna,blue\n' })).rejects.toMatchObject({
      code: 'bad_input',
      userMessage: expect.stringContaining('Subscriptions: Subscription id, Product, Purchaser email, Licenses'),
    });
    await expect(importCsv(ctx(), admin, { ...fixture('admin-center-licensed-users.csv'), product: 'Contoso Widgets' })).rejects.toMatchObject({
      code: 'not_found',
      userMessage: expect.stringContaining('no product "Contoso Widgets" in the record'),
    });
    await expect(importCsv(ctx(), admin, { fileName: 'y.csv', content: 'Subscription id,Product,Licenses\n"abc,1\n' })).rejects.toMatchObject({
      code: 'bad_input',
      userMessage: expect.stringContaining('not valid CSV'),
    });
  });

  it('gives no license of a subscription it finds Deleted in the record', async () => {
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0HD32' } });
    await aSubscription(database.prisma, { id: 'dead0000-0000-4000-8000-000000000001', productId: product.id, status: 'Deleted' });
    const report = await importCsv(ctx(), admin, { fileName: 'h.csv', content: 'Subscription id,UPN\ndead0000-0000-4000-8000-000000000001,ana@contoso.com\n' });
    expect(report.refused).toEqual([
      { line: 2, reason: 'subscription dead0000-0000-4000-8000-000000000001 is Deleted in the record: it has no holders any more' },
    ]);
  });
});

/** A real database failure while an import writes: inserting the subscription with this id. */
async function injectFailureOnInsertOf(database: Database, id: string): Promise<void> {
  if (database.provider === 'sqlite') {
    await database.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_insert BEFORE INSERT ON "Subscription" WHEN NEW."id" = '${id}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    return;
  }
  await database.prisma.$executeRawUnsafe(
    `CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
  );
  await database.prisma.$executeRawUnsafe(
    `CREATE TRIGGER fail_insert BEFORE INSERT ON "Subscription" FOR EACH ROW WHEN (NEW."id" = '${id}') EXECUTE FUNCTION fail_insert()`,
  );
}
