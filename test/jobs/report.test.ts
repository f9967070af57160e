import { describe, expect, it } from 'vitest';
import { reportJob } from '../../src/jobs/report-job.js';
import { sweepJobs } from '../../src/jobs/scheduler.js';
import { findSpendOnDays, rebuildSpendHistory } from '../../src/db/repositories/spend-history.js';
import { chartDays } from '../../src/services/post-report.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { aPerson, aProduct, aSubscription, assign, manyPeople, manySubscriptions } from '../support/builders.js';
import { dialectProviders, onSqliteOnly } from '../support/database.js';
import { testConfig } from '../support/config.js';
import { at, CHANNEL, deliver, jobDeps, quietLogger, useJobWorld } from './support.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(dialectProviders)('the spend history and the weekly report on %s', (provider) => {
  const { database, emulator } = useJobWorld(provider);
  const anyDialect = onSqliteOnly(provider);
  const config = testConfig();

  /** Power BI Pro in USD since March (Ana, 5 × $14), Visio in EUR from May, cancelled in September (Ben), a price unknown (Cy). */
  async function history() {
    const { prisma } = database;
    const bi = await aProduct(prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' });
    const visio = await aProduct(prisma, { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' });
    const [ana, ben, cy] = await Promise.all(['Ana', 'Ben', 'Cy'].map((name) => aPerson(prisma, { name })));
    await aSubscription(prisma, {
      productId: bi.id,
      purchaserId: ana!.id,
      licensesPurchased: 5,
      unitPriceMinor: 1400,
      purchasedAt: at('2026-03-10T12:00:00Z'),
    });
    await aSubscription(prisma, {
      productId: bi.id,
      purchaserId: ana!.id,
      licensesPurchased: 1,
      unitPriceMinor: 1400,
      purchasedAt: at('2026-11-20T12:00:00Z'),
    });
    await aSubscription(prisma, {
      productId: visio.id,
      purchaserId: ben!.id,
      licensesPurchased: 2,
      unitPriceMinor: 1500,
      currency: 'EUR',
      purchasedAt: at('2026-05-02T08:00:00Z'),
      status: 'Deleted',
      cancelledAt: at('2026-09-15T10:00:00Z'),
    });
    await aSubscription(prisma, {
      productId: bi.id,
      purchaserId: cy!.id,
      licensesPurchased: 3,
      unitPriceMinor: null,
      currency: null,
      purchasedAt: at('2026-06-01T00:00:00Z'),
    });
    // Central subscriptions are not self-service spend.
    await aSubscription(prisma, {
      productId: bi.id,
      isSelfService: false,
      licensesPurchased: 50,
      unitPriceMinor: 1000,
      purchasedAt: at('2025-01-01T00:00:00Z'),
    });
  }

  it('rebuilds each day of the past from purchase and cancellation dates, per product and currency', async () => {
    await history();
    const now = at('2026-12-01T09:00:00Z');
    await database.prisma.$transaction((tx) => rebuildSpendHistory(tx, now));
    const rows = await findSpendOnDays(database.prisma, ['2026-03-09', '2026-03-10', '2026-05-31', '2026-09-14', '2026-09-15', '2026-11-30']);
    const line = (r: (typeof rows)[number]) =>
      `${r.day} ${r.productName} ${r.currency || 'unknown'} ${r.activeSubscriptions} subs ${r.monthlyMinor} ${r.purchasers} purchasers`;
    expect(rows.map(line)).toEqual([
      '2026-03-10 Power BI Pro USD 1 subs 7000 1 purchasers',
      '2026-05-31 Power BI Pro USD 1 subs 7000 1 purchasers',
      '2026-05-31 Visio Plan 2 EUR 1 subs 3000 1 purchasers',
      '2026-09-14 Power BI Pro unknown 1 subs 0 1 purchasers',
      '2026-09-14 Power BI Pro USD 1 subs 7000 1 purchasers',
      '2026-09-14 Visio Plan 2 EUR 1 subs 3000 1 purchasers',
      '2026-09-15 Power BI Pro unknown 1 subs 0 1 purchasers',
      '2026-09-15 Power BI Pro USD 1 subs 7000 1 purchasers',
      // Ana's second subscription: two of hers, still one purchaser.
      '2026-11-30 Power BI Pro unknown 1 subs 0 1 purchasers',
      '2026-11-30 Power BI Pro USD 2 subs 8400 1 purchasers',
    ]);
    // Rebuilding again gives the same rows, not twice as many.
    await database.prisma.$transaction((tx) => rebuildSpendHistory(tx, now));
    expect((await findSpendOnDays(database.prisma, ['2026-11-30'])).map(line)).toEqual(rows.slice(-2).map(line));
  });

  it('rebuilds the history twice at the same moment (the weekly report and /purchases report, or two replicas) into one history', async () => {
    await history();
    const now = at('2026-12-01T09:00:00Z');
    await database.prisma.$transaction((tx) => rebuildSpendHistory(tx, now));
    const once = await database.prisma.spendDay.findMany({ orderBy: [{ day: 'asc' }, { productId: 'asc' }, { currency: 'asc' }] });

    const counts = await Promise.all([1, 2, 3].map(() => database.prisma.$transaction((tx) => rebuildSpendHistory(tx, now))));

    expect(counts).toEqual([once.length, once.length, once.length]);
    expect(await database.prisma.spendDay.findMany({ orderBy: [{ day: 'asc' }, { productId: 'asc' }, { currency: 'asc' }] })).toEqual(once);
  });

  anyDialect('rebuilds the history of many subscriptions with statements whose parameters do not grow with them', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const people = await manyPeople(database.prisma, 50);
    await manySubscriptions(database.prisma, 5000, (i) => ({
      productId: product.id,
      purchaserId: people[i % 50]!,
      licensesPurchased: 1,
      purchasedAt: new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000),
    }));
    const rows = await database.prisma.$transaction((tx) => rebuildSpendHistory(tx, at('2026-12-01T00:00:00Z')));
    expect(rows).toBeGreaterThan(600);
    const [last] = await findSpendOnDays(database.prisma, ['2026-12-01']);
    expect(last).toMatchObject({ activeSubscriptions: 5000, monthlyMinor: 5000 * 1400, purchasers: 50 });
  });

  it('posts the report once per slot, from whichever of two replicas claims it: the message, then the chart with alt text stating the numbers', async () => {
    await history();
    const job = reportJob(config);
    const deps = jobDeps(database, config);
    const replica = (holder: string, now: Date) => sweepJobs({ prisma: database.prisma, deps, jobs: [job], clock: () => now, logger: quietLogger, holder });
    await replica('a', at('2026-11-30T10:00:00Z')); // first scheduled after Monday's slot: nothing posted
    expect(job.cron).toBe('0 9 * * 1');
    const slotTime = at('2026-12-07T09:00:00Z');
    expect(await database.prisma.outboxMessage.count()).toBe(0);
    const [a, b] = await Promise.all([replica('a', slotTime), replica('b', slotTime)]);
    expect([a![0]!.outcome, b![0]!.outcome].sort()).toEqual(['ran', 'skipped']);
    // A second attempt at the same slot (a run taken over after its holder died) posts nothing again.
    expect(await job.run(deps, at('2026-12-07T09:05:00Z'), { slot: slotTime })).toEqual({ status: 'covered' });

    await deliver(database, emulator, at('2026-12-07T09:00:05Z'));
    const messages = emulator.messages(CHANNEL);
    const report = messages.find((m) => JSON.stringify(m.blocks ?? '').includes('Weekly self-service purchases report'));
    expect(report).toBeDefined();
    expect(checkBlockKit('message', { text: report!.text ?? '', blocks: report!.blocks as never })).toEqual([]);
    const json = JSON.stringify(report!.blocks);
    expect(json).toContain('$84.00 a month now, $84.00 at the end of last month (unchanged)');
    expect(json).toContain('1 price unknown, not counted');
    expect(json).toContain('Power BI Pro: enabled');
    const files = emulator.files().filter((f) => f.channel === CHANNEL);
    expect(files.map((f) => f.name)).toEqual(['self-service-spend-eur-2026-12-07.png', 'self-service-spend-usd-2026-12-07.png']);
    const usd = files[1]!;
    expect(usd.content!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([usd.content!.readUInt32BE(16), usd.content!.readUInt32BE(20)]).toEqual([1000, 500]);
    expect(usd.alt_text).toContain('Jan 2026 $0.00; Feb 2026 $0.00; Mar 2026 $70.00');
    expect(usd.alt_text).toContain('Nov 2026 $84.00; Dec 2026 $84.00');
    expect(usd.alt_text).toContain('Purchasers: 0, 0, 1, 1, 2, 3, 3, 3, 2, 2, 2, 2.');
    expect(usd.initial_comment).toBe('Self-service spend per month in USD, by product: Dec 2026 $84.00, 2 purchasers.');
  });

  anyDialect('charts the eleven month ends before this month and today', () => {
    expect(chartDays(at('2026-03-05T10:00:00Z'))).toEqual([
      '2025-04-30',
      '2025-05-31',
      '2025-06-30',
      '2025-07-31',
      '2025-08-31',
      '2025-09-30',
      '2025-10-31',
      '2025-11-30',
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
      '2026-03-05',
    ]);
  });

  anyDialect('says the top savings in the report, each with its button', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const ana = await aPerson(database.prisma, { name: 'Ana' });
    const subscription = await aSubscription(database.prisma, {
      productId: product.id,
      purchaserId: ana.id,
      licensesPurchased: 4,
      purchasedAt: at('2026-12-03T00:00:00Z'),
    });
    await assign(database.prisma, subscription.id, [ana.id]);
    const deps = jobDeps(database, config);
    await reportJob(config).run(deps, at('2026-12-07T09:00:00Z'), { slot: at('2026-12-07T09:00:00Z') });
    await deliver(database, emulator, at('2026-12-07T09:00:05Z'));
    const json = JSON.stringify(emulator.messages(CHANNEL)[0]!.blocks);
    expect(json).toContain('3 seats of 4 bought and never assigned');
    expect(json).toContain('*$42.00 a month* ($504.00 a year)');
    expect(json).toContain(`"action_id":"takeover_open","text":{"type":"plain_text","text":"Take over","emoji":true},"value":"${subscription.id}"`);
    expect(json).toContain('1 new purchaser in the last 7 days: Ana');
  });
});
