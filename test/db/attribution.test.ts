import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countProductHolders, findUnattributedHolders } from '../../src/db/repositories/attribution.js';
import { findShownSubscriptionsByRef } from '../../src/db/repositories/subscriptions.js';
import { aPerson, aProduct, assign, aSubscription } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

const SKU = { usual: '11111111-0000-4000-8000-000000000001', dept: '11111111-0000-4000-8000-000000000002', other: '11111111-0000-4000-8000-000000000003' };
const at = new Date('2026-11-25T09:00:00Z');

describe.each(dialectProviders)('the holders of a product in the tenant on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('counts each person holding a product once, whatever SKUs of it they hold, and not those whose license went away', async () => {
    const prisma = database.prisma;
    const visio = await aProduct(prisma, { name: 'Visio Plan 2' });
    const other = await aProduct(prisma, { name: 'Power BI Pro' });
    const [ana, ben, cy, dee] = await Promise.all([1, 2, 3, 4].map(() => aPerson(prisma)));
    const hold = (productId: string, skuId: string, userId: string, removedAt: Date | null = null) =>
      prisma.productHolding.create({ data: { id: randomUUID(), productId, skuId, userId, direct: true, firstSeenAt: at, removedAt } });
    await hold(visio.id, SKU.usual, ana!.id);
    await hold(visio.id, SKU.dept, ana!.id);
    await hold(visio.id, SKU.usual, ben!.id);
    await hold(visio.id, SKU.dept, cy!.id, at);
    await hold(other.id, SKU.other, dee!.id);

    expect(await countProductHolders(prisma, visio.id)).toBe(2);
    expect(await countProductHolders(prisma, 'CFQ7TTC0NONE')).toBe(0);
  });

  it('names the holders no active subscription claims, each once and by name, and counts them all', async () => {
    const prisma = database.prisma;
    const visio = await aProduct(prisma, { name: 'Visio Plan 2' });
    const [zoe, ana, ben, cy] = await Promise.all(['Zoe', 'Ana', 'Ben', 'Cy'].map((name) => aPerson(prisma, { name })));
    const hold = (skuId: string, userId: string) =>
      prisma.productHolding.create({ data: { id: randomUUID(), productId: visio.id, skuId, userId, direct: true, firstSeenAt: at } });
    for (const person of [zoe!, ana!, ben!, cy!]) await hold(SKU.usual, person.id);
    await hold(SKU.dept, zoe!.id);
    // Ben's license is claimed by an active subscription; Cy's only by a cancelled one, which claims nobody.
    const active = await aSubscription(prisma, { productId: visio.id });
    await assign(prisma, active.id, [ben!.id]);
    const cancelled = await aSubscription(prisma, { productId: visio.id, status: 'Deleted' });
    await assign(prisma, cancelled.id, [cy!.id]);

    expect(await findUnattributedHolders(prisma, visio.id, 2)).toEqual({
      count: 3,
      users: [
        { name: 'Ana', email: ana!.email },
        { name: 'Cy', email: cy!.email },
      ],
    });
  });

  it("says where a subscription comes from in one statement: the SKU's live subscriptions and holders, its licenses by source, its latest import", async () => {
    const prisma = database.prisma;
    const visio = await aProduct(prisma, { name: 'Visio Plan 2' });
    const [ana, ben, cy, dee] = await Promise.all(['Ana', 'Ben', 'Cy', 'Dee'].map((name) => aPerson(prisma, { name })));
    const decidedAt = new Date('2026-10-01T08:00:00Z');
    const synced = async (tenantStatus: string | null, seenDeletedAt: Date | null = null) => {
      const s = await aSubscription(prisma, { productId: visio.id, purchaserId: ana!.id });
      await prisma.subscription.update({ where: { id: s.id }, data: { graphId: randomUUID(), skuId: SKU.usual, tenantStatus, seenDeletedAt } });
      return s;
    };
    const shown = await synced('Enabled');
    await prisma.subscription.update({
      where: { id: shown.id },
      data: { selfServiceSource: 'admin', selfServiceDecidedBy: 'U0ADMIN', selfServiceDecidedAt: decidedAt },
    });
    // Live: this one and a Warning one; not live: deleted in the tenant, seen deleted, no status, another SKU.
    await synced('Warning');
    await synced('Deleted');
    await synced('Enabled', at);
    await synced(null);
    const elsewhere = await aSubscription(prisma, { productId: visio.id });
    await prisma.subscription.update({ where: { id: elsewhere.id }, data: { graphId: randomUUID(), skuId: SKU.dept, tenantStatus: 'Enabled' } });
    const hold = (skuId: string, userId: string, removedAt: Date | null = null) =>
      prisma.productHolding.create({ data: { id: randomUUID(), productId: visio.id, skuId, userId, direct: true, firstSeenAt: at, removedAt } });
    await hold(SKU.usual, ana!.id);
    await hold(SKU.usual, ben!.id);
    await hold(SKU.usual, cy!.id, at);
    await hold(SKU.dept, dee!.id);
    // Ben's license given at a time with milliseconds: the time comes back to the millisecond.
    const benAt = new Date('2026-11-02T10:11:12.345Z');
    await assign(prisma, shown.id, [ana!.id]);
    await assign(prisma, shown.id, [ben!.id], benAt);
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: shown.id, userId: ben!.id }, data: { source: 'import' } });
    await assign(prisma, shown.id, [cy!.id]);
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: shown.id, userId: cy!.id }, data: { source: 'import', removedAt: at } });
    const event = (action: string, when: Date, detail: string | null) =>
      prisma.auditEvent.create({
        data: { id: randomUUID(), at: when, actorId: `U0${when.getUTCHours()}`, action, subjectType: 'subscription', subjectId: shown.id, detail },
      });
    await event('subscription.imported', new Date('2026-11-01T07:00:00Z'), 'file: first.csv');
    await event('subscription.import_changed', new Date('2026-11-20T09:00:00Z'), 'file: second.csv');
    await event('subscription.cancelled', new Date('2026-11-21T10:00:00Z'), null);

    const shownOf = async (id: string, users = 20) => {
      const found = await findShownSubscriptionsByRef(prisma, id, users);
      expect(found.map((f) => f.row.id)).toEqual(found.length > 0 ? [id] : []);
      return found[0] && { origin: found[0].origin, users: found[0].users };
    };
    expect(await shownOf(shown.id)).toEqual({
      users: [
        { name: 'Ana', email: ana!.email, assignedAt: new Date('2026-06-02T10:00:00Z') },
        { name: 'Ben', email: ben!.email, assignedAt: benAt },
      ],
      origin: {
        isSelfService: true,
        selfServiceSource: 'admin',
        selfServiceDecidedBy: 'U0ADMIN',
        selfServiceDecidedAt: decidedAt,
        skuId: SKU.usual,
        liveOfSku: 2,
        holdersOfSku: 2,
        assignedBySource: { local: 1, import: 1 },
        lastImport: { file: 'second.csv', by: 'U09', at: new Date('2026-11-20T09:00:00Z') },
      },
    });
    // The first users by name, as many as asked for.
    expect((await shownOf(shown.id, 1))?.users.map((u) => u.name)).toEqual(['Ana']);
    // Never synced, never imported, nobody holding it.
    const local = await aSubscription(prisma, { productId: visio.id });
    expect(await shownOf(local.id)).toEqual({
      users: [],
      origin: {
        isSelfService: false,
        selfServiceSource: 'local',
        selfServiceDecidedBy: null,
        selfServiceDecidedAt: null,
        skuId: null,
        liveOfSku: 0,
        holdersOfSku: 0,
        assignedBySource: {},
        lastImport: null,
      },
    });
    expect(await shownOf(randomUUID())).toBeUndefined();
  });
});
