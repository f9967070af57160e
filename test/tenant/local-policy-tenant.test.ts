import { beforeEach, describe, expect, it } from 'vitest';
import { createLocalPolicyTenant } from '../../src/tenant/local/policy-tenant.js';
import type { PolicyTenant } from '../../src/tenant/port.js';
import { aProduct } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('the local policy tenant on %s', (provider) => {
  const database = useTestDatabase(provider);
  let tenant: PolicyTenant;

  beforeEach(async () => {
    tenant = createLocalPolicyTenant(database.prisma);
    await aProduct(database.prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro', policyValue: 'Enabled' });
    await aProduct(database.prisma, { id: 'SaaS', name: 'Third-party SaaS apps', kind: 'offerType', policyValue: 'Disabled' });
  });

  it('lists products before offer types, as the database holds them', async () => {
    expect(await tenant.listPolicies()).toEqual([
      { id: 'CFQ7TTC0H9MP', kind: 'product', name: 'Power BI Pro', value: 'Enabled' },
      { id: 'SaaS', kind: 'offerType', name: 'Third-party SaaS apps', value: 'Disabled' },
    ]);
  });

  it('writes an accepted value to the product and returns it', async () => {
    expect(await tenant.setPolicy('CFQ7TTC0H9MP', 'product', 'OnlyTrialsWithoutPaymentMethod')).toMatchObject({ value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(await tenant.getPolicy('CFQ7TTC0H9MP', 'product')).toMatchObject({ value: 'OnlyTrialsWithoutPaymentMethod' });
  });

  it('refuses trials on an offer type as Microsoft does, and leaves it as it was', async () => {
    await expect(tenant.setPolicy('SaaS', 'offerType', 'OnlyTrialsWithoutPaymentMethod')).rejects.toThrow(/Refused/);
    expect(await tenant.getPolicy('SaaS', 'offerType')).toMatchObject({ value: 'Disabled' });
  });

  it('says a product it does not hold is not found', async () => {
    await expect(tenant.setPolicy('CFQ7TTC0XXXX', 'product', 'Disabled')).rejects.toMatchObject({ code: 'not_found' });
  });
});
