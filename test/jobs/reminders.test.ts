import { describe, expect, it } from 'vitest';
import { reminderJob } from '../../src/jobs/reminder-job.js';
import { dueThreshold } from '../../src/services/send-reminders.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { dialectProviders, onSqliteOnly } from '../support/database.js';
import { testConfig } from '../support/config.js';
import { at, CHANNEL, deliver, jobDeps, useJobWorld } from './support.js';

describe('the threshold a subscription is due for', () => {
  it('is the smallest configured threshold it has reached, and none once it has expired', () => {
    const thresholds = [30, 7, 1];
    expect(dueThreshold(31, thresholds)).toBeUndefined();
    expect(dueThreshold(30, thresholds)).toBe(30);
    expect(dueThreshold(8, thresholds)).toBe(30);
    expect(dueThreshold(7, thresholds)).toBe(7);
    expect(dueThreshold(5, thresholds)).toBe(7);
    expect(dueThreshold(1, thresholds)).toBe(1);
    expect(dueThreshold(0, thresholds)).toBe(1);
    expect(dueThreshold(-1, thresholds)).toBeUndefined();
  });
});

describe.each(dialectProviders)('expiration reminders on %s', (provider) => {
  const { database, emulator } = useJobWorld(provider);
  const anyDialect = onSqliteOnly(provider);

  async function expiring(expiresAt: string, name: string, overrides: { status?: 'Active' | 'Deleted'; selfService?: boolean } = {}) {
    const product = (await database.prisma.product.findFirst()) ?? (await aProduct(database.prisma, { name: 'Visio Plan 2' }));
    const person = await aPerson(database.prisma, { name });
    return aSubscription(database.prisma, {
      productId: product.id,
      purchaserId: person.id,
      isSelfService: overrides.selfService ?? true,
      status: overrides.status ?? 'Active',
      expiresAt: at(expiresAt),
    });
  }

  async function run(now: string, env: Record<string, string> = {}) {
    const config = testConfig(env);
    const result = await reminderJob(config).run(jobDeps(database, config), at(now), { slot: at(now) });
    await deliver(database, emulator, new Date(at(now).getTime() + 1000));
    return result;
  }

  const posted = () => emulator.messages(CHANNEL).map((m) => JSON.stringify({ text: m.text, blocks: m.blocks }));

  it('sends one message per threshold with Show and Take over buttons, and never reminds twice for one threshold', async () => {
    const in5 = await expiring('2026-11-30T15:00:00Z', 'Five Days');
    const in30 = await expiring('2026-12-25T15:00:00Z', 'Thirty Days');
    await expiring('2026-12-26T15:00:00Z', 'Thirty One Days');

    expect(await run('2026-11-25T09:00:00Z')).toEqual({
      reminded: [
        { thresholdDays: 7, count: 1 },
        { thresholdDays: 30, count: 1 },
      ],
      raced: false,
    });
    const [seven, thirty] = posted();
    expect(seven).toContain('Renewing within 7 days');
    expect(seven).toContain('Five Days');
    expect(seven).toContain(`"action_id":"takeover_open","text":{"type":"plain_text","text":"Take over","emoji":true},"value":"${in5.id}"`);
    expect(seven).toContain(`"action_id":"subscription_show"`);
    expect(thirty).toContain('Thirty Days');
    expect(thirty).not.toContain('Thirty One Days');
    expect(posted().join()).not.toContain('Thirty One Days');
    for (const message of emulator.messages(CHANNEL)) expect(checkBlockKit('message', { blocks: message.blocks, text: message.text })).toEqual([]);

    expect(await run('2026-11-26T09:00:00Z')).toEqual({ reminded: [{ thresholdDays: 30, count: 1 }], raced: false });
    expect(posted()[2]).toContain('Thirty One Days');
    expect(await run('2026-11-27T09:00:00Z')).toEqual({ reminded: [], raced: false });
    expect(emulator.messages(CHANNEL)).toHaveLength(3);
    expect(await database.prisma.reminderSent.findMany({ where: { subscriptionId: { in: [in5.id, in30.id] } }, select: { thresholdDays: true } })).toHaveLength(
      2,
    );
  });

  anyDialect('reminds exactly at the threshold and counts calendar days in the configured zone, turning just after local midnight', async () => {
    // Expires on 2026-12-02 at 10:00 in Berlin. At 2026-11-24 23:00 UTC it is already the 25th
    // in Berlin: 7 calendar days before, while in UTC it is still 8.
    await expiring('2026-12-02T09:00:00Z', 'Berlin Buyer');
    expect(await run('2026-11-24T22:59:00Z', { BOT_TIMEZONE: 'Europe/Berlin', REMINDER_DAYS: '7' })).toEqual({ reminded: [], raced: false });
    expect(await run('2026-11-24T23:00:00Z', { BOT_TIMEZONE: 'Europe/Berlin', REMINDER_DAYS: '7' })).toEqual({
      reminded: [{ thresholdDays: 7, count: 1 }],
      raced: false,
    });
    expect(posted()[0]).toContain('Berlin Buyer');
  });

  it('reminds again after a renewal moved the expiry, and never for Deleted, expired or central subscriptions', async () => {
    const renewed = await expiring('2026-11-26T12:00:00Z', 'Renews Yearly');
    await expiring('2026-11-26T12:00:00Z', 'Already Cancelled', { status: 'Deleted' });
    await expiring('2026-11-24T12:00:00Z', 'Expired Yesterday');
    await expiring('2026-11-26T12:00:00Z', 'Central Seats', { selfService: false });

    expect(await run('2026-11-25T09:00:00Z', { REMINDER_DAYS: '1' })).toEqual({ reminded: [{ thresholdDays: 1, count: 1 }], raced: false });
    await database.prisma.subscription.update({ where: { id: renewed.id }, data: { expiresAt: at('2027-11-26T12:00:00Z') } });
    expect(await run('2027-11-25T09:00:00Z', { REMINDER_DAYS: '1' })).toEqual({ reminded: [{ thresholdDays: 1, count: 1 }], raced: false });
    const all = posted().join('\n');
    expect(all.split('Renews Yearly').length - 1).toBe(2);
    for (const never of ['Already Cancelled', 'Expired Yesterday', 'Central Seats']) expect(all).not.toContain(never);
  });

  it('records and posts each reminder once when two runs race', async () => {
    await expiring('2026-11-30T15:00:00Z', 'Raced For');
    const config = testConfig();
    const job = reminderJob(config);
    const results = await Promise.allSettled([
      job.run(jobDeps(database, config), at('2026-11-25T09:00:00Z'), { slot: at('2026-11-25T09:00:00Z') }),
      job.run(jobDeps(database, config), at('2026-11-25T09:00:00.200Z'), { slot: at('2026-11-25T09:00:00Z') }),
    ]);
    await deliver(database, emulator, at('2026-11-25T09:01:00Z'));
    expect(emulator.messages(CHANNEL)).toHaveLength(1);
    expect(await database.prisma.reminderSent.count()).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled' && JSON.stringify(r.value).includes('"count":1'))).toHaveLength(1);
  });
});
