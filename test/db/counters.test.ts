/**
 * What the database keeps counted with triggers (src/db/repositories/counters.ts), whoever
 * writes: Subscription.licensesAssigned and SelfServiceTotal. This also fails when a later
 * migration rebuilds LicenseAssignment or Subscription and so drops the triggers without
 * creating them again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RECOUNT_STATEMENTS } from '../../src/db/repositories/counters.js';
import { findPurchasersExactly } from '../../src/db/repositories/catalog.js';
import { grantLicenses } from '../../src/db/repositories/licenses.js';
import { aPerson, aProduct, aSubscription, assign, manyPeople, manySubscriptions } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('the count of assigned licenses on %s', (provider) => {
  const database = useTestDatabase(provider);

  /** Each subscription's kept count beside a count of its current licenses. */
  async function counts(ids: string[]) {
    const prisma = database.prisma;
    return Promise.all(
      ids.map(async (id) => ({
        kept: (await prisma.subscription.findUniqueOrThrow({ where: { id } })).licensesAssigned,
        counted: await prisma.licenseAssignment.count({ where: { subscriptionId: id, removedAt: null } }),
      })),
    );
  }

  it('follows every insert, removal, return, move and delete of a license, in bulk or one by one', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const [a, b] = [await aSubscription(prisma, { productId: product.id }), await aSubscription(prisma, { productId: product.id, isSelfService: false })];
    const users = await manyPeople(prisma, 30);
    const ids = [a.id, b.id];

    await assign(prisma, a.id, users.slice(0, 20));
    await prisma.licenseAssignment.create({ data: { id: randomUUID(), subscriptionId: b.id, userId: users[29]!, assignedAt: new Date() } });
    await prisma.licenseAssignment.create({
      data: { id: randomUUID(), subscriptionId: b.id, userId: users[28]!, assignedAt: new Date(), removedAt: new Date() },
    });
    expect(await counts(ids)).toEqual([
      { kept: 20, counted: 20 },
      { kept: 1, counted: 1 },
    ]);

    // Removed in bulk, one removed twice (no change the second time), one given back.
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: { in: users.slice(0, 5) } }, data: { removedAt: new Date() } });
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: users[0]! }, data: { removedAt: new Date() } });
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: users[1]! }, data: { removedAt: null } });
    // Another column changed: nothing to count.
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id }, data: { source: 'import' } });
    expect(await counts(ids)).toEqual([
      { kept: 16, counted: 16 },
      { kept: 1, counted: 1 },
    ]);

    // A set-based grant (INSERT … SELECT and the return of removed licenses), then a license moved across.
    await grantLicenses(prisma, b.id, { holdersOf: a.id }, new Date());
    const moved = await prisma.licenseAssignment.findFirstOrThrow({ where: { subscriptionId: a.id, userId: users[10]! } });
    await prisma.licenseAssignment.update({ where: { id: moved.id }, data: { subscriptionId: b.id, userId: users[27]! } });
    expect(await counts(ids)).toEqual([
      { kept: 15, counted: 15 },
      { kept: 18, counted: 18 },
    ]);

    // Of users 0–2 only user 1 holds a license of b (the others' licenses of a were removed before the grant); user 28's is removed.
    await prisma.licenseAssignment.deleteMany({ where: { subscriptionId: b.id, userId: { in: users.slice(0, 3) } } });
    await prisma.licenseAssignment.deleteMany({ where: { subscriptionId: b.id, removedAt: { not: null } } });
    expect(await counts(ids)).toEqual([
      { kept: 15, counted: 15 },
      { kept: 17, counted: 17 },
    ]);
  });

  it('is counted again from the licenses by the recount statement after a load that went around the triggers', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const subscription = await aSubscription(prisma, { productId: product.id });
    const empty = await aSubscription(prisma, { productId: product.id });
    await assign(prisma, subscription.id, await manyPeople(prisma, 7));
    await prisma.subscription.updateMany({ data: { licensesAssigned: 99 } });

    for (const statement of RECOUNT_STATEMENTS[provider]) await prisma.$executeRawUnsafe(statement);

    expect(await counts([subscription.id, empty.id])).toEqual([
      { kept: 7, counted: 7 },
      { kept: 0, counted: 0 },
    ]);
  });

  /** SelfServiceTotal beside the same totals added up from the subscriptions themselves. */
  async function totals() {
    const prisma = database.prisma;
    const kept = (await prisma.selfServiceTotal.findMany())
      .filter((t) => t.subscriptions !== 0 || t.licenses !== 0 || t.monthlyMinor !== 0n || t.unknownPrices !== 0)
      .map((t) => ({ ...t, monthlyMinor: Number(t.monthlyMinor) }));
    const counted = new Map<string, (typeof kept)[number]>();
    for (const s of await prisma.subscription.findMany({ where: { isSelfService: true } })) {
      const key = [s.status, s.productId, s.currency ?? '', s.isTrial].join('|');
      const known = s.unitPriceMinor !== null && s.currency !== null;
      const t = counted.get(key) ?? {
        status: s.status,
        productId: s.productId,
        currency: s.currency ?? '',
        isTrial: s.isTrial,
        subscriptions: 0,
        licenses: 0,
        monthlyMinor: 0,
        unknownPrices: 0,
      };
      t.subscriptions += 1;
      t.licenses += s.licensesPurchased;
      t.monthlyMinor += known ? s.unitPriceMinor! * s.licensesPurchased : 0;
      t.unknownPrices += known ? 0 : 1;
      counted.set(key, t);
    }
    const order = (rows: typeof kept) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return { kept: order(kept), counted: order([...counted.values()]) };
  }

  it('keeps the self-service totals through inserts, bulk inserts, changes of every column they read, and deletes', async () => {
    const prisma = database.prisma;
    const [bi, visio] = [await aProduct(prisma), await aProduct(prisma)];
    const buyer = await aPerson(prisma);
    const one = await aSubscription(prisma, { productId: bi.id, purchaserId: buyer.id, licensesPurchased: 3, unitPriceMinor: 1000, currency: 'USD' });
    const ids = await manySubscriptions(prisma, 12, (i) => ({
      productId: i % 3 === 0 ? visio.id : bi.id,
      purchaserId: buyer.id,
      licensesPurchased: i + 1,
      unitPriceMinor: i % 4 === 0 ? null : 500 + i,
      currency: i % 5 === 0 ? null : i % 2 === 0 ? 'EUR' : 'USD',
      isTrial: i % 6 === 0,
      isSelfService: i !== 7,
    }));
    let now = await totals();
    expect(now.kept).toEqual(now.counted);
    expect(now.kept.length).toBeGreaterThan(4);

    await prisma.subscription.update({ where: { id: one.id }, data: { status: 'Deleted' } });
    await prisma.subscription.update({ where: { id: ids[1]! }, data: { licensesPurchased: 40, unitPriceMinor: null } });
    await prisma.subscription.update({ where: { id: ids[2]! }, data: { currency: null } });
    await prisma.subscription.update({ where: { id: ids[4]! }, data: { unitPriceMinor: 0 } });
    await prisma.subscription.update({ where: { id: ids[5]! }, data: { productId: visio.id, isTrial: true } });
    await prisma.subscription.update({ where: { id: ids[7]! }, data: { isSelfService: true } });
    await prisma.subscription.update({ where: { id: ids[8]! }, data: { isSelfService: false } });
    await prisma.subscription.updateMany({ where: { productId: bi.id, status: 'Active' }, data: { status: 'Deleted', cancelledBy: 'U1' } });
    // Columns the totals do not read (and the license counter's updates) change nothing.
    await prisma.subscription.updateMany({ data: { cancelComment: 'x' } });
    await assign(prisma, ids[3]!, await manyPeople(prisma, 4));
    now = await totals();
    expect(now.kept).toEqual(now.counted);

    await prisma.subscription.deleteMany({ where: { id: { in: ids.slice(9) } } });
    await prisma.subscription.delete({ where: { id: one.id } });
    now = await totals();
    expect(now.kept).toEqual(now.counted);
  });

  it('counts the totals again from the subscriptions with the recount statements', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    await manySubscriptions(prisma, 5, (i) => ({ productId: product.id, licensesPurchased: i + 1 }));
    await prisma.selfServiceTotal.updateMany({ data: { subscriptions: 99 } });
    await prisma.selfServiceTotal.create({
      data: { status: 'Active', productId: product.id, currency: 'XXX', isTrial: false, subscriptions: 1, licenses: 1, monthlyMinor: 1n, unknownPrices: 0 },
    });

    for (const statement of RECOUNT_STATEMENTS[provider]) await prisma.$executeRawUnsafe(statement);

    const now = await totals();
    expect(now.kept).toEqual(now.counted);
  });

  it('keeps each person’s searchName, lower(name), through inserts, bulk inserts and renames, and finds a purchaser by a name typed in any case', async () => {
    const prisma = database.prisma;
    const ana = await aPerson(prisma, { name: 'Ana LOPEZ', email: 'ana.lopez@contoso.com' });
    const many = await manyPeople(prisma, 3, 'Bulk Person');
    await prisma.person.update({ where: { id: many[1]! }, data: { name: 'Renamed ONE' } });
    // Written by hand: the database sets it right again.
    await prisma.person.update({ where: { id: many[2]! }, data: { searchName: 'wrong' } });
    const rows = await prisma.person.findMany({ where: { id: { in: [ana.id, ...many] } }, orderBy: { name: 'asc' } });
    expect(rows.map((p) => [p.name, p.searchName])).toEqual([
      ['Ana LOPEZ', 'ana lopez'],
      ['Bulk Person 0000', 'bulk person 0000'],
      ['Bulk Person 0002', 'bulk person 0002'],
      ['Renamed ONE', 'renamed one'],
    ]);

    const product = await aProduct(prisma);
    await aSubscription(prisma, { productId: product.id, purchaserId: ana.id });
    expect((await findPurchasersExactly(prisma, 'ana lopez')).map((p) => p.id)).toEqual([ana.id]);
    expect((await findPurchasersExactly(prisma, 'ANA.LOPEZ@contoso.com')).map((p) => p.id)).toEqual([ana.id]);
    // Not a purchaser: not found.
    expect(await findPurchasersExactly(prisma, 'renamed one')).toEqual([]);
  });
});
