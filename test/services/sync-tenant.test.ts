import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { listProducts } from '../../src/db/repositories/catalog.js';
import { takeImportTurn } from '../../src/db/repositories/imports.js';
import { acquireLease } from '../../src/db/repositories/leases.js';
import { AppError } from '../../src/domain/errors.js';
import { listRecordedPolicies } from '../../src/db/repositories/policies.js';
import { runPolicyGuard } from '../../src/services/policy-guard.js';
import { policyGuardNotices } from '../../src/slack/blocks/policy-guard.js';
import type { ServiceContext } from '../../src/services/context.js';
import { markSubscription } from '../../src/services/mark-subscription.js';
import {
  readLastSync,
  runSyncExclusive,
  SYNC_LEASE_KEY,
  syncChangedNothing,
  syncTenant,
  type SkuLookup,
  type SyncDeps,
} from '../../src/services/sync-tenant.js';
import type { TenantDirectorySnapshot, TenantSubscription, TenantUser } from '../../src/tenant/port.js';
import { aProduct } from '../support/builders.js';
import { createTestDatabase, dialectProviders } from '../support/database.js';
import { holdOpen, untilWaitingOnLock } from '../support/transactions.js';

const first = new Date('2026-11-25T09:00:00Z');
const second = new Date('2026-11-25T09:30:00Z');
const third = new Date('2026-11-25T10:00:00Z');

const SKU = {
  powerBiPro: 'f8a1db68-be16-40ed-86d5-cb42ce701560',
  visioPlan2: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
  visioPlan2Dept: '38b434d2-a15e-4cde-9a98-e737c75623e1',
  unknown: '0a1b2c3d-0000-4000-8000-00000000feed',
};
const skus: SkuLookup = {
  skuBySkuId: (id) =>
    ({
      [SKU.powerBiPro]: { skuPartNumber: 'POWER_BI_PRO', name: 'Power BI Pro', productId: 'CFQ7TTC0H9MP' },
      [SKU.visioPlan2]: { skuPartNumber: 'VISIOCLIENT', name: 'Visio Plan 2', productId: 'CFQ7TTC0HD32' },
      [SKU.visioPlan2Dept]: { skuPartNumber: 'VISIO_PLAN2_DEPT', name: 'Visio Plan 2', productId: 'CFQ7TTC0HD32' },
    })[id],
};

const USER = {
  ana: '11111111-aaaa-4000-8000-000000000001',
  bo: '11111111-aaaa-4000-8000-000000000002',
  cy: '11111111-aaaa-4000-8000-000000000003',
  dee: '11111111-aaaa-4000-8000-000000000004',
};
const SUB = {
  anaPowerBi: '22222222-bbbb-4000-8000-000000000001',
  centralPowerBi: '22222222-bbbb-4000-8000-000000000002',
  boVisio: '22222222-bbbb-4000-8000-000000000003',
  unknownSku: '22222222-bbbb-4000-8000-000000000004',
};

function user(id: string, name: string, licenses: Array<{ skuId: string; groups?: string[] }>, overrides: Partial<TenantUser> = {}): TenantUser {
  const local = name.toLowerCase().replace(/ /g, '.');
  return {
    id,
    displayName: name,
    mail: `${local}@contoso.com`,
    userPrincipalName: `${local}@contoso.onmicrosoft.com`,
    accountEnabled: true,
    licenses: licenses.map(({ skuId, groups = [] }) => ({ skuId, direct: groups.length === 0, viaGroups: groups, state: 'Active', error: null })),
    ...overrides,
  };
}

function subscription(id: string, skuId: string, skuPartNumber: string, overrides: Partial<TenantSubscription> = {}): TenantSubscription {
  return {
    id,
    commerceSubscriptionId: `c-${id}`,
    skuId,
    skuPartNumber,
    status: 'Enabled',
    totalLicenses: 5,
    isTrial: false,
    createdAt: new Date('2026-10-01T12:00:00Z'),
    nextLifecycleAt: new Date('2027-10-01T12:00:00Z'),
    ownerId: null,
    ownerType: null,
    ...overrides,
  };
}

/** Ana bought Power BI Pro herself; IT bought another Power BI Pro subscription; Bo bought Visio; a SKU no table knows. */
function aSnapshot(): TenantDirectorySnapshot {
  return {
    skus: [
      { skuId: SKU.powerBiPro, skuPartNumber: 'POWER_BI_PRO', enabledUnits: 105, consumedUnits: 3, subscriptionIds: ['c-1', 'c-2'] },
      { skuId: SKU.visioPlan2, skuPartNumber: 'VISIOCLIENT', enabledUnits: 3, consumedUnits: 2, subscriptionIds: ['c-3'] },
      { skuId: SKU.unknown, skuPartNumber: 'CONTOSO_WIDGETS', enabledUnits: 10, consumedUnits: 0, subscriptionIds: ['c-4'] },
    ],
    subscriptions: [
      subscription(SUB.anaPowerBi, SKU.powerBiPro, 'POWER_BI_PRO', { ownerType: 'User', ownerId: USER.ana, totalLicenses: 5 }),
      subscription(SUB.centralPowerBi, SKU.powerBiPro, 'POWER_BI_PRO', { ownerType: 'Company', ownerId: 'tenant-id', totalLicenses: 100 }),
      subscription(SUB.boVisio, SKU.visioPlan2, 'VISIOCLIENT', { ownerType: 'User', ownerId: USER.bo, totalLicenses: 3, isTrial: true, nextLifecycleAt: null }),
      subscription(SUB.unknownSku, SKU.unknown, 'CONTOSO_WIDGETS', { totalLicenses: 10 }),
    ],
    users: [
      user(USER.ana, 'Ana Lopez', [{ skuId: SKU.powerBiPro }]),
      user(USER.bo, 'Bo Chen', [{ skuId: SKU.powerBiPro }, { skuId: SKU.visioPlan2 }]),
      user(USER.cy, 'Cy Young', [{ skuId: SKU.visioPlan2, groups: ['33333333-gggg-4000-8000-000000000001'] }], { mail: null }),
      user(USER.dee, 'Dee Park', [{ skuId: SKU.powerBiPro }], { accountEnabled: false }),
    ],
    skipped: [],
  };
}

describe.each(dialectProviders)('the tenant sync on %s', (provider) => {
  let database: Database;
  let snapshot: TenantDirectorySnapshot;

  const ctx = (now: Date): ServiceContext => ({ prisma: database.prisma, now, timeZone: 'UTC' });
  const deps = (): SyncDeps => ({ directory: { readSnapshot: async () => structuredClone(snapshot) }, skus, actor: { slackUserId: 'tenant-sync' } });
  const sync = (now: Date) => syncTenant(ctx(now), deps());

  async function counts() {
    const p = database.prisma;
    return {
      products: await p.product.count(),
      people: await p.person.count(),
      subscriptions: await p.subscription.count(),
      holdings: await p.productHolding.count(),
      assignments: await p.licenseAssignment.count(),
      audit: await p.auditEvent.count(),
      lastSubscriptionUpdate: (await p.subscription.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.getTime(),
    };
  }

  const holders = async (subscriptionId: string) =>
    (
      await database.prisma.licenseAssignment.findMany({
        where: { subscriptionId, removedAt: null },
        include: { user: true },
        orderBy: { user: { name: 'asc' } },
      })
    ).map((a) => `${a.user.name} (${a.source})`);

  beforeEach(async () => {
    database = await createTestDatabase(provider);
    snapshot = aSnapshot();
    // Power BI Pro is already in the record, as the policy endpoint reported it.
    await aProduct(database.prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' });
  });
  afterEach(async () => {
    await database.close();
  });

  it('records the products, people, subscriptions and licenses of a tenant with several SKUs', async () => {
    const summary = await sync(first);

    expect(summary.new).toMatchObject({ subscriptions: 4, people: 4, products: 2, licenses: 5 });
    expect(summary.changed).toMatchObject({ products: 1 });
    expect(summary.new.names).toContain('Power BI Pro (22222222) bought by Ana Lopez');

    const products = await database.prisma.product.findMany({ include: { skus: true }, orderBy: { id: 'asc' } });
    expect(products.map((p) => [p.id, p.kind, p.name, p.skus.map((s) => s.skuPartNumber)])).toEqual([
      ['CFQ7TTC0H9MP', 'product', 'Power BI Pro', ['POWER_BI_PRO']],
      ['CFQ7TTC0HD32', 'sku', 'Visio Plan 2', ['VISIOCLIENT']],
      [`sku:${SKU.unknown}`, 'sku', 'CONTOSO_WIDGETS', ['CONTOSO_WIDGETS']],
    ]);
    // Products known only from Graph have no policy to list, but subscriptions of them can be found.
    expect((await listRecordedPolicies(database.prisma)).map((p) => p.id)).toEqual(['CFQ7TTC0H9MP']);
    expect((await listProducts(database.prisma)).map((p) => p.name)).toEqual(['CONTOSO_WIDGETS', 'Power BI Pro', 'Visio Plan 2']);

    const cy = await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.cy } });
    expect(cy.email).toBe('cy.young@contoso.onmicrosoft.com');
    const dee = await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.dee } });
    expect(dee.accountEnabled).toBe(false);

    const subscriptions = await database.prisma.subscription.findMany({ include: { purchaser: true }, orderBy: { id: 'asc' } });
    // biome-ignore format: a table, one subscription a row, reads down its columns
    expect(
      subscriptions.map((s) => ({
        id: s.id,
        selfService: s.isSelfService,
        purchaser: s.purchaser?.name ?? null,
        source: s.selfServiceSource,
        licenses: s.licensesPurchased,
        price: s.unitPriceMinor,
        expires: s.expiresAt?.toISOString() ?? null,
        trial: s.isTrial,
        status: s.status,
        tenantStatus: s.tenantStatus,
        firstSeenAt: s.firstSeenAt.toISOString(),
      })),
    ).toEqual([
      { id: SUB.anaPowerBi, selfService: true, purchaser: 'Ana Lopez', source: 'graph-owner', licenses: 5, price: null, expires: '2027-10-01T12:00:00.000Z', trial: false, status: 'Active', tenantStatus: 'Enabled', firstSeenAt: first.toISOString() },
      { id: SUB.centralPowerBi, selfService: false, purchaser: null, source: 'graph-owner', licenses: 100, price: null, expires: '2027-10-01T12:00:00.000Z', trial: false, status: 'Active', tenantStatus: 'Enabled', firstSeenAt: first.toISOString() },
      { id: SUB.boVisio, selfService: true, purchaser: 'Bo Chen', source: 'graph-owner', licenses: 3, price: null, expires: null, trial: true, status: 'Active', tenantStatus: 'Enabled', firstSeenAt: first.toISOString() },
      { id: SUB.unknownSku, selfService: false, purchaser: null, source: 'graph-owner', licenses: 10, price: null, expires: '2027-10-01T12:00:00.000Z', trial: false, status: 'Active', tenantStatus: 'Enabled', firstSeenAt: first.toISOString() },
    ]);

    const holdings = await database.prisma.productHolding.findMany({ include: { user: true, product: true } });
    expect(holdings.map((h) => `${h.product.name}: ${h.user.name}${h.direct ? '' : ` via ${h.viaGroups}`}`).sort()).toEqual([
      'Power BI Pro: Ana Lopez',
      'Power BI Pro: Bo Chen',
      'Power BI Pro: Dee Park',
      'Visio Plan 2: Bo Chen',
      'Visio Plan 2: Cy Young via ["33333333-gggg-4000-8000-000000000001"]',
    ]);
    // Visio has one subscription: its holders are that subscription's. Power BI Pro has two: nobody is guessed.
    expect(await holders(SUB.boVisio)).toEqual(['Bo Chen (graph)', 'Cy Young (graph)']);
    expect(await holders(SUB.anaPowerBi)).toEqual([]);
    expect(await holders(SUB.centralPowerBi)).toEqual([]);

    const audit = await database.prisma.auditEvent.findMany({ orderBy: { action: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([...Array(4).fill('subscription.first_seen'), 'tenant.synced']);
  });

  it('writes nothing the second time it reads the same tenant', async () => {
    await sync(first);
    const before = await counts();
    const summary = await sync(second);
    expect(syncChangedNothing(summary)).toBe(true);
    expect(summary.new.names).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('keeps a subscription that disappears or turns Deleted, with when it was seen deleted, and ends its licenses', async () => {
    await sync(first);
    snapshot.subscriptions = snapshot.subscriptions.filter((s) => s.id !== SUB.boVisio);
    snapshot.subscriptions.find((s) => s.id === SUB.unknownSku)!.status = 'Deleted';

    const summary = await sync(second);

    expect(summary.gone.subscriptions).toBe(2);
    expect(summary.gone.names).toContain('Visio Plan 2 (22222222) bought by Bo Chen');
    for (const id of [SUB.boVisio, SUB.unknownSku]) {
      const row = await database.prisma.subscription.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({
        status: 'Deleted',
        seenDeletedAt: second,
        cancelledAt: second,
        cancelledBy: 'tenant',
        cancelReason: 'Seen deleted in the tenant',
      });
    }
    expect(await holders(SUB.boVisio)).toEqual([]);
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: SUB.boVisio, removedAt: second } })).toBe(2);
    expect(await database.prisma.auditEvent.count({ where: { action: 'subscription.seen_deleted' } })).toBe(2);

    // Seen once: the next sync has nothing more to say about them.
    expect(syncChangedNothing(await sync(third))).toBe(true);
  });

  it('gives a license that went away its removal time, and marks a user who left the tenant', async () => {
    await sync(first);
    snapshot.users = snapshot.users.filter((u) => u.id !== USER.dee);
    snapshot.users.find((u) => u.id === USER.cy)!.licenses = [];

    const summary = await sync(second);

    expect(summary.gone).toMatchObject({ people: 1, licenses: 2 });
    const removed = await database.prisma.productHolding.findMany({ where: { removedAt: second }, include: { user: true } });
    expect(removed.map((h) => h.user.name).sort()).toEqual(['Cy Young', 'Dee Park']);
    expect(await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.dee } })).toMatchObject({ goneFromTenantAt: second });
    expect(await holders(SUB.boVisio)).toEqual(['Bo Chen (graph)']);
    expect(await database.prisma.productHolding.count()).toBe(5);
  });

  it('never undoes an admin’s mark, nor an import’s decision', async () => {
    await sync(first);
    const marked = await markSubscription(ctx(second), { slackUserId: 'U0ADMIN0001' }, { ref: SUB.centralPowerBi, selfService: true });
    expect(marked).toMatchObject({ changed: true, subscription: { isSelfService: true, selfServiceSource: 'admin' } });
    expect(await markSubscription(ctx(second), { slackUserId: 'U0ADMIN0001' }, { ref: SUB.centralPowerBi, selfService: true })).toMatchObject({
      changed: false,
    });
    await markSubscription(ctx(second), { slackUserId: 'U0ADMIN0002' }, { ref: SUB.anaPowerBi, selfService: false });
    const bo = await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.bo } });
    await database.prisma.subscription.update({
      where: { id: SUB.unknownSku },
      data: { isSelfService: true, purchaserId: bo.id, selfServiceSource: 'import' },
    });

    expect(syncChangedNothing(await sync(third))).toBe(true);

    const rows = await database.prisma.subscription.findMany({
      where: { id: { in: [SUB.centralPowerBi, SUB.anaPowerBi, SUB.unknownSku] } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.isSelfService, r.selfServiceSource, r.selfServiceDecidedBy])).toEqual([
      [false, 'admin', 'U0ADMIN0002'],
      [true, 'admin', 'U0ADMIN0001'],
      [true, 'import', null],
    ]);
    expect(rows[2]!.purchaserId).toBe(bo.id);
    expect(await database.prisma.auditEvent.count({ where: { action: 'subscription.marked' } })).toBe(2);
  });

  it('counts what Graph sent unreadable, and takes nobody for gone because of it', async () => {
    await sync(first);
    snapshot.users = snapshot.users.filter((u) => u.id !== USER.dee);
    snapshot.subscriptions = snapshot.subscriptions.filter((s) => s.id !== SUB.boVisio);
    snapshot.skipped = [
      { what: 'user', id: USER.dee, reason: 'userPrincipalName is missing' },
      { what: 'subscription', id: SUB.boVisio, reason: 'skuId is missing' },
    ];

    const summary = await sync(second);

    expect(summary.skipped).toEqual({ count: 2, items: [`user ${USER.dee}: userPrincipalName is missing`, `subscription ${SUB.boVisio}: skuId is missing`] });
    expect(syncChangedNothing(summary)).toBe(true);
    expect(summary.errors.messages).toEqual([expect.stringContaining('1 subscription could not be read: licenses were not attributed')]);
    expect(await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.dee } })).toMatchObject({ goneFromTenantAt: null });
    expect(await database.prisma.subscription.findUniqueOrThrow({ where: { id: SUB.boVisio } })).toMatchObject({ status: 'Active' });
    expect(await holders(SUB.boVisio)).toEqual(['Bo Chen (graph)', 'Cy Young (graph)']);
  });

  it('takes a Dept SKU beside the usual one for the same product, and gives each SKU’s only subscription its holders', async () => {
    snapshot.skus.push({ skuId: SKU.visioPlan2Dept, skuPartNumber: 'VISIO_PLAN2_DEPT', enabledUnits: 2, consumedUnits: 1, subscriptionIds: ['c-5'] });
    const cyVisio = '22222222-bbbb-4000-8000-000000000005';
    snapshot.subscriptions.push(subscription(cyVisio, SKU.visioPlan2Dept, 'VISIO_PLAN2_DEPT', { ownerType: 'User', ownerId: USER.cy, totalLicenses: 2 }));
    snapshot.users.find((u) => u.id === USER.ana)!.licenses.push({ skuId: SKU.visioPlan2Dept, direct: true, viaGroups: [], state: null, error: null });

    await sync(first);

    expect(await database.prisma.product.count({ where: { name: 'Visio Plan 2' } })).toBe(1);
    expect(
      (await database.prisma.productSku.findMany({ where: { productId: 'CFQ7TTC0HD32' }, orderBy: { skuPartNumber: 'asc' } })).map((s) => s.skuPartNumber),
    ).toEqual(['VISIOCLIENT', 'VISIO_PLAN2_DEPT']);
    expect(await holders(SUB.boVisio)).toEqual(['Bo Chen (graph)', 'Cy Young (graph)']);
    expect(await holders(cyVisio)).toEqual(['Ana Lopez (graph)']);
  });

  it('attributes nothing once a SKU has a second subscription, and picks it up again when it has one', async () => {
    await sync(first);
    snapshot.subscriptions.push(subscription('22222222-bbbb-4000-8000-000000000005', SKU.visioPlan2, 'VISIOCLIENT', { ownerType: 'User', ownerId: USER.cy }));
    await sync(second);
    expect(await holders(SUB.boVisio)).toEqual([]);

    snapshot = aSnapshot();
    const summary = await sync(third);
    expect(summary.attributed.added).toBe(2);
    expect(await holders(SUB.boVisio)).toEqual(['Bo Chen (graph)', 'Cy Young (graph)']);
  });

  it('records a user whose mail another user has under their UPN, and one already in the record under their Graph id', async () => {
    const seeded = await database.prisma.person.create({ data: { id: 'p-seeded', name: 'Ana (from an import)', email: 'ana.lopez@contoso.com' } });
    snapshot.users.find((u) => u.id === USER.bo)!.mail = 'ana.lopez@contoso.com';

    const summary = await sync(first);

    expect(summary.errors.count).toBe(0);
    expect(await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.ana } })).toMatchObject({
      id: seeded.id,
      name: 'Ana Lopez',
      email: 'ana.lopez@contoso.com',
    });
    expect(await database.prisma.person.findUniqueOrThrow({ where: { graphId: USER.bo } })).toMatchObject({ email: 'bo.chen@contoso.onmicrosoft.com' });
    expect(syncChangedNothing(await sync(second))).toBe(true);
  });

  it('leaves the record as it was when a write fails part-way, and says so as the last sync’s result', async () => {
    await injectFailureOnHoldingsOfUnknownSkus(database);
    snapshot.users.find((u) => u.id === USER.ana)!.licenses.push({ skuId: SKU.unknown, direct: true, viaGroups: [], state: null, error: null });
    const before = await counts();

    // (SQLite's driver reports a trigger's abort as a constraint violation, PostgreSQL with its message.)
    await expect(runSyncExclusive(ctx(first), deps())).rejects.toThrow(provider === 'sqlite' ? /constraint/ : /injected failure/);

    expect(await counts()).toEqual(before);
    expect(await readLastSync(ctx(first))).toEqual({ ok: false, at: first, error: 'an unexpected error (see the bot’s log)' });
    expect(await database.prisma.jobState.findUnique({ where: { key: SYNC_LEASE_KEY } })).toBeNull();
  });

  it('keeps why the tenant could not be read as the last sync’s result, and changes nothing', async () => {
    const refusing: SyncDeps = {
      ...deps(),
      directory: {
        readSnapshot: async () => {
          throw new AppError('tenant_forbidden', 'graph 403', 'Microsoft refused to list users: grant the app the User.Read.All permission.');
        },
      },
    };
    await expect(runSyncExclusive(ctx(first), refusing)).rejects.toMatchObject({ code: 'tenant_forbidden' });
    expect(await readLastSync(ctx(first))).toEqual({
      ok: false,
      at: first,
      error: 'Microsoft refused to list users: grant the app the User.Read.All permission.',
    });
    expect(await database.prisma.person.count()).toBe(0);
    expect(await database.prisma.jobState.findUnique({ where: { key: SYNC_LEASE_KEY } })).toBeNull();
  });

  it('runs one sync at a time: a second one is told who holds it, and an expired hold is taken over', async () => {
    const held = await acquireLease(database.prisma, SYNC_LEASE_KEY, 'replica-a', first, 60_000);
    expect(held.ok).toBe(true);

    const busy = await runSyncExclusive(ctx(first), deps(), { holder: 'replica-b' });
    expect(busy).toEqual({ status: 'busy', holder: 'replica-a', until: new Date(first.getTime() + 60_000) });
    expect(await database.prisma.subscription.count()).toBe(0);

    const ran = await runSyncExclusive(ctx(second), deps(), { holder: 'replica-b' });
    expect(ran).toMatchObject({ status: 'ran', summary: { new: { subscriptions: 4 } } });
    expect(await readLastSync(ctx(second))).toMatchObject({ ok: true, at: second, summary: { new: { subscriptions: 4 } } });
    expect(await database.prisma.jobState.findUnique({ where: { key: SYNC_LEASE_KEY } })).toBeNull();
  });

  it('lets the policy guard give a product known only from Graph its policy', async () => {
    await sync(first);
    const tenant = {
      listPolicies: async () => [
        { id: 'CFQ7TTC0H9MP', kind: 'product' as const, name: 'Power BI Pro', value: 'Enabled' as const },
        { id: 'CFQ7TTC0HD32', kind: 'product' as const, name: 'Visio Plan 2', value: 'Disabled' as const },
      ],
      getPolicy: async () => {
        throw new Error('not used');
      },
      setPolicy: async () => {
        throw new Error('not used');
      },
    };
    const summary = await runPolicyGuard(
      { prisma: database.prisma, tenant, mode: 'report', defaultValue: 'Disabled', adminChannelId: 'C0ADMINS01', notices: policyGuardNotices },
      second,
    );
    expect(summary.newProducts).toEqual(['CFQ7TTC0HD32']);
    expect(await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0HD32' }, include: { skus: true } })).toMatchObject({
      kind: 'product',
      policyValue: 'Disabled',
      skus: [{ skuId: SKU.visioPlan2 }],
    });
  });

  it.runIf(provider === 'postgresql')('waits for an import writing the record at the same moment, then finds the person it wrote', async () => {
    const prisma = database.prisma;
    // An import that has written Ana (by her email, as a CSV names people) and not committed yet.
    const importing = await holdOpen(prisma, async (tx) => {
      await takeImportTurn(tx);
      await tx.person.create({ data: { id: '44444444-cccc-4000-8000-000000000001', name: 'Ana Lopez', email: 'ana.lopez@contoso.com' } });
    });
    const syncing = sync(first);
    // Until the sync waits on the import: for its turn (or, without one, on Ana's email).
    await untilWaitingOnLock(prisma, ['ImportRun', 'Person']);
    await importing.commit();

    expect((await syncing).new).toMatchObject({ people: 3 });
    expect(await prisma.person.findMany({ where: { email: 'ana.lopez@contoso.com' } })).toEqual([
      expect.objectContaining({ id: '44444444-cccc-4000-8000-000000000001', graphId: USER.ana }),
    ]);
  });
});

/** A real database failure in the middle of a sync: inserting a holding of an unknown SKU's product. */
async function injectFailureOnHoldingsOfUnknownSkus(database: Database): Promise<void> {
  if (database.provider === 'sqlite') {
    await database.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_holding BEFORE INSERT ON "ProductHolding" WHEN NEW."productId" LIKE 'sku:%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    return;
  }
  await database.prisma.$executeRawUnsafe(
    `CREATE FUNCTION fail_holding() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
  );
  await database.prisma.$executeRawUnsafe(
    `CREATE TRIGGER fail_holding BEFORE INSERT ON "ProductHolding" FOR EACH ROW WHEN (NEW."productId" LIKE 'sku:%') EXECUTE FUNCTION fail_holding()`,
  );
}
