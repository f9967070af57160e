import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/db/client.js';
import { acquireLease } from '../../src/db/repositories/leases.js';
import { AppError } from '../../src/domain/errors.js';
import { listPolicies } from '../../src/services/list-policies.js';
import type { PolicyValue } from '../../src/domain/policy.js';
import type { PolicyDeps, PolicyOutcome } from '../../src/services/policy-deps.js';
import { runPolicyGuard } from '../../src/services/policy-guard.js';
import { planAllPolicies, setAllPolicies } from '../../src/services/set-all-policies.js';
import { setPolicy } from '../../src/services/set-policy.js';
import { createLocalPolicyTenant } from '../../src/tenant/local/policy-tenant.js';
import { seedDemoTenant } from '../../src/tenant/local/demo-tenant.js';
import { createPolicyTenant } from '../../src/tenant/policy-tenant.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { sqliteOnly, useServiceContext } from '../support/database.js';
import { failures, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { appErrorOf } from '../support/app-error.js';
import { testConfig } from '../support/config.js';
import { microsoftEnv } from '../support/microsoft.js';

const now = new Date('2026-11-25T09:00:00Z');
const ADMIN = 'U0ADMIN0001';
const BOB = 'U0ADMIN0002';
const POWER_BI_PRO = 'CFQ7TTC0H9MP';
const PRODUCT_PATH = `/v1.0/policies/AllowSelfServicePurchase/products/${POWER_BI_PRO}`;
const CHANNEL = 'C0ADMINS01';
const quietLogger = { debug: () => {}, warn: () => {} };

describe.each(sqliteOnly)('purchase policies with the local tenant on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });
  let deps: PolicyDeps;

  beforeEach(async () => {
    await seedDemoTenant(database.prisma, now);
    deps = { tenant: createLocalPolicyTenant(database.prisma), adminChannelId: CHANNEL, notices: slackNotices.policies };
  });

  it('lists the 17 products and then the 4 offer types with their values and last changes', async () => {
    const { policies, lastSync } = await listPolicies(ctx);
    expect(policies).toHaveLength(21);
    expect(policies.slice(0, 17).every((p) => p.kind === 'product')).toBe(true);
    expect(
      policies
        .slice(17)
        .map((p) => p.id)
        .sort(),
    ).toEqual(['DYNAMICSBC', 'DYNAMICSCE', 'POWERBIVISUALS', 'SaaS']);
    expect(policies.find((p) => p.id === 'CFQ7TTC0H9MP')).toMatchObject({ name: 'Power BI Pro', value: 'Enabled' });
    expect(lastSync).toBeNull();
  });

  it('sets one product, recording the change, auditing before and after, and announcing it', async () => {
    const outcome = await setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'power bi pro', value: 'Disabled' });
    expect(outcome).toMatchObject({ policy: { id: 'CFQ7TTC0H9MP' }, before: 'Enabled', after: 'Disabled', changed: true });
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0H9MP' } });
    expect(product).toMatchObject({ policyValue: 'Disabled', policyChangedAt: now, policyChangedBy: ADMIN });
    const changes = await database.prisma.policyChange.findMany({ where: { productId: 'CFQ7TTC0H9MP' } });
    expect(changes).toEqual([expect.objectContaining({ before: 'Enabled', after: 'Disabled', source: 'bot', changedBy: ADMIN })]);
    const audit = await database.prisma.auditEvent.findMany({ where: { action: 'policy.set' } });
    expect(audit).toEqual([
      expect.objectContaining({ actorId: ADMIN, subjectId: 'CFQ7TTC0H9MP', before: '{"policyValue":"Enabled"}', after: '{"policyValue":"Disabled"}' }),
    ]);
    const posts = await database.prisma.outboxMessage.findMany();
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.payload)).toMatchObject({ channel: CHANNEL, text: expect.stringContaining('*Power BI Pro*') });
  });

  it('finds an offer type by its id and refuses trials on it with the reason', async () => {
    const outcome = await setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'saas', value: 'Disabled' });
    expect(outcome.policy.id).toBe('SaaS');
    const error = await appErrorOf(setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'SaaS', value: 'OnlyTrialsWithoutPaymentMethod' }));
    expect(error.userMessage).toContain('takes only enabled or disabled');
    expect(await database.prisma.policyChange.count()).toBe(1);
  });

  it('records nothing when the value is already the one asked for', async () => {
    const outcome = await setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'CFQ7TTC0LSGZ', value: 'Disabled' });
    expect(outcome.changed).toBe(false);
    expect(await database.prisma.policyChange.count()).toBe(0);
    expect(await database.prisma.outboxMessage.count()).toBe(0);
  });

  it('lists the candidates when a name matches several products', async () => {
    const error = await appErrorOf(setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'visio', value: 'Disabled' }));
    expect(error.code).toBe('ambiguous');
    expect(error.userMessage).toContain('Visio Plan 1');
    expect(error.userMessage).toContain('Visio Plan 2');
  });

  it('plans and sets every product to disabled, each change recorded and one summary announced', async () => {
    const plan = await planAllPolicies(ctx, deps, 'Disabled');
    const disabledBefore = await database.prisma.product.count({ where: { policyValue: 'Disabled' } });
    expect(plan.toChange).toHaveLength(21 - disabledBefore);
    const result = await setAllPolicies(ctx, deps, { slackUserId: ADMIN }, 'Disabled');
    expect(result.changed).toHaveLength(plan.toChange.length);
    expect(result.failed).toEqual([]);
    expect(await database.prisma.product.count({ where: { policyValue: { not: 'Disabled' } } })).toBe(0);
    expect(await database.prisma.policyChange.count()).toBe(plan.toChange.length);
    expect(await database.prisma.outboxMessage.count()).toBe(1);
  });

  it('skips offer types when everything is set to trials, and says so', async () => {
    const result = await setAllPolicies(ctx, deps, { slackUserId: ADMIN }, 'OnlyTrialsWithoutPaymentMethod');
    expect(result.skipped.map((p) => p.id).sort()).toEqual(['DYNAMICSBC', 'DYNAMICSCE', 'POWERBIVISUALS', 'SaaS']);
    expect(result.changed.every(({ policy }) => policy.kind === 'product')).toBe(true);
    const offerTypes = await database.prisma.product.findMany({ where: { kind: 'offerType', policyValue: 'OnlyTrialsWithoutPaymentMethod' } });
    expect(offerTypes).toEqual([]);
  });
});

describe.each(sqliteOnly)('purchase policies with the microsoft tenant on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });
  let fake: FakeMicrosoft;
  let deps: PolicyDeps;

  beforeEach(async () => {
    fake = await startFakeMicrosoft();
    for (const product of fake.products.values()) {
      await database.prisma.product.create({
        data: { id: product.productId, kind: 'product', name: product.productName, policyValue: product.policyValue, firstSeenAt: now },
      });
    }
    for (const [type, value] of fake.offerTypes) {
      await database.prisma.product.create({ data: { id: type, kind: 'offerType', name: type, policyValue: value, firstSeenAt: now } });
    }
    deps = {
      tenant: createPolicyTenant(testConfig(microsoftEnv(fake, { MS_MAX_RETRIES: '0' })), database.prisma, quietLogger),
      adminChannelId: CHANNEL,
      notices: slackNotices.policies,
    };
  });
  afterEach(async () => {
    await fake.close();
  });

  it('changes the policy at Microsoft first and then records it', async () => {
    await setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'Power Apps', value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(fake.products.get('CFQ7TTC0LH2H')?.policyValue).toBe('OnlyTrialsWithoutPaymentMethod');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', body: '{"policyValue":"OnlyTrialsWithoutPaymentMethod"}' });
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0LH2H' } });
    expect(product.policyValue).toBe('OnlyTrialsWithoutPaymentMethod');
  });

  it('leaves the record untouched when Microsoft refuses the change with 403, naming the missing role', async () => {
    fake.failNext(1, failures.forbidden());
    const error = await appErrorOf(setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: 'CFQ7TTC0H9MP', value: 'Disabled' }));
    expect(error.code).toBe('tenant_forbidden');
    expect(error.userMessage).toContain('Policy.ReadWrite.AllowSelfServicePurchase');
    const product = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0H9MP' } });
    expect(product).toMatchObject({ policyValue: 'Enabled', policyChangedAt: null });
    expect(await database.prisma.policyChange.count()).toBe(0);
    expect(await database.prisma.auditEvent.count()).toBe(0);
    expect(await database.prisma.outboxMessage.count()).toBe(0);
  });

  it('sets everything to disabled and lists the one product Microsoft refused, with why', async () => {
    fake.failRequests('PUT', '/v1.0/policies/AllowSelfServicePurchase/products/CFQ7TTC0H9MP', failures.forbidden());
    const result = await setAllPolicies(ctx, deps, { slackUserId: ADMIN }, 'Disabled');
    expect(result.failed).toEqual([
      { policy: expect.objectContaining({ id: 'CFQ7TTC0H9MP' }), reason: expect.stringContaining('Policy.ReadWrite.AllowSelfServicePurchase') },
    ]);
    expect(result.changed.map(({ policy }) => policy.id).sort()).toEqual(['CFQ7TTC0HD33', 'CFQ7TTC0LH2H', 'DYNAMICSBC', 'POWERBIVISUALS', 'SaaS']);
    expect(result.unchanged.map((p) => p.id).sort()).toEqual(['CFQ7TTC0MM8R', 'DYNAMICSCE']);
    expect(fake.products.get('CFQ7TTC0H9MP')?.policyValue).toBe('Enabled');
    const record = await database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0H9MP' } });
    expect(record.policyValue).toBe('Enabled');
    expect(await database.prisma.policyChange.count()).toBe(5);
    const [summary] = await database.prisma.outboxMessage.findMany();
    expect(JSON.parse(summary!.payload).text).toContain('Not changed: Power BI Pro');
  });

  // Racing changes, and changes the bot could not record.
  const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path === PRODUCT_PATH).length;

  it('records every change Microsoft accepted, never says "nothing changed" when it did, and ends where Microsoft is', async () => {
    const values: PolicyValue[] = ['Disabled', 'Enabled', 'OnlyTrialsWithoutPaymentMethod', 'Disabled', 'Enabled', 'Disabled'];
    const outcomes: PolicyOutcome[] = [];
    for (let round = 0; round < 4; round += 1) {
      const shifted = values.map((_, i) => values[(i + round) % values.length]!);
      outcomes.push(
        ...(await Promise.all(shifted.map((value, i) => setPolicy(ctx, deps, { slackUserId: i % 2 === 0 ? ADMIN : BOB }, { product: POWER_BI_PRO, value })))),
      );
    }
    const changes = await database.prisma.policyChange.findMany({ where: { productId: POWER_BI_PRO } });
    const audited = await database.prisma.auditEvent.count({ where: { action: 'policy.set', subjectId: POWER_BI_PRO } });
    expect(puts()).toBeGreaterThan(4);
    expect(changes).toHaveLength(puts());
    expect(audited).toBe(puts());
    expect(outcomes.filter((o) => o.changed)).toHaveLength(puts());
    // "Already so" only where the tenant really held the value already.
    for (const outcome of outcomes.filter((o) => !o.changed)) expect(outcome.before).toBe(outcome.after);
    const record = await database.prisma.product.findUniqueOrThrow({ where: { id: POWER_BI_PRO } });
    expect(record.policyValue).toBe(fake.products.get(POWER_BI_PRO)!.policyValue);
    expect(await database.prisma.outboxMessage.count()).toBe(puts());
  });

  it('records a change whose database write failed at the next policy guard run, as the admin’s, and audits it', async () => {
    const failingWrites = new Proxy(database.prisma, {
      get: (target, key) => (key === '$transaction' ? () => Promise.reject(new Error('disk I/O error')) : Reflect.get(target, key)),
    }) as PrismaClient;
    const error = await setPolicy({ ...ctx, prisma: failingWrites }, deps, { slackUserId: ADMIN }, { product: POWER_BI_PRO, value: 'Disabled' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).userMessage).toContain(
      'The tenant accepted the change of Power BI Pro to Disabled, but the bot could not write it to its record',
    );
    expect(fake.products.get(POWER_BI_PRO)!.policyValue).toBe('Disabled');
    expect(await database.prisma.policyChange.count()).toBe(0);

    const later = new Date(now.getTime() + 3600_000);
    const summary = await runPolicyGuard(
      { prisma: database.prisma, tenant: deps.tenant, mode: 'report', defaultValue: 'Disabled', adminChannelId: CHANNEL, notices: slackNotices.policyGuard },
      later,
    );
    expect(summary).toMatchObject({ reconciled: [POWER_BI_PRO], external: [] });
    expect(await database.prisma.policyChange.findMany()).toEqual([
      expect.objectContaining({ productId: POWER_BI_PRO, before: 'Enabled', after: 'Disabled', source: 'bot', changedBy: ADMIN }),
    ]);
    const audit = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'policy.set', subjectId: POWER_BI_PRO } });
    expect(audit).toMatchObject({ actorId: ADMIN, detail: expect.stringContaining('recorded afterwards') });
    expect(await database.prisma.product.findUniqueOrThrow({ where: { id: POWER_BI_PRO } })).toMatchObject({ policyValue: 'Disabled', policyChangedBy: ADMIN });
  });

  it('records such a change first when the product is changed again before the guard runs', async () => {
    const failingWrites = new Proxy(database.prisma, {
      get: (target, key) => (key === '$transaction' ? () => Promise.reject(new Error('disk I/O error')) : Reflect.get(target, key)),
    }) as PrismaClient;
    await setPolicy({ ...ctx, prisma: failingWrites }, deps, { slackUserId: ADMIN }, { product: POWER_BI_PRO, value: 'Disabled' }).catch(() => undefined);
    const outcome = await setPolicy(ctx, deps, { slackUserId: BOB }, { product: POWER_BI_PRO, value: 'Enabled' });
    expect(outcome).toMatchObject({ before: 'Disabled', after: 'Enabled', changed: true });
    const changes = await database.prisma.policyChange.findMany({ orderBy: { after: 'asc' } });
    expect(changes.map((c) => [c.changedBy, c.before, c.after])).toEqual([
      [ADMIN, 'Enabled', 'Disabled'],
      [BOB, 'Disabled', 'Enabled'],
    ]);
  });

  it('asks the admin to try again while another replica is changing the same product', async () => {
    expect((await acquireLease(database.prisma, `policy.lock.${POWER_BI_PRO}`, 'other-replica', now, 60_000)).ok).toBe(true);
    const error = await setPolicy(ctx, deps, { slackUserId: ADMIN }, { product: POWER_BI_PRO, value: 'Disabled' }).catch((e: unknown) => e);
    expect((error as AppError).userMessage).toBe('Another change of Power BI Pro is under way right now. Try again in a moment.');
    expect(puts()).toBe(0);
  });
});
