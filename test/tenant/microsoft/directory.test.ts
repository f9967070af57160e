import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MicrosoftTenant } from '../../../src/tenant/microsoft/index.js';
import { microsoftTenantOf } from '../../support/microsoft.js';
import { DEMO_USERS, demoGraphTenant, graphFailures, startFakeMicrosoft, type FakeMicrosoft } from '../../../src/devkit/microsoft-fake/index.js';

const NOW = new Date('2025-06-02T09:00:00Z');
const POWER_BI_PRO = 'f8a1db68-be16-40ed-86d5-cb42ce701560';

describe('the Microsoft directory and licenses, built from the configuration', () => {
  let fake: FakeMicrosoft;
  let tenant: MicrosoftTenant;
  const logged: unknown[][] = [];

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), graphPageSize: 5, now: () => NOW });
    tenant = microsoftTenantOf(fake, { MS_MAX_RETRIES: '0' }, { debug: (...args) => logged.push(args), warn: (...args) => logged.push(args) });
  });

  afterEach(async () => {
    await fake?.close();
  });

  it('reads the whole tenant in one snapshot, with what it skipped', async () => {
    fake.graph.failNext('GET', '/v1.0/directory/subscriptions', graphFailures.page([{ id: 'broken' }]));

    const snapshot = await tenant.directory.readSnapshot();

    expect(snapshot.skus.map((sku) => sku.skuPartNumber)).toEqual(['POWER_BI_PRO', 'VISIOCLIENT', 'FLOW_PER_USER', 'PROJECTPROFESSIONAL']);
    expect(snapshot.users).toHaveLength(8);
    expect(snapshot.subscriptions).toEqual([]);
    expect(snapshot.skipped).toEqual([{ what: 'subscription', id: 'broken', reason: expect.stringContaining('skuId') }]);
    expect(logged.some(([what]) => what === 'Microsoft Graph')).toBe(true);
  });

  it('fails the snapshot as a whole when one part cannot be read', async () => {
    fake.graph.failNext('GET', '/v1.0/users', graphFailures.forbidden());

    await expect(tenant.directory.readSnapshot()).rejects.toMatchObject({ code: 'tenant_forbidden' });
  });

  it('gives fresh seat counts of one SKU, and nothing for a SKU the tenant lacks', async () => {
    expect(await tenant.licenses.seats(POWER_BI_PRO.toUpperCase())).toEqual({ enabledUnits: 13, consumedUnits: 3 });

    expect(await tenant.licenses.changeLicenses({ userId: DEMO_USERS.meera.id, remove: [POWER_BI_PRO] })).toEqual({ ok: true });

    expect(await tenant.licenses.seats(POWER_BI_PRO)).toEqual({ enabledUnits: 13, consumedUnits: 2 });
    expect(await tenant.licenses.seats('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('signs in once per service with one app registration: a licensing token and a Graph token', async () => {
    await tenant.policies.listPolicies();
    await tenant.directory.readSnapshot();
    await tenant.licenses.seats(POWER_BI_PRO);

    expect([...fake.tokenScopes.values()].sort()).toEqual(['aeb86249-8ea3-49e2-900b-54cc8e308f85/.default', `${fake.url}/.default`].sort());
  });
});
