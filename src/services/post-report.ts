/**
 * The weekly report to the admins' channel (REPORT_CRON, or `/purchases report`): the chart of
 * monthly self-service spend per product over twelve months with the number of purchasers, this
 * month against last, new purchasers of the last seven days, the top savings, and the products
 * whose policy lets purchases through.
 *
 * The spend history is rebuilt first (db/repositories/spend-history.ts), then read on thirteen
 * days: each of the last twelve months' ends and today. One chart per currency (amounts of
 * different currencies are never stacked together), at most MAX_CHARTS.
 *
 * Once per slot: a scheduled run's messages carry the slot in their dedupe keys, so a second
 * replica, or a run taken over after its first holder died, enqueues nothing new; the job's claim
 * (jobs/scheduler.ts) keeps the run itself to one replica.
 */
import { addDays } from 'date-fns';
import { renderSpendChart } from '../charts/spend-chart.js';
import { countPurchasersOnDays, findNewPurchasers, findSpendOnDays, rebuildSpendHistory, utcDay } from '../db/repositories/spend-history.js';
import type { Tx } from '../db/client.js';
import { findOutboxByKey } from '../db/repositories/outbox.js';
import { listRecordedPolicies } from '../db/repositories/policies.js';
import { enqueue } from '../outbox/enqueue.js';
import { formatMoney, minorDigits, sumByCurrency, type Money } from '../domain/money.js';
import { plural } from '../domain/plural.js';
import type { PolicyValue } from '../domain/policy.js';
import type { ServiceContext } from './context.js';
import { findSavings, type Savings, type SavingsDeps } from './find-savings.js';
import { outboxContent, type Message } from './messages.js';

export const MAX_CHARTS = 3;
export const NEW_PURCHASER_NAMES = 10;
export const NEW_PURCHASER_DAYS = 7;
const MONTHS = 12;

export interface ChartPicture {
  currency: string;
  filename: string;
  title: string;
  altText: string;
  /** Posted with the picture: its title and this month's total. */
  caption: string;
  png: Buffer;
  svg: string;
}

export interface Report {
  now: Date;
  /** The month ends (and today) the chart shows, `YYYY-MM-DD`. */
  days: string[];
  charts: ChartPicture[];
  /** Per currency: the monthly self-service spend today and at the end of last month. */
  thisMonth: Money[];
  lastMonth: Money[];
  /** Subscriptions whose price is unknown, today (not in the amounts). */
  unknownPrices: number;
  purchasersNow: number;
  newPurchasers: { total: number; names: string[]; days: number };
  savings: Savings;
  /** Products whose policy lets self-service purchases (or trials) through. */
  openPolicies: Array<{ name: string; value: PolicyValue }>;
}

/** What the report says: a port the Slack layer implements. */
export interface ReportNotices {
  /** The report's messages (text and blocks); the charts are uploaded after them. */
  messages(report: Report, timeZone: string): Message[];
}

export interface ReportDeps extends SavingsDeps {
  notices: ReportNotices;
  /** ADMIN_CHANNEL_ID. */
  adminChannelId: string | undefined;
}

export type ReportResult = { status: 'posted'; messages: number; charts: number } | { status: 'covered' } | { status: 'no-channel' };

/** The last day of each of the eleven months before `now`'s, then `now`'s own day. */
export function chartDays(now: Date): string[] {
  const days: string[] = [];
  for (let back = MONTHS - 1; back >= 1; back--) {
    days.push(utcDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back + 1, 0))));
  }
  days.push(utcDay(now));
  return days;
}

function monthLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return date.toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Minor units as a number of major units, for an axis (never for a displayed amount). */
function major(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorDigits(currency);
}

/**
 * Rebuilds the spend history in one transaction. Prisma's 5 s default for an interactive
 * transaction is too short for a large tenant's rebuild on a busy database (6 s at 1M
 * subscriptions on SQLite, past 5 s on PostgreSQL).
 */
export async function refreshSpendHistory(ctx: Pick<ServiceContext, 'prisma' | 'now'>): Promise<void> {
  await ctx.prisma.$transaction((tx: Tx) => rebuildSpendHistory(tx, ctx.now), { timeout: 60_000, maxWait: 60_000 });
}

export async function buildReport(ctx: ServiceContext, deps: SavingsDeps): Promise<Report> {
  const { prisma, now } = ctx;
  await refreshSpendHistory(ctx);
  const days = chartDays(now);
  const rows = await findSpendOnDays(prisma, days);
  const purchasers = await countPurchasersOnDays(prisma, days);
  const today = days.at(-1)!;
  const lastMonthEnd = days.at(-2)!;

  const currencies = [...new Set(rows.filter((r) => r.currency !== '').map((r) => r.currency))].sort();
  const charts: ChartPicture[] = [];
  for (const currency of currencies.slice(0, MAX_CHARTS)) {
    const products = new Map<string, { name: string; values: number[]; minor: number[] }>();
    for (const row of rows.filter((r) => r.currency === currency)) {
      const entry = products.get(row.productId) ?? { name: row.productName, values: days.map(() => 0), minor: days.map(() => 0) };
      const index = days.indexOf(row.day);
      entry.values[index] = major(row.monthlyMinor, currency);
      entry.minor[index] = row.monthlyMinor;
      products.set(row.productId, entry);
    }
    const series = [...products.values()].sort((a, b) => a.name.localeCompare(b.name));
    const months = days.map(monthLabel);
    const counts = days.map((day) => purchasers.get(day) ?? 0);
    const title = `Self-service spend per month in ${currency}, by product`;
    const { svg, png } = renderSpendChart({ title, months, products: series, purchasers: counts, unit: `${currency} per month` });
    const perMonth = days.map((_, i) => {
      const total = series.reduce((sum, s) => sum + s.minor[i]!, 0);
      return `${months[i]} ${formatMoney({ amountMinor: total, currency })}`;
    });
    const latest = series.filter((s) => s.minor.at(-1)! > 0).map((s) => `${s.name} ${formatMoney({ amountMinor: s.minor.at(-1)!, currency })}`);
    const altText = `${title}, ${months[0]} to ${months.at(-1)}. Total per month: ${perMonth.join('; ')}. ${months.at(-1)} by product: ${latest.join('; ') || 'nothing'}. Purchasers: ${counts.join(', ')}.`;
    const caption = `${title}: ${perMonth.at(-1)}, ${plural(counts.at(-1)!, 'purchaser')}.`;
    charts.push({ currency, filename: `self-service-spend-${currency.toLowerCase()}-${today}.png`, title, altText, caption, png, svg });
  }

  const totalOn = (day: string) =>
    sumByCurrency(rows.filter((r) => r.day === day && r.currency !== '').map((r) => ({ amountMinor: r.monthlyMinor, currency: r.currency })));
  const unknownPrices = rows.filter((r) => r.day === today && r.currency === '').reduce((sum, r) => sum + r.activeSubscriptions, 0);
  const open = (await listRecordedPolicies(prisma)).filter((p) => p.value !== 'Disabled').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    now,
    days,
    charts,
    thisMonth: totalOn(today),
    lastMonth: totalOn(lastMonthEnd),
    unknownPrices,
    purchasersNow: purchasers.get(today) ?? 0,
    newPurchasers: { ...(await findNewPurchasers(prisma, addDays(now, -NEW_PURCHASER_DAYS), now, NEW_PURCHASER_NAMES)), days: NEW_PURCHASER_DAYS },
    savings: await findSavings(ctx, deps),
    openPolicies: open.map((p) => ({ name: p.name, value: p.value })),
  };
}

/** Builds the report and enqueues it for the admins' channel: its messages, then its charts. */
export async function postReport(
  ctx: ServiceContext,
  deps: ReportDeps,
  options: {
    /** The scheduled slot of this run, if it is one: the same slot is never posted twice. */
    slot?: Date;
    /** The admin who asked for it (told if Slack refuses it). */
    requestedBy?: string;
  },
): Promise<ReportResult> {
  const channel = deps.adminChannelId;
  if (!channel) return { status: 'no-channel' };
  const run = options.slot ? `slot:${options.slot.toISOString()}` : `asked:${ctx.now.toISOString()}`;
  const firstKey = `report:${run}:message:1`;
  if (options.slot && (await findOutboxByKey(ctx.prisma, firstKey))) return { status: 'covered' };
  const report = await buildReport(ctx, deps);
  const messages = deps.notices.messages(report, ctx.timeZone);
  const ifFailed = options.requestedBy ? { ifFailed: { user: options.requestedBy } } : {};
  await ctx.prisma.$transaction(async (tx) => {
    // Stored a millisecond apart, in order, all due at once: the messages, then the pictures.
    const parts = messages.length + report.charts.length;
    let i = 0;
    const at = () => new Date(ctx.now.getTime() - (parts - 1 - i++));
    for (const [n, message] of messages.entries()) {
      await enqueue(tx, 'post', `report:${run}:message:${n + 1}`, { channel, ...outboxContent(message), ...(n === 0 ? ifFailed : {}) }, at());
    }
    for (const chart of report.charts) {
      await enqueue(
        tx,
        'file',
        `report:${run}:chart:${chart.currency}`,
        {
          channel,
          filename: chart.filename,
          title: chart.title,
          altText: chart.altText.slice(0, 1000),
          contentBase64: chart.png.toString('base64'),
          text: chart.caption,
        },
        at(),
      );
    }
  });
  return { status: 'posted', messages: messages.length, charts: report.charts.length };
}
