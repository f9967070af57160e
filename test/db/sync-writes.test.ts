import { describe, expect, it } from 'vitest';
import { writeProducts } from '../../src/db/repositories/sync.js';
import { aProduct } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('the products a tenant sync writes on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('keeps a product recorded since the sync read the record (the policy guard, on another replica), and inserts the others', async () => {
    const prisma = database.prisma;
    const seen = new Date('2026-11-25T09:00:00.123Z');
    await aProduct(prisma, { id: 'CFQ7TTC0LH16', name: 'Power BI Pro', policyValue: 'Disabled' });

    await writeProducts(
      prisma,
      {
        create: [
          { id: 'CFQ7TTC0LH16', kind: 'sku', name: 'POWER_BI_PRO', firstSeenAt: seen },
          { id: 'CFQ7TTC0HDB0', kind: 'sku', name: 'VISIOCLIENT', firstSeenAt: seen },
        ],
      },
      { create: [], update: [] },
    );

    const products = await prisma.product.findMany({ orderBy: { id: 'asc' } });
    expect(products.map((p) => [p.id, p.kind, p.name, p.policyValue])).toEqual([
      ['CFQ7TTC0HDB0', 'sku', 'VISIOCLIENT', 'Enabled'],
      ['CFQ7TTC0LH16', 'product', 'Power BI Pro', 'Disabled'],
    ]);
    expect(products[0]).toMatchObject({ firstSeenAt: seen, createdAt: seen, updatedAt: seen });
  });
});
