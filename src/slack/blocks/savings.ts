/**
 * The savings finder's findings (`/purchases savings`, App Home, the weekly report) and the
 * weekly report itself. Each finding: what, per month and per year in its one currency, the
 * subscriptions involved, and the button that fixes it (Centralize, Take over, Export the list).
 */
import { formatMoney, formatTotals, multiply, type Money } from '../../domain/money.js';
import { plural } from '../../domain/plural.js';
import { policyWord } from '../../domain/policy.js';
import { unknownPricesNote } from '../../domain/money.js';
import { type Finding, rankedFindings, type Savings, savingsTotals } from '../../services/find-savings.js';
import type { Report, ReportNotices, ReportResult } from '../../services/post-report.js';
import { ACTIONS } from './action-ids.js';
import type { Button, KnownBlock, SlackMessage } from './block-kit.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, truncate } from './text.js';

/** Findings shown in `/purchases savings` (each a block), App Home and the report. */
export const SAVINGS_SHOWN = 20;
export const HOME_SAVINGS_SHOWN = 5;
export const REPORT_SAVINGS_SHOWN = 5;

function perMonthAndYear(money: Money): string {
  return `*${formatMoney(money)} a month* (${formatMoney(multiply(money, 12))} a year)`;
}

function names(list: string[], total: number): string {
  const shown = list.map(escapeMrkdwn).join(', ');
  return total > list.length ? `${shown} and ${total - list.length} more` : shown;
}

function subscriptionsPart(finding: Finding): string {
  if (finding.subscriptionShortIds.length === 0) return plural(finding.subscriptions, 'subscription');
  const ids = finding.subscriptionShortIds.map((id) => `\`${id}\``).join(', ');
  return finding.subscriptions > finding.subscriptionShortIds.length ? `${ids} and ${finding.subscriptions - finding.subscriptionShortIds.length} more` : ids;
}

/** One finding in words (mrkdwn). */
export function findingText(finding: Finding): string {
  const product = `*${escapeMrkdwn(finding.product.name)}*`;
  const amount = finding.monthly ? perMonthAndYear(finding.monthly) : '_price unknown_';
  switch (finding.kind) {
    case 'duplicate':
      return `:busts_in_silhouette: ${product} — paying twice: ${plural(finding.people, 'person', 'people')} (${names(finding.names, finding.people)}) also hold${finding.people === 1 ? 's' : ''} another license of it; ${plural(finding.licenses, 'self-service license')} too many · ${amount} · in ${subscriptionsPart(finding)}`;
    case 'free-seats':
      return `:chair: ${product} — ${plural(finding.free, 'seat')} of ${finding.licensesPurchased} bought and never assigned in \`${finding.subscriptionShortIds[0]}\`${finding.purchaserName ? ` (${escapeMrkdwn(finding.purchaserName)})` : ''} · ${amount}`;
    case 'inactive-accounts':
      return `:no_entry_sign: ${product} — ${plural(finding.licenses, 'license')} held by disabled or deleted accounts (${names(finding.names, finding.licenses)}) in \`${finding.subscriptionShortIds[0]}\`${finding.purchaserName ? ` (${escapeMrkdwn(finding.purchaserName)})` : ''} · ${amount}`;
    case 'centralize':
      return `:office: ${product} — centralize instead: ${plural(finding.seats, 'self-service seat')} cost ${formatMoney(finding.selfServiceMonthly)} a month, ${formatMoney(finding.centralMonthly)} at the central price of ${formatMoney(finding.centralUnitPrice)} (${finding.priceSource}) · saves ${amount} · ${subscriptionsPart(finding)}`;
  }
}

/** The button that fixes a finding. */
export function findingButton(finding: Finding): Button {
  switch (finding.action.kind) {
    case 'centralize':
      return { type: 'button', action_id: ACTIONS.savingsCentralize, text: plain('Centralize'), value: finding.action.productId };
    case 'takeover':
      return { type: 'button', action_id: ACTIONS.takeover, text: plain('Take over'), value: finding.action.subscriptionId };
    case 'export-subscription':
      return { type: 'button', action_id: ACTIONS.exportSubscription, text: plain('Export the list'), value: finding.action.subscriptionId };
  }
}

/** The findings ranked: each currency's largest first, then those of unknown price; `limit` in all. */
function totalsLine(savings: Savings): string {
  const totals = savingsTotals(savings);
  if (totals.monthly.length === 0) return 'Nothing found to save.';
  return `Up to *${formatTotals(totals.monthly)} a month* (${formatTotals(totals.monthly.map((t) => multiply(t, 12)))} a year) in ${plural(
    totals.findings,
    'finding',
  )}${unknownPricesNote(savings.unknownPrice.length)}; findings may overlap.`;
}

function dearerLines(savings: Savings): string | undefined {
  if (savings.centralDearer.length === 0) return undefined;
  const lines = savings.centralDearer.map(
    (f) =>
      `• ${escapeMrkdwn(f.product.name)}: the ${plural(f.seats, 'self-service seat')} cost ${formatMoney(f.selfServiceMonthly)} a month; centrally they would cost ${formatMoney(f.centralMonthly)} (${formatMoney(f.centralUnitPrice)} each, ${f.priceSource}), ${formatMoney({ ...f.monthly!, amountMinor: -f.monthly!.amountMinor })} more`,
  );
  return `*Central is dearer* — no saving in centralizing these:\n${linesWithin(lines, 2800, ' products')}`;
}

/**
 * Findings as blocks: a section with its button each, and "and N more". On App Home
 * (`onHome`), only buttons that open a modal: a Home tab has no conversation to answer in.
 */
/** `findings`: how many there are in all, when `savings` holds only the first (App Home's snapshot). */
export function findingBlocks(savings: Savings, limit: number, options: { onHome?: boolean; findings?: number } = {}): KnownBlock[] {
  const ranked = rankedFindings(savings, limit);
  const { shown } = ranked;
  const total = options.findings ?? ranked.total;
  const blocks: KnownBlock[] = [];
  let currency: string | null | undefined;
  for (const { currency: c, finding } of shown) {
    if (c !== currency) {
      blocks.push({ type: 'context', elements: [mrkdwn(c ? `Ranked by money in ${c}` : 'Price unknown: not ranked')] });
      currency = c;
    }
    const button = options.onHome && finding.action.kind !== 'takeover' ? {} : { accessory: findingButton(finding) };
    blocks.push({ type: 'section', text: mrkdwn(truncate(findingText(finding), 3000)), ...button });
  }
  if (total > shown.length)
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${total - shown.length} more: \`/purchases savings\` lists the first ${SAVINGS_SHOWN}.`)] });
  return blocks;
}

export function savingsMessage(savings: Savings): SlackMessage {
  const dearer = dearerLines(savings);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Where self-service money could be saved', 150) },
    { type: 'section', text: mrkdwn(totalsLine(savings)) },
    ...findingBlocks(savings, SAVINGS_SHOWN),
    ...(dearer ? [{ type: 'divider' as const }, { type: 'section' as const, text: mrkdwn(dearer) }] : []),
  ];
  return { text: truncate(`Savings: ${totalsLine(savings).replace(/\*/g, '')}`, 3000), blocks };
}

function change(now: Money[], before: Money[]): string {
  if (now.length === 0 && before.length === 0) return 'no self-service spend this month or last';
  const currencies = [...new Set([...now, ...before].map((m) => m.currency))].sort();
  return currencies
    .map((currency) => {
      const a = now.find((m) => m.currency === currency)?.amountMinor ?? 0;
      const b = before.find((m) => m.currency === currency)?.amountMinor ?? 0;
      const diff = a - b;
      const sign =
        diff > 0 ? `up ${formatMoney({ amountMinor: diff, currency })}` : diff < 0 ? `down ${formatMoney({ amountMinor: -diff, currency })}` : 'unchanged';
      return `${formatMoney({ amountMinor: a, currency })} a month now, ${formatMoney({ amountMinor: b, currency })} at the end of last month (${sign})`;
    })
    .join('; ');
}

export function reportMessages(report: Report, _timeZone: string): SlackMessage[] {
  const newPurchasers =
    report.newPurchasers.total === 0
      ? `No new purchasers in the last ${report.newPurchasers.days} days.`
      : `${plural(report.newPurchasers.total, 'new purchaser')} in the last ${report.newPurchasers.days} days: ${names(report.newPurchasers.names, report.newPurchasers.total)}`;
  const open =
    report.openPolicies.length === 0
      ? 'No product lets self-service purchases through.'
      : linesWithin(
          report.openPolicies.map((p) => `• ${escapeMrkdwn(p.name)}: ${policyWord(p.value)}`),
          2600,
          ' products',
        );
  const charts =
    report.charts.length === 0
      ? 'No priced self-service spend in the last twelve months: no chart.'
      : `The chart${report.charts.length > 1 ? 's follow' : ' follows'}: monthly self-service spend per product over twelve months, and the purchasers.`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Weekly self-service purchases report', 150) },
    {
      type: 'section',
      text: mrkdwn(
        `*This month against last:* ${change(report.thisMonth, report.lastMonth)}${unknownPricesNote(report.unknownPrices)}.\n*Purchasers now:* ${report.purchasersNow}\n*New purchasers:* ${newPurchasers}`,
      ),
    },
    { type: 'divider' },
    { type: 'section', text: mrkdwn(`*Top savings* — ${totalsLine(report.savings)}`) },
    ...findingBlocks(report.savings, REPORT_SAVINGS_SHOWN),
    { type: 'divider' },
    {
      type: 'section',
      text: mrkdwn(truncate(`*Policies that let purchases through* (enabled: purchases and trials; trials: free trials only)\n${open}`, 3000)),
    },
    { type: 'context', elements: [mrkdwn(charts)] },
  ];
  return [{ text: truncate(`Weekly self-service purchases report: ${change(report.thisMonth, report.lastMonth)}`, 3000), blocks }];
}

export const reportNotices: ReportNotices = { messages: reportMessages };

/** What `/purchases report` did, for the admin who asked. */
export function reportReply(result: ReportResult, channelId: string | undefined): SlackMessage {
  const channel = channelId ? `<#${channelId}>` : 'the admins’ channel';
  const text =
    result.status === 'posted'
      ? `:white_check_mark: Posting the weekly report to ${channel}${result.charts > 0 ? ` with ${plural(result.charts, 'chart')}` : ''}.`
      : result.status === 'covered'
        ? 'This week’s report is already posted.'
        : 'No report: set ADMIN_CHANNEL_ID to the admins’ channel where the report goes, and restart the bot.';
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
