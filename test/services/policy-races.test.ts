import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database, PrismaClient } from '../../src/db/client.js';
import { acquireLease } from '../../src/db/repositories/leases.js';
import { AppError } from '../../src/domain/errors.js';
import type { PolicyValue } from '../../src/domain/policy.js';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import type { ServiceContext } from '../../src/services/context.js';
import type { PolicyDeps, PolicyOutcome } from '../../src/services/policy-deps.js';
import { runPolicyGuard } from '../../src/services/policy-guard.js';
import { setPolicy } from '../../src/services/set-policy.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { createPolicyTenant } from '../../src/tenant/policy-tenant.js';
import { createTestDatabase, testProviders } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const ALICE = 'U0ADMIN0001';
const BOB = 'U0ADMIN0002';
const CHANNEL = 'C0ADMINS01';
const POWER_BI_PRO = 'CFQ7TTC0H9MP';
const PRODUCT_PATH = `/v1.0/policies/AllowSelfServicePurchase/products/${POWER_BI_PRO}`;

describe.each(testProviders)('policy changes racing each other, with the microsoft tenant, on %s', (provider) => {
  let database: Database;
  let fake: FakeMicrosoft;
  let ctx: ServiceContext;
  let deps: PolicyDeps;

  beforeEach(async () => {
    database = await createTestDatabase(provider);
    fake = await startFakeMicrosoft();
    for (const product of fake.products.values()) {
      await database.prisma.product.create({ data: { id: product.productId, kind: 'product', name: product.productName, policyValue: product.policyValue, firstSeenAt: now } });
    }
    const loaded = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      ADMIN_USER_IDS: ALICE,
      TENANT: 'microsoft',
      MS_TENANT_ID: fake.tenantId,
      MS_CLIENT_ID: fake.clientId,
      MS_CLIENT_SECRET: fake.clientSecret,
      MS_LOGIN_URL: fake.url,
      MS_LICENSING_URL: fake.url,
      MS_MAX_RETRIES: '0',
    });
    if (!loaded.ok) throw new Error(loaded.message);
    ctx = { prisma: database.prisma, now, timeZone: 'UTC' };
    deps = { tenant: createPolicyTenant(loaded.config, database.prisma, { debug: () => {}, warn: () => {} }), adminChannelId: CHANNEL, notices: slackNotices.policies };
  });
  afterEach(async () => {
    await fake.close();
    await database.close();
  });

  const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path === PRODUCT_PATH).length;

  it('records every change Microsoft accepted, never says "nothing changed" when it did, and ends where Microsoft is', async () => {
    const values: PolicyValue[] = ['Disabled', 'Enabled', 'OnlyTrialsWithoutPaymentMethod', 'Disabled', 'Enabled', 'Disabled'];
    const outcomes: PolicyOutcome[] = [];
    for (let round = 0; round < 4; round += 1) {
      const shifted = values.map((_, i) => values[(i + round) % values.length]!);
      outcomes.push(
        ...(await Promise.all(shifted.map((value, i) => setPolicy(ctx, deps, { slackUserId: i % 2 === 0 ? ALICE : BOB }, { product: POWER_BI_PRO, value })))),
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
    const error = await setPolicy({ ...ctx, prisma: failingWrites }, deps, { slackUserId: ALICE }, { product: POWER_BI_PRO, value: 'Disabled' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).userMessage).toContain('The tenant accepted the change of Power BI Pro to Disabled, but the bot could not write it to its record');
    expect(fake.products.get(POWER_BI_PRO)!.policyValue).toBe('Disabled');
    expect(await database.prisma.policyChange.count()).toBe(0);

    const later = new Date(now.getTime() + 3600_000);
    const summary = await runPolicyGuard({ prisma: database.prisma, tenant: deps.tenant, mode: 'report', defaultValue: 'Disabled', adminChannelId: CHANNEL, notices: slackNotices.policyGuard }, later);
    expect(summary).toMatchObject({ reconciled: [POWER_BI_PRO], external: [] });
    expect(await database.prisma.policyChange.findMany()).toEqual([expect.objectContaining({ productId: POWER_BI_PRO, before: 'Enabled', after: 'Disabled', source: 'bot', changedBy: ALICE })]);
    const audit = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'policy.set', subjectId: POWER_BI_PRO } });
    expect(audit).toMatchObject({ actorId: ALICE, detail: expect.stringContaining('recorded afterwards') });
    expect(await database.prisma.product.findUniqueOrThrow({ where: { id: POWER_BI_PRO } })).toMatchObject({ policyValue: 'Disabled', policyChangedBy: ALICE });
  });

  it('records such a change first when the product is changed again before the guard runs', async () => {
    const failingWrites = new Proxy(database.prisma, {
      get: (target, key) => (key === '$transaction' ? () => Promise.reject(new Error('disk I/O error')) : Reflect.get(target, key)),
    }) as PrismaClient;
    await setPolicy({ ...ctx, prisma: failingWrites }, deps, { slackUserId: ALICE }, { product: POWER_BI_PRO, value: 'Disabled' }).catch(() => undefined);
    const outcome = await setPolicy(ctx, deps, { slackUserId: BOB }, { product: POWER_BI_PRO, value: 'Enabled' });
    expect(outcome).toMatchObject({ before: 'Disabled', after: 'Enabled', changed: true });
    const changes = await database.prisma.policyChange.findMany({ orderBy: { after: 'asc' } });
    expect(changes.map((c) => [c.changedBy, c.before, c.after])).toEqual([
      [ALICE, 'Enabled', 'Disabled'],
      [BOB, 'Disabled', 'Enabled'],
    ]);
  });

  it('asks the admin to try again while another replica is changing the same product', async () => {
    expect((await acquireLease(database.prisma, `policy.lock.${POWER_BI_PRO}`, 'other-replica', now, 60_000)).ok).toBe(true);
    const error = await setPolicy(ctx, deps, { slackUserId: ALICE }, { product: POWER_BI_PRO, value: 'Disabled' }).catch((e: unknown) => e);
    expect((error as AppError).userMessage).toBe('Another change of Power BI Pro is under way right now. Try again in a moment.');
    expect(puts()).toBe(0);
  });
});
