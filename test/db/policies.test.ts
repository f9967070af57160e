import { describe, expect, it } from 'vitest';
import { writeJobState } from '../../src/db/repositories/job-state.js';
import { insertProductPolicy, listRecordedPolicies, readRecordedPolicies } from '../../src/db/repositories/policies.js';
import { aProduct } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('the recorded policies in one statement on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('lists products, then offer types, each by name, leaving out SKUs, with the JobState value asked for', async () => {
    const prisma = database.prisma;
    const changedAt = new Date('2026-11-20T10:15:00Z');
    await aProduct(prisma, { id: 'P-VISIO', name: 'Visio Plan 2' });
    await aProduct(prisma, { id: 'OFFER-TRIAL', name: 'Trials', kind: 'offerType', policyValue: 'OnlyTrialsWithoutPaymentMethod' });
    await aProduct(prisma, { id: 'P-BI', name: 'Power BI Pro', policyValue: 'Disabled' });
    await aProduct(prisma, { id: 'SKU-1', name: 'A SKU only', kind: 'sku' });
    await prisma.product.update({ where: { id: 'P-BI' }, data: { policyChangedAt: changedAt, policyChangedBy: 'U0ADMIN0001' } });
    await writeJobState(prisma, 'policy.lastSync', '2026-11-25T08:00:00.000Z', changedAt);

    const { policies, jobState } = await readRecordedPolicies(prisma, 'policy.lastSync');

    expect(policies.map((p) => [p.id, p.kind, p.value])).toEqual([
      ['P-BI', 'product', 'Disabled'],
      ['P-VISIO', 'product', 'Enabled'],
      ['OFFER-TRIAL', 'offerType', 'OnlyTrialsWithoutPaymentMethod'],
    ]);
    expect(policies[0]).toMatchObject({ name: 'Power BI Pro', changedAt, changedBy: 'U0ADMIN0001' });
    expect(policies[1]).toMatchObject({ changedAt: null, changedBy: null });
    expect(policies.every((p) => p.firstSeenAt instanceof Date && !Number.isNaN(p.firstSeenAt.getTime()))).toBe(true);
    expect(jobState).toBe('2026-11-25T08:00:00.000Z');
    expect(await listRecordedPolicies(prisma)).toEqual(policies);
  });

  it('gives the JobState value when no product is recorded, and null for a key never written', async () => {
    const prisma = database.prisma;
    await writeJobState(prisma, 'policy.lastSync', 'then', new Date());

    expect(await readRecordedPolicies(prisma, 'policy.lastSync')).toEqual({ policies: [], jobState: 'then' });
    expect(await readRecordedPolicies(prisma, 'never.written')).toEqual({ policies: [], jobState: null });
  });

  it('records a product whose policy is read for the first time: inserted, or promoted from the SKU a sync recorded, never over a recorded policy', async () => {
    const prisma = database.prisma;
    const now = new Date('2026-11-25T09:00:00.250Z');
    await aProduct(prisma, { id: 'P-SKU', name: 'POWER_BI_PRO', kind: 'sku' });
    await aProduct(prisma, { id: 'P-KNOWN', name: 'Visio Plan 2', policyValue: 'Disabled' });

    expect(await insertProductPolicy(prisma, { id: 'P-NEW', kind: 'product', name: 'Project Plan 1', value: 'Enabled' }, now)).toBe(true);
    expect(await insertProductPolicy(prisma, { id: 'P-SKU', kind: 'product', name: 'Power BI Pro', value: 'OnlyTrialsWithoutPaymentMethod' }, now)).toBe(true);
    expect(await insertProductPolicy(prisma, { id: 'P-KNOWN', kind: 'product', name: 'Visio', value: 'Enabled' }, now)).toBe(false);

    const rows = await prisma.product.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((p) => [p.id, p.kind, p.name, p.policyValue])).toEqual([
      ['P-KNOWN', 'product', 'Visio Plan 2', 'Disabled'],
      ['P-NEW', 'product', 'Project Plan 1', 'Enabled'],
      ['P-SKU', 'product', 'Power BI Pro', 'OnlyTrialsWithoutPaymentMethod'],
    ]);
    expect(rows[1]).toMatchObject({ firstSeenAt: now, createdAt: now, updatedAt: now });
    expect(rows[2]).toMatchObject({ firstSeenAt: now, updatedAt: now });
  });
});
