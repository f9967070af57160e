import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { digestJob } from '../../src/jobs/digest-job.js';
import type { ServiceContext } from '../../src/services/context.js';
import { digestWatermark, DIGEST_PENDING, postDigest } from '../../src/services/post-digest.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { formatTotals } from '../../src/domain/money.js';
import { loadDashboard } from '../../src/services/dashboard.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { dialectProviders, onSqliteOnly } from '../support/database.js';
import { testConfig } from '../support/config.js';
import { at, CHANNEL, deliver, jobDeps, useJobWorld } from './support.js';

/** Posts the pending digest as the job does, with `config`'s channel and DIGEST_SKIP_EMPTY. */
const digestNow = (ctx: ServiceContext, config: Config) =>
  postDigest(ctx, { notices: slackNotices.digest, adminChannelId: config.ADMIN_CHANNEL_ID }, { skipEmpty: config.DIGEST_SKIP_EMPTY });

describe.each(dialectProviders)('the digest on %s', (provider) => {
  const { database, emulator } = useJobWorld(provider);
  const anyDialect = onSqliteOnly(provider);
  const config = testConfig();
  const ctx = (now: Date) => ({ prisma: database.prisma, now, timeZone: 'UTC' });
  const texts = () => emulator.messages(CHANNEL).map((m) => JSON.stringify(m.blocks ?? m.text));

  async function purchase(firstSeenAt: string, overrides: { product?: string; name?: string; selfService?: boolean; trial?: boolean; currency?: string } = {}) {
    const product =
      (await database.prisma.product.findFirst({ where: { name: overrides.product ?? 'Power BI Pro' } })) ??
      (await aProduct(database.prisma, { name: overrides.product ?? 'Power BI Pro' }));
    const person = await aPerson(database.prisma, { name: overrides.name ?? 'Ana Lopez' });
    return aSubscription(database.prisma, {
      productId: product.id,
      purchaserId: person.id,
      isSelfService: overrides.selfService ?? true,
      isTrial: overrides.trial ?? false,
      currency: overrides.currency ?? 'USD',
      firstSeenAt: at(firstSeenAt),
      purchasedAt: at(firstSeenAt),
    });
  }

  it('posts the self-service purchases grouped by product with buttons and totals, and moves the watermark only once Slack accepted it', async () => {
    const visio = await purchase('2026-11-24T10:00:00Z', { product: 'Visio Plan 2', name: 'Ben Okafor', trial: true });
    const bi = await purchase('2026-11-24T11:00:00Z', { product: 'Power BI Pro', name: 'Ana Lopez', currency: 'EUR' });
    await purchase('2026-11-24T12:00:00Z', { product: 'Project Plan 3', selfService: false });

    const result = await digestNow(ctx(at('2026-11-25T09:00:00Z')), config);
    expect(result).toMatchObject({ status: 'posted', count: 2, messages: 1 });
    expect(await digestWatermark(database.prisma, at('2026-11-25T09:00:00Z'))).toBeNull();

    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    const [message] = emulator.messages(CHANNEL);
    const json = JSON.stringify(message!.blocks);
    expect(json.indexOf('Power BI Pro')).toBeLessThan(json.indexOf('Visio Plan 2'));
    expect(json).not.toContain('Project Plan 3');
    expect(json).toContain('Ben Okafor');
    expect(json).toContain('Trial');
    expect(json).toContain('2 purchases · 10 active licenses · €70.00 + $70.00 per month');
    for (const id of [visio.id, bi.id]) {
      expect(json).toContain(`"action_id":"subscription_show","text":{"type":"plain_text","text":"Show","emoji":true},"value":"${id}"`);
      expect(json).toContain(`"action_id":"takeover_open","text":{"type":"plain_text","text":"Take over","emoji":true},"value":"${id}"`);
    }
    expect(await digestWatermark(database.prisma, at('2026-11-25T09:01:00Z'))).toEqual(at('2026-11-25T09:00:00Z'));
  });

  it('totals the spend of active purchases only, as App Home does, and says how many were already cancelled', async () => {
    await purchase('2026-11-24T10:00:00Z', { name: 'Still Paying' });
    const cancelled = await purchase('2026-11-24T11:00:00Z', { name: 'Gave Up' });
    await database.prisma.subscription.update({ where: { id: cancelled.id }, data: { status: 'Deleted', cancelledAt: at('2026-11-24T12:00:00Z') } });

    const now = at('2026-11-25T09:00:00Z');
    await digestNow(ctx(now), config);
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    const json = JSON.stringify(emulator.messages(CHANNEL)[0]!.blocks);
    expect(json).toContain('2 purchases (1 of them already cancelled) · 5 active licenses · $70.00 per month');
    const home = await loadDashboard(ctx(now));
    expect(formatTotals(home.spendTotal)).toBe('$70.00');
  });

  it('never repeats a purchase and never misses one first seen exactly at the end of a window', async () => {
    await purchase('2026-11-25T09:00:00Z', { name: 'At The Edge' });
    await digestNow(ctx(at('2026-11-25T09:00:00Z')), config);
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    await purchase('2026-11-25T09:00:00.001Z', { name: 'Just After' });

    const next = await digestNow(ctx(at('2026-11-26T09:00:00Z')), config);
    expect(next).toMatchObject({ status: 'posted', count: 1 });
    await deliver(database, emulator, at('2026-11-26T09:00:01Z'));
    const [first, second] = texts();
    expect(first).toContain('At The Edge');
    expect(first).not.toContain('Just After');
    expect(second).toContain('Just After');
    expect(second).not.toContain('At The Edge');
  });

  anyDialect('says in one line that nothing is new, or stays silent with DIGEST_SKIP_EMPTY', async () => {
    expect(await digestNow(ctx(at('2026-11-25T09:00:00Z')), config)).toMatchObject({ status: 'posted', count: 0, messages: 1 });
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['No new self-service purchases until 2026-11-25 09:00 UTC.']);

    const skipping = testConfig({ DIGEST_SKIP_EMPTY: 'true' });
    expect(await digestNow(ctx(at('2026-11-26T09:00:00Z')), skipping)).toMatchObject({ status: 'empty' });
    await deliver(database, emulator, at('2026-11-26T09:00:01Z'));
    expect(emulator.messages(CHANNEL)).toHaveLength(1);
  });

  it('keeps the watermark when Slack refuses the post, and covers the same purchases again next time', async () => {
    await purchase('2026-11-24T10:00:00Z', { name: 'Refused Once' });
    emulator.failNext('chat.postMessage', { ok: false, error: 'not_in_channel' });
    await digestNow(ctx(at('2026-11-25T09:00:00Z')), config);
    expect(await deliver(database, emulator, at('2026-11-25T09:00:01Z'))).toMatchObject({ failed: 1 });
    expect(await digestWatermark(database.prisma, at('2026-11-25T09:00:02Z'))).toBeNull();

    expect(await digestNow(ctx(at('2026-11-26T09:00:00Z')), config)).toMatchObject({ status: 'posted', count: 1 });
    await deliver(database, emulator, at('2026-11-26T09:00:01Z'));
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain('Refused Once');
    expect(await digestWatermark(database.prisma, at('2026-11-26T09:00:02Z'))).toEqual(at('2026-11-26T09:00:00Z'));
  });

  it('waits out a Slack outage without starting a second window, then posts once', async () => {
    await purchase('2026-11-24T10:00:00Z', { name: 'Delayed' });
    emulator.failNext('chat.postMessage', { status: 503 });
    await digestNow(ctx(at('2026-11-25T09:00:00Z')), config);
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    await purchase('2026-11-25T12:00:00Z', { name: 'Meanwhile' });

    expect(await digestNow(ctx(at('2026-11-26T09:00:00Z')), config)).toMatchObject({ status: 'waiting', messages: 1 });
    await deliver(database, emulator, at('2026-11-26T09:00:01Z'));
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain('Delayed');
    expect(texts()[0]).not.toContain('Meanwhile');

    expect(await digestNow(ctx(at('2026-11-27T09:00:00Z')), config)).toMatchObject({ status: 'posted', count: 1 });
    await deliver(database, emulator, at('2026-11-27T09:00:01Z'));
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toContain('Meanwhile');
  });

  it('does not post again when a scheduled slot is run a second time after its first holder died', async () => {
    await purchase('2026-11-24T10:00:00Z');
    const job = digestJob(config);
    const deps = jobDeps(database, config);
    const slot = at('2026-11-25T09:00:00Z');
    expect(await job.run(deps, at('2026-11-25T09:00:00Z'), { slot })).toMatchObject({ status: 'posted' });
    expect(deps.kicks).toBe(1);
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    expect(await job.run(deps, at('2026-11-25T09:11:00Z'), { slot })).toMatchObject({ status: 'covered' });
    await deliver(database, emulator, at('2026-11-25T09:11:01Z'));
    expect(emulator.messages(CHANNEL)).toHaveLength(1);
  });

  it('lets only one of two racing digests post a window', async () => {
    await purchase('2026-11-24T10:00:00Z');
    const results = await Promise.all([digestNow(ctx(at('2026-11-25T09:00:00Z')), config), digestNow(ctx(at('2026-11-25T09:00:00.500Z')), config)]);
    // The loser either fails on the pending window's key or, arriving later, waits for it.
    expect(results.filter((r) => r.status === 'posted')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'busy' || r.status === 'waiting')).toHaveLength(1);
    expect(await database.prisma.outboxMessage.count()).toBe(1);
    expect(await database.prisma.jobState.count({ where: { key: DIGEST_PENDING } })).toBe(1);
  });

  anyDialect('splits many purchases across messages within Slack limits, each purchase once', async () => {
    const product = await aProduct(database.prisma, { name: `Product ${'x'.repeat(300)}` });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const person = await aPerson(database.prisma, { name: `Buyer ${i} ${'Ä'.repeat(200)}`, email: `buyer.${i}@contoso.test` });
      const s = await aSubscription(database.prisma, { productId: product.id, purchaserId: person.id, firstSeenAt: at('2026-11-24T10:00:00Z') });
      ids.push(s.id);
    }
    expect(await digestNow(ctx(at('2026-11-25T09:00:00Z')), config)).toMatchObject({ status: 'posted', count: 60, messages: 3 });
    await deliver(database, emulator, at('2026-11-25T09:00:01Z'));
    const messages = emulator.messages(CHANNEL);
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(checkBlockKit('message', { blocks: message.blocks, text: message.text })).toEqual([]);
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('\n');
    for (const id of ids) expect(all.split(`"value":"${id}"`).length - 1).toBe(2);
    expect(messages[2]!.text).toContain('part 3 of 3');
    expect(JSON.stringify(messages[2]!.blocks)).toContain('60 purchases');
  });
});
