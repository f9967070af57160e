/**
 * Subscription.licensesAssigned is kept by database triggers (migration
 * 20261202040352_licenses_assigned_counter), whoever writes the licenses. This also fails when
 * a later migration rebuilds LicenseAssignment and so drops the triggers without creating them again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RECOUNT_LICENSES_ASSIGNED } from '../../src/db/repositories/license-counter.js';
import { grantLicenses } from '../../src/db/repositories/licenses.js';
import { aProduct, aSubscription, assign, manyPeople } from '../support/builders.js';
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
    await prisma.licenseAssignment.create({ data: { id: randomUUID(), subscriptionId: b.id, userId: users[28]!, assignedAt: new Date(), removedAt: new Date() } });
    expect(await counts(ids)).toEqual([{ kept: 20, counted: 20 }, { kept: 1, counted: 1 }]);

    // Removed in bulk, one removed twice (no change the second time), one given back.
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: { in: users.slice(0, 5) } }, data: { removedAt: new Date() } });
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: users[0]! }, data: { removedAt: new Date() } });
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id, userId: users[1]! }, data: { removedAt: null } });
    // Another column changed: nothing to count.
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: a.id }, data: { source: 'import' } });
    expect(await counts(ids)).toEqual([{ kept: 16, counted: 16 }, { kept: 1, counted: 1 }]);

    // A set-based grant (INSERT … SELECT and the return of removed licenses), then a license moved across.
    await grantLicenses(prisma, b.id, { holdersOf: a.id }, new Date());
    const moved = await prisma.licenseAssignment.findFirstOrThrow({ where: { subscriptionId: a.id, userId: users[10]! } });
    await prisma.licenseAssignment.update({ where: { id: moved.id }, data: { subscriptionId: b.id, userId: users[27]! } });
    expect(await counts(ids)).toEqual([{ kept: 15, counted: 15 }, { kept: 18, counted: 18 }]);

    // Of users 0–2 only user 1 holds a license of b (the others' licenses of a were removed before the grant); user 28's is removed.
    await prisma.licenseAssignment.deleteMany({ where: { subscriptionId: b.id, userId: { in: users.slice(0, 3) } } });
    await prisma.licenseAssignment.deleteMany({ where: { subscriptionId: b.id, removedAt: { not: null } } });
    expect(await counts(ids)).toEqual([{ kept: 15, counted: 15 }, { kept: 17, counted: 17 }]);
  });

  it('is counted again from the licenses by the recount statement after a load that went around the triggers', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const subscription = await aSubscription(prisma, { productId: product.id });
    const empty = await aSubscription(prisma, { productId: product.id });
    await assign(prisma, subscription.id, await manyPeople(prisma, 7));
    await prisma.subscription.updateMany({ data: { licensesAssigned: 99 } });

    await prisma.$executeRawUnsafe(RECOUNT_LICENSES_ASSIGNED[provider]);

    expect(await counts([subscription.id, empty.id])).toEqual([{ kept: 7, counted: 7 }, { kept: 0, counted: 0 }]);
  });
});
