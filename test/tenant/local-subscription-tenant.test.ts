import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import type { SubscriptionTenant } from '../../src/tenant/port.js';
import { aProduct, aSubscription, assign, manyPeople } from '../support/builders.js';
import { createTestDatabase, dialectProviders } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const earlier = new Date('2026-06-02T10:00:00Z');

describe.each(dialectProviders)('license changes of the local subscription tenant on %s', (provider) => {
  let database: Database;
  let tenant: SubscriptionTenant;
  let productId: string;

  beforeEach(async () => {
    database = await createTestDatabase(provider);
    tenant = createLocalSubscriptionTenant(database.prisma);
    productId = (await aProduct(database.prisma)).id;
  });
  afterEach(async () => {
    await database.close();
  });

  const licenses = (subscriptionId: string) =>
    database.prisma.licenseAssignment.findMany({ where: { subscriptionId }, select: { id: true, userId: true, removedAt: true, assignedAt: true } });

  it('moves users onto a subscription where some held a license before: their old row comes back, nobody gets two', async () => {
    const [returning, fresh, alreadyThere] = await manyPeople(database.prisma, 3);
    const from = await aSubscription(database.prisma, { productId, licensesPurchased: 3 });
    const to = await aSubscription(database.prisma, { productId, isSelfService: false, licensesPurchased: 3 });
    await assign(database.prisma, from.id, [returning!, fresh!, alreadyThere!], earlier);
    await assign(database.prisma, to.id, [returning!, alreadyThere!], earlier);
    await database.prisma.licenseAssignment.updateMany({ where: { subscriptionId: to.id, userId: returning }, data: { removedAt: earlier } });
    const oldRow = (await licenses(to.id)).find((l) => l.userId === returning)!;

    const result = await tenant.moveUsers({ fromSubscriptionId: from.id, toSubscriptionId: to.id, actor: 'U0ADMIN001', cancelReason: 'Moved', now });

    expect(result).toEqual({ ok: true, moved: 3 });
    const target = await licenses(to.id);
    expect(target.map((l) => l.userId).sort()).toEqual([returning!, fresh!, alreadyThere!].sort());
    expect(target.every((l) => l.removedAt === null)).toBe(true);
    expect(target.find((l) => l.userId === returning)).toEqual({ ...oldRow, removedAt: null, assignedAt: now });
    expect(target.find((l) => l.userId === alreadyThere)!.assignedAt).toEqual(earlier);
    expect(target.find((l) => l.userId === fresh)!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await licenses(from.id)).every((l) => l.removedAt?.getTime() === now.getTime())).toBe(true);
  });

  it('counts only users without a license against the free ones: a move that fits only so is done', async () => {
    const users = await manyPeople(database.prisma, 4);
    const from = await aSubscription(database.prisma, { productId, licensesPurchased: 4 });
    const to = await aSubscription(database.prisma, { productId, isSelfService: false, licensesPurchased: 3 });
    await assign(database.prisma, from.id, users);
    await assign(database.prisma, to.id, users.slice(0, 2));
    expect(await tenant.moveUsers({ fromSubscriptionId: from.id, toSubscriptionId: to.id, actor: 'U0ADMIN001', cancelReason: 'Moved', now })).toEqual({
      ok: false,
      reason: `subscription ${to.id.slice(0, 8)} has 1 free license for 2 users: 1 license is missing`,
    });
    await database.prisma.subscription.update({ where: { id: to.id }, data: { licensesPurchased: 4 } });
    expect(await tenant.moveUsers({ fromSubscriptionId: from.id, toSubscriptionId: to.id, actor: 'U0ADMIN001', cancelReason: 'Moved', now })).toEqual({
      ok: true,
      moved: 4,
    });
  });

  it('grants licenses to thousands of users at once, all or none', async () => {
    const users = await manyPeople(database.prisma, 2_500);
    const central = await aSubscription(database.prisma, { productId, isSelfService: false, licensesPurchased: 2_499 });
    const grants = [{ subscriptionId: central.id, userIds: [...users, users[0]!] }];

    expect(await tenant.assignLicenses({ grants, actor: 'U0ADMIN001', now })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('1 license is missing'),
    });
    expect(await licenses(central.id)).toHaveLength(0);

    await database.prisma.subscription.update({ where: { id: central.id }, data: { licensesPurchased: 2_500 } });
    expect(await tenant.assignLicenses({ grants, actor: 'U0ADMIN001', now })).toEqual({ ok: true, assigned: 2_500 });
    const granted = await licenses(central.id);
    expect(new Set(granted.map((l) => l.userId)).size).toBe(2_500);
    expect(new Set(granted.map((l) => l.id)).size).toBe(2_500);
  });
});
