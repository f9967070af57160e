import { describe, expect, it } from 'vitest';
import { decodeLicensesCursor, GROUPS_PER_PAGE, productLicenses, USERS_PER_GROUP } from '../../src/services/product-licenses.js';
import { showSubscription } from '../../src/services/show-subscription.js';
import { aPerson, aProduct, aSubscription, assign, manyPeople, manySubscriptions } from '../support/builders.js';
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
    await assign(
      database.prisma,
      subscription.id,
      users.map((u) => u.id),
    );
    await database.prisma.licenseAssignment.updateMany({
      where: { subscriptionId: subscription.id, userId: users[0]!.id },
      data: { removedAt: now },
    });

    // Its neighbours by id, with holders of their own: the users and the origin asked for beside it are its own.
    for (const [id, isSelfService] of [
      ['3f2b9c19-ffff-4fff-bfff-ffffffffffff', false],
      ['3f2b9c1b-0000-4000-8000-000000000000', false],
    ] as const) {
      const neighbour = await aSubscription(database.prisma, { id, productId: product.id, isSelfService });
      await assign(database.prisma, neighbour.id, [buyer.id]);
    }

    const details = await showSubscription(ctx, '3F2B9C1A');
    expect(details.subscription.id).toBe(subscription.id);
    expect(details.subscription.assigned).toBe(24);
    expect(details.users).toHaveLength(20);
    expect(details.users[0]!.name).toBe('User 01');
    expect(details.users.map((u) => u.name)).not.toContain('Ana López');
    expect(details.origin).toMatchObject({ isSelfService: true });
    expect(details.subscription.monthlyPrice).toEqual({ amountMinor: 42_000, currency: 'USD' });
    const whole = await showSubscription(ctx, subscription.id.toUpperCase());
    expect(whole).toEqual(details);
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

  it('finds ids by prefix exactly at the edges of the prefix range', async () => {
    const product = await aProduct(database.prisma);
    const ids = [
      '3f2b9c19-ffff-4fff-bfff-ffffffffffff',
      '3f2b9c1a-0000-4000-8000-000000000000',
      '3f2b9c1a-ffff-4fff-bfff-ffffffffffff',
      '3f2b9c1b-0000-4000-8000-000000000000',
      '3f2b9c1f-ffff-4fff-bfff-ffffffffffff',
      '3f2b9c20-0000-4000-8000-000000000000',
      '3f2b9ca0-0000-4000-8000-000000000000',
    ];
    for (const id of ids) await aSubscription(database.prisma, { id, productId: product.id });
    const found = async (ref: string) => (await showSubscription(ctx, ref)).subscription.id;

    expect(await found('3f2b9c19')).toBe(ids[0]);
    expect(await found('3f2b9c1b')).toBe(ids[3]);
    expect(await found('3f2b9c1f')).toBe(ids[4]);
    expect(await found('3f2b9c20')).toBe(ids[5]);
    expect(await found('3f2b9c1a-f')).toBe(ids[2]);
    expect(await found('3f2b9c1a-0')).toBe(ids[1]);
    expect(await found('3F2B9C1B-')).toBe(ids[3]);
    expect(await found(ids[6]!)).toBe(ids[6]);
    await expect(showSubscription(ctx, '3f2b9c1a')).rejects.toMatchObject({ code: 'ambiguous' });
    await expect(showSubscription(ctx, '3f2b9c1c')).rejects.toMatchObject({ code: 'not_found' });
    await expect(showSubscription(ctx, '3f2b9c9')).rejects.toMatchObject({ code: 'not_found' });
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

  it('pages a product’s purchasers, most licenses first, with their first users by name', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro', id: 'CFQ7TTC0H9MP' });
    const groups = GROUPS_PER_PAGE + 6;
    const buyers = await manyPeople(database.prisma, groups, 'Buyer');
    const users = await manyPeople(database.prisma, 30, 'User');
    // Buyer i has i + 1 users (Buyer 0025 most), but Buyer 0004 has 4 like Buyer 0003: the tie goes by name.
    const subscriptions = await manySubscriptions(database.prisma, groups, (i) => ({ productId: product.id, purchaserId: buyers[i]!, licensesPurchased: 40 }));
    for (let i = 0; i < groups; i++) await assign(database.prisma, subscriptions[i]!, users.slice(0, i === 4 ? 4 : i + 1));
    const central = await aSubscription(database.prisma, { productId: product.id, isSelfService: false, licensesPurchased: 100 });
    await assign(database.prisma, central.id, users.slice(0, 2));

    const first = await productLicenses(ctx, 'power bi pro');
    expect(first).toMatchObject({ available: 40 * groups + 100, offset: 0, groupCount: groups + 1 });
    expect(first.assigned).toBe(2 + Array.from({ length: groups }, (_, i) => (i === 4 ? 4 : i + 1)).reduce((a, b) => a + b, 0));
    expect(first.groups).toHaveLength(GROUPS_PER_PAGE);
    expect(first.groups[0]).toMatchObject({
      purchaser: null,
      assigned: 2,
      licenses: 100,
      subscriptions: [{ id: central.id, shortId: central.id.slice(0, 8) }],
    });
    expect(first.groups[1]).toMatchObject({ purchaser: { name: 'Buyer 0025' }, assigned: 26 });
    expect(first.groups[1]!.users).toHaveLength(USERS_PER_GROUP);
    expect(first.groups[1]!.users.map((u) => u.name)).toEqual(Array.from({ length: USERS_PER_GROUP }, (_, i) => `User ${String(i).padStart(4, '0')}`));
    expect(first.prevCursor).toBeUndefined();

    const next = decodeLicensesCursor(first.nextCursor!);
    const second = await productLicenses(ctx, next.productId, next.offset);
    expect(second.offset).toBe(GROUPS_PER_PAGE);
    expect(second.nextCursor).toBeUndefined();
    const names = [...first.groups, ...second.groups].map((g) => g.purchaser?.name ?? 'central');
    expect(new Set(names).size).toBe(groups + 1);
    expect(names.slice(-5)).toEqual(['Buyer 0003', 'Buyer 0004', 'Buyer 0002', 'Buyer 0001', 'Buyer 0000']);
    expect(second.available).toBe(first.available);
    const previous = decodeLicensesCursor(second.prevCursor!);
    const back = await productLicenses(ctx, previous.productId, previous.offset);
    expect(back.groups.map((g) => g.purchaser?.id ?? null)).toEqual(first.groups.map((g) => g.purchaser?.id ?? null));
  });
});
