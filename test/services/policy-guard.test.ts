import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPolicyGuard, type PolicyGuardDeps } from '../../src/services/policy-guard.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { createPolicyTenant } from '../../src/tenant/policy-tenant.js';
import { dialectProviders, onSqliteOnly, useTestDatabase } from '../support/database.js';
import { failures, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { testConfig } from '../support/config.js';
import { microsoftEnv } from '../support/microsoft.js';

const CHANNEL = 'C0ADMINS01';
const firstRun = new Date('2026-11-25T08:00:00Z');
const now = new Date('2026-11-25T09:00:00Z');
const later = new Date('2026-11-25T10:00:00Z');
const TEAMS_PREMIUM = { productId: 'CFQ7TTC0RM8K', productName: 'Teams Premium Introductory Pricing', policyValue: 'Enabled' };

describe.each(dialectProviders)('the policy guard against Microsoft on %s', (provider) => {
  const database = useTestDatabase(provider);
  const anyDialect = onSqliteOnly(provider);
  let fake: FakeMicrosoft;

  function guard(mode: PolicyGuardDeps['mode'] = 'report'): PolicyGuardDeps {
    const tenant = createPolicyTenant(testConfig(microsoftEnv(fake, { MS_MAX_RETRIES: '0' })), database.prisma, { debug: () => {}, warn: () => {} });
    return { prisma: database.prisma, tenant, mode, defaultValue: 'Disabled', adminChannelId: CHANNEL, notices: slackNotices.policyGuard };
  }

  async function posts(): Promise<string[]> {
    const rows = await database.prisma.outboxMessage.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map((row) => (JSON.parse(row.payload) as { text: string }).text);
  }

  beforeEach(async () => {
    fake = await startFakeMicrosoft();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('takes stock on its first run over an empty record instead of reporting every product as new', async () => {
    const summary = await runPolicyGuard(guard('enforce'), firstRun);
    expect(summary).toMatchObject({ baseline: true, read: 8, newProducts: [], enforced: [] });
    expect(await database.prisma.product.count()).toBe(8);
    expect(fake.products.get('CFQ7TTC0H9MP')?.policyValue).toBe('Enabled');
    expect(await posts()).toEqual([expect.stringContaining('read the tenant for the first time and recorded 8')]);
    const lastSync = await database.prisma.jobState.findUniqueOrThrow({ where: { key: 'policy.lastSync' } });
    expect(lastSync.value).toBe(firstRun.toISOString());
  });

  it('reports a product new to the record with its value, once however often it runs', async () => {
    await runPolicyGuard(guard(), firstRun);
    fake.products.set(TEAMS_PREMIUM.productId, { ...TEAMS_PREMIUM });
    const summary = await runPolicyGuard(guard(), now);
    expect(summary.newProducts).toEqual([TEAMS_PREMIUM.productId]);
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: TEAMS_PREMIUM.productId } });
    expect(product).toMatchObject({ policyValue: 'Enabled', firstSeenAt: now });
    expect((await posts()).at(-1)).toContain(
      'New in the tenant: *Teams Premium Introductory Pricing* (`CFQ7TTC0RM8K`), which allows purchases and trials (*enabled*)',
    );

    const rerun = await runPolicyGuard(guard(), later);
    expect(rerun.newProducts).toEqual([]);
    expect(await posts()).toHaveLength(2);
  });

  anyDialect('with enforce, sets a new product that arrives enabled to the default at Microsoft and says so', async () => {
    await runPolicyGuard(guard('enforce'), firstRun);
    fake.products.set(TEAMS_PREMIUM.productId, { ...TEAMS_PREMIUM });
    const summary = await runPolicyGuard(guard('enforce'), now);
    expect(summary.enforced).toEqual([TEAMS_PREMIUM.productId]);
    expect(fake.products.get(TEAMS_PREMIUM.productId)?.policyValue).toBe('Disabled');
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: TEAMS_PREMIUM.productId } });
    expect(product).toMatchObject({ policyValue: 'Disabled', policyChangedBy: 'guard', firstSeenAt: now });
    const change = await database.prisma.policyChange.findFirstOrThrow({ where: { productId: TEAMS_PREMIUM.productId } });
    expect(change).toMatchObject({ before: 'Enabled', after: 'Disabled', source: 'guard' });
    expect((await posts()).at(-1)).toContain('The policy guard set it to *disabled* (POLICY_DEFAULT)');
  });

  anyDialect('with enforce, records and reports a new product it could not change, with the reason', async () => {
    await runPolicyGuard(guard('enforce'), firstRun);
    fake.products.set(TEAMS_PREMIUM.productId, { ...TEAMS_PREMIUM });
    fake.failRequests('PUT', `/v1.0/policies/AllowSelfServicePurchase/products/${TEAMS_PREMIUM.productId}`, failures.forbidden());
    const summary = await runPolicyGuard(guard('enforce'), now);
    expect(summary.enforceFailed).toEqual([{ id: TEAMS_PREMIUM.productId, reason: expect.stringContaining('Policy.ReadWrite.AllowSelfServicePurchase') }]);
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: TEAMS_PREMIUM.productId } });
    expect(product.policyValue).toBe('Enabled');
    expect((await posts()).at(-1)).toContain('could not set it to disabled');
  });

  it('records a value changed outside the bot as such and reports it once', async () => {
    await runPolicyGuard(guard(), firstRun);
    fake.products.get('CFQ7TTC0LH2H')!.policyValue = 'Disabled';
    const summary = await runPolicyGuard(guard(), now);
    expect(summary.external).toEqual(['CFQ7TTC0LH2H']);
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0LH2H' } });
    expect(product).toMatchObject({ policyValue: 'Disabled', policyChangedAt: now, policyChangedBy: 'tenant' });
    const change = await database.prisma.policyChange.findFirstOrThrow({ where: { productId: 'CFQ7TTC0LH2H' } });
    expect(change).toMatchObject({ before: 'Enabled', after: 'Disabled', source: 'external', changedBy: 'tenant' });
    expect((await posts()).at(-1)).toContain('*Power Apps per user* (`CFQ7TTC0LH2H`) was changed outside the bot');

    const rerun = await runPolicyGuard(guard(), later);
    expect(rerun.external).toEqual([]);
    expect(await posts()).toHaveLength(2);
    expect(await database.prisma.policyChange.count()).toBe(1);
  });

  anyDialect('keeps the record in step but reports nothing when it is off', async () => {
    await runPolicyGuard(guard('off'), firstRun);
    fake.products.set(TEAMS_PREMIUM.productId, { ...TEAMS_PREMIUM });
    fake.offerTypes.set('SaaS', 'Disabled');
    const summary = await runPolicyGuard(guard('off'), now);
    expect(summary).toMatchObject({ newProducts: [TEAMS_PREMIUM.productId], external: ['SaaS'], enforced: [] });
    expect(await posts()).toEqual([]);
  });

  anyDialect('fails without touching the record when Microsoft cannot be read', async () => {
    fake.failRequests('GET', '/v1.0/policies/AllowSelfServicePurchase/products', failures.forbidden());
    await expect(runPolicyGuard(guard(), now)).rejects.toThrow(/403/);
    expect(await database.prisma.product.count()).toBe(0);
    expect(await database.prisma.jobState.count()).toBe(0);
  });
});
