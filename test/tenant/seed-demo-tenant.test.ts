import { describe, expect, it } from 'vitest';
import { buildDemoTenant, seedDemoTenant } from '../../src/tenant/local/demo-tenant.js';
import { dialectProviders, onSqliteOnly, useTestDatabase } from '../support/database.js';

const NOW = new Date('2025-06-15T09:00:00.000Z');

describe.each(dialectProviders)('seedDemoTenant on %s', (provider) => {
  const database = useTestDatabase(provider);
  const anyDialect = onSqliteOnly(provider);

  async function emptyDatabase() {
    return database.prisma;
  }

  it('writes the whole demo tenant into an empty database', async () => {
    const prisma = await emptyDatabase();
    const expected = buildDemoTenant(NOW);

    const result = await seedDemoTenant(prisma, NOW);

    expect(result).toEqual({
      seeded: true,
      counts: {
        products: expected.products.length,
        people: expected.people.length,
        subscriptions: expected.subscriptions.length,
        assignments: expected.assignments.length,
      },
    });
    expect(await prisma.product.count()).toBe(21);
    expect(await prisma.person.count()).toBe(expected.people.length);
    expect(await prisma.subscription.count()).toBe(expected.subscriptions.length);
    expect(await prisma.licenseAssignment.count()).toBe(expected.assignments.length);
  });

  it('stores subscriptions exactly as built, dates and cancellations included', async () => {
    const prisma = await emptyDatabase();
    const expected = buildDemoTenant(NOW);
    await seedDemoTenant(prisma, NOW);

    const cancelled = expected.subscriptions.find((s) => s.status === 'Deleted' && s.cancelComment !== null);
    expect(cancelled).toBeDefined();
    const stored = await prisma.subscription.findUniqueOrThrow({ where: { id: cancelled?.id ?? '' } });
    expect(stored).toMatchObject({ ...cancelled });
    expect(await prisma.licenseAssignment.count({ where: { subscriptionId: cancelled?.id ?? '', removedAt: null } })).toBe(0);

    const powerBiPro = await prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0H9MP' } });
    expect(powerBiPro).toMatchObject({ kind: 'product', name: 'Power BI Pro' });
    expect(await prisma.subscription.count({ where: { isSelfService: false } })).toBe(5);
  });

  anyDialect('writes nothing when the database already has products', async () => {
    const prisma = await emptyDatabase();
    await seedDemoTenant(prisma, NOW);

    const again = await seedDemoTenant(prisma, new Date(NOW.getTime() + 60_000));

    expect(again).toEqual({
      seeded: false,
      counts: { products: 0, people: 0, subscriptions: 0, assignments: 0 },
    });
    expect(await prisma.subscription.count()).toBe(buildDemoTenant(NOW).subscriptions.length);
    expect(await prisma.person.count()).toBe(300);
  });
});
