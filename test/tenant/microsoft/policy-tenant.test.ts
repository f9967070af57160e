import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLicensingClient, type LicensingLogEntry } from '../../../src/tenant/microsoft/licensing-client.js';
import { createMicrosoftPolicyTenant } from '../../../src/tenant/microsoft/policy-tenant.js';
import { microsoftConfig } from '../../support/microsoft.js';
import { createMicrosoftCredential } from '../../../src/tenant/microsoft/token.js';
import type { PolicyTenant } from '../../../src/tenant/port.js';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../../src/devkit/microsoft-fake/index.js';
import { appErrorOf } from '../../support/app-error.js';

/** Wires the adapter the way the composition root will: env -> config -> credential -> client. */
function tenantFor(fake: FakeMicrosoft, env: Record<string, string> = {}) {
  const config = microsoftConfig(fake, env);
  const logs: LicensingLogEntry[] = [];
  const client = createLicensingClient({
    baseUrl: config.licensingUrl,
    credential: createMicrosoftCredential(config),
    timeoutMs: config.httpTimeoutMs,
    maxRetries: config.maxRetries,
    sleep: async () => {},
    log: (entry) => logs.push(entry),
  });
  return { tenant: createMicrosoftPolicyTenant(client), logs };
}

describe('the microsoft policy tenant', () => {
  let fake: FakeMicrosoft;
  let tenant: PolicyTenant;
  let logs: LicensingLogEntry[];

  beforeEach(async () => {
    fake = await startFakeMicrosoft();
    ({ tenant, logs } = tenantFor(fake));
  });

  afterEach(async () => {
    await fake?.close();
  });

  it('lists products and offer types as tenant policies', async () => {
    const policies = await tenant.listPolicies();

    expect(policies).toContainEqual({ id: 'CFQ7TTC0H9MP', kind: 'product', name: 'Power BI Pro', value: 'Enabled' });
    expect(policies).toContainEqual({ id: 'CFQ7TTC0HD33', kind: 'product', name: 'Visio Plan 1', value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(policies).toContainEqual({ id: 'DYNAMICSCE', kind: 'offerType', name: 'DYNAMICSCE', value: 'Disabled' });
    expect(policies).toHaveLength(8);
  });

  it('reads and changes a product policy in the tenant', async () => {
    expect(await tenant.getPolicy('CFQ7TTC0LH2H', 'product')).toEqual({
      id: 'CFQ7TTC0LH2H',
      kind: 'product',
      name: 'Power Apps per user',
      value: 'Enabled',
    });

    const changed = await tenant.setPolicy('CFQ7TTC0LH2H', 'product', 'OnlyTrialsWithoutPaymentMethod');

    expect(changed.value).toBe('OnlyTrialsWithoutPaymentMethod');
    expect(fake.products.get('CFQ7TTC0LH2H')?.policyValue).toBe('OnlyTrialsWithoutPaymentMethod');
  });

  it('changes an offer type, whatever the case the admin typed it in', async () => {
    const changed = await tenant.setPolicy('saas', 'offerType', 'Disabled');

    expect(changed).toEqual({ id: 'SaaS', kind: 'offerType', name: 'SaaS', value: 'Disabled' });
    expect(fake.offerTypes.get('SaaS')).toBe('Disabled');
  });

  it('refuses trials without a payment method for an offer type before asking Microsoft', async () => {
    const error = await appErrorOf(tenant.setPolicy('POWERBIVISUALS', 'offerType', 'OnlyTrialsWithoutPaymentMethod'));

    expect(error.code).toBe('bad_input');
    expect(error.userMessage).toBe('POWERBIVISUALS is a third-party offer type: it takes only Enabled or Disabled, not trials without a payment method.');
    expect(fake.counts.licensingRequests).toBe(0);
    expect(fake.counts.tokenRequests).toBe(0);
  });

  it('refuses an unknown offer type and lists the real ones', async () => {
    const error = await appErrorOf(tenant.getPolicy('APPSOURCE', 'offerType'));

    expect(error.code).toBe('bad_input');
    expect(error.userMessage).toContain('SaaS, POWERBIVISUALS, DYNAMICSCE, DYNAMICSBC');
  });

  it('says not_found for a product the tenant does not have', async () => {
    const error = await appErrorOf(tenant.setPolicy('CFQ7TTC0ZZZZ', 'product', 'Disabled'));

    expect(error.code).toBe('not_found');
  });

  it('fetches one token and reuses it for every call', async () => {
    await tenant.listPolicies();
    await tenant.getPolicy('CFQ7TTC0H9MP', 'product');
    await tenant.setPolicy('CFQ7TTC0H9MP', 'product', 'Disabled');

    expect(fake.counts.tokenRequests).toBe(1);
    expect(fake.tokensIssued).toHaveLength(1);
    expect(new Set(fake.requests.map((request) => request.authorization))).toEqual(new Set([`Bearer ${fake.tokensIssued[0]}`]));
  });

  it('logs nothing that contains the token, even when Microsoft refuses', async () => {
    await tenant.listPolicies();
    fake.failNext(1, { status: 403, body: '{"error":{"code":"Forbidden","message":"Insufficient privileges."}}' });
    const error = await appErrorOf(tenant.setPolicy('CFQ7TTC0H9MP', 'product', 'Disabled'));

    const token = fake.tokensIssued[0] ?? 'no token issued';
    const everything = JSON.stringify([logs, error.message, error.userMessage]);
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(fake.clientSecret);
  });

  it('tells the admin to check the app registration when the client secret is wrong', async () => {
    ({ tenant } = tenantFor(fake, { MS_CLIENT_SECRET: 'an-expired-secret' }));

    const error = await appErrorOf(tenant.listPolicies());

    expect(error.code).toBe('tenant_forbidden');
    expect(error.userMessage).toContain('MS_TENANT_ID, MS_CLIENT_ID and the client secret or certificate');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('an-expired-secret');
    expect(fake.counts.licensingRequests).toBe(0);
  });
});
