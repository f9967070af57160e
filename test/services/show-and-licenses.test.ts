import { describe, expect, it } from 'vitest';
import { productLicenses } from '../../src/services/product-licenses.js';
import { showSubscription } from '../../src/services/show-subscription.js';
import { aPerson, aProduct, aSubscription, assign } from '../support/builders.js';
import { dialectProviders, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');

describe.each(dialectProviders)('show and licenses on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });

  it('finds a subscription by a unique prefix of its id and shows its current users', async () => {
    const product = await aProduct(database.prisma, { name: 'Visio Plan 2' });
    const buyer = await aPerson(database.prisma, { name: 'Ana López' });
    const users = await Promise.all(Array.from({ length: 25 }, (_, i) => aPerson(database.prisma, { name: `User ${String(i).padStart(2, '0')}` })));
    const subscription = await aSubscription(database.prisma, {
      id: '3f2b9c1a-0000-4000-8000-000000000001',
      productId: product.id,
      purchaserId: buyer.id,
      licensesPurchased: 30,
    });
    await assign(database.prisma, subscription.id, users.map((u) => u.id));
    await database.prisma.licenseAssignment.updateMany({
      where: { subscriptionId: subscription.id, userId: users[0]!.id },
      data: { removedAt: now },
    });

    const details = await showSubscription(ctx, '3F2B9C1A');
    expect(details.subscription.id).toBe(subscription.id);
    expect(details.subscription.assigned).toBe(24);
    expect(details.users).toHaveLength(20);
    expect(details.users[0]!.name).toBe('User 01');
    expect(details.subscription.monthlyPrice).toEqual({ amountMinor: 42_000, currency: 'USD' });
  });

  it('asks for more of an id that several subscriptions start with, and says when none matches', async () => {
    const product = await aProduct(database.prisma);
    await aSubscription(database.prisma, { id: 'abcdef12-0000-4000-8000-000000000001', productId: product.id });
    await aSubscription(database.prisma, { id: 'abcdef12-0000-4000-8000-000000000002', productId: product.id });
    await expect(showSubscription(ctx, 'abcdef12')).rejects.toMatchObject({ code: 'ambiguous' });
    await expect(showSubscription(ctx, 'ffffff00')).rejects.toMatchObject({
      code: 'not_found',
      userMessage: expect.stringContaining('/purchases list status:all'),
    });
  });

  it('adds up every active subscription of a product and groups its users by purchaser', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro', id: 'CFQ7TTC0H9MP' });
    const ana = await aPerson(database.prisma, { name: 'Ana López' });
    const bo = await aPerson(database.prisma, { name: 'Bo Chen' });
    const [u1, u2, u3, u4] = await Promise.all([1, 2, 3, 4].map((i) => aPerson(database.prisma, { name: `User ${i}` })));
    const central = await aSubscription(database.prisma, { productId: product.id, purchaserId: null, isSelfService: false, licensesPurchased: 100 });
    const anaOne = await aSubscription(database.prisma, { productId: product.id, purchaserId: ana.id, licensesPurchased: 5 });
    const anaTwo = await aSubscription(database.prisma, { productId: product.id, purchaserId: ana.id, licensesPurchased: 3 });
    const boSub = await aSubscription(database.prisma, { productId: product.id, purchaserId: bo.id, licensesPurchased: 2 });
    await aSubscription(database.prisma, { productId: product.id, purchaserId: bo.id, licensesPurchased: 50, status: 'Deleted' });
    await assign(database.prisma, central.id, [u1!.id]);
    await assign(database.prisma, anaOne.id, [u2!.id, ana.id]);
    await assign(database.prisma, anaTwo.id, [u3!.id]);
    await assign(database.prisma, boSub.id, [u4!.id]);

    const licenses = await productLicenses(ctx, 'cfq7ttc0h9mp');
    expect(licenses).toMatchObject({ available: 110, assigned: 5, free: 105 });
    expect(licenses.groups.map((g) => g.purchaser?.name ?? 'central')).toEqual(['central', 'Ana López', 'Bo Chen']);
    const anaGroup = licenses.groups[1]!;
    expect(anaGroup.licenses).toBe(8);
    expect(anaGroup.subscriptions).toHaveLength(2);
    expect(anaGroup.users.map((u) => u.name).sort()).toEqual(['Ana López', 'User 2', 'User 3']);
  });
});
