import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countProductHolders, findUnattributedHolders } from '../../src/db/repositories/attribution.js';
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
});
