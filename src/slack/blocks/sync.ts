/**
 * `/purchases sync` and the last sync on App Home: what a sync from Microsoft 365 found (new,
 * changed, gone, skipped, errors, with a few names each), or why it could not run.
 */
import { formatDateTime } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import type { LastSync, SyncRun, SyncSummary, SyncTally } from '../../services/sync-tenant.js';
import { syncChangedNothing } from '../../services/sync-tenant.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

/** "2 subscriptions, 5 people, 12 licenses", leaving out what is zero; empty when all are. */
export function tallyCounts(tally: SyncTally): string {
  const parts = [
    tally.subscriptions > 0 ? plural(tally.subscriptions, 'subscription') : '',
    tally.people > 0 ? plural(tally.people, 'person', 'people') : '',
    tally.products > 0 ? plural(tally.products, 'product') : '',
    tally.licenses > 0 ? plural(tally.licenses, 'license') : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** One line per kind of finding: "*New*: 2 subscriptions, … — Power BI Pro (5e1f0000) bought by Meera Desai, …". */
function findingLines(summary: SyncSummary): string[] {
  const lines: string[] = [];
  const tally = (label: string, t: SyncTally) => {
    const counts = tallyCounts(t);
    if (counts) lines.push(`*${label}:* ${counts}${t.names.length > 0 ? ` — ${t.names.map(escapeMrkdwn).join('; ')}` : ''}`);
  };
  tally('New', summary.new);
  tally('Changed', summary.changed);
  tally('Gone', summary.gone);
  const { added, removed } = summary.attributed;
  if (added + removed > 0) {
    lines.push(
      `*Attributed:* ${[added > 0 ? `${plural(added, 'license')} given to a product's only subscription` : '', removed > 0 ? `${plural(removed, 'license')} ended` : ''].filter(Boolean).join(', ')}`,
    );
  }
  if (summary.skipped.count > 0) {
    lines.push(
      `*Skipped:* ${plural(summary.skipped.count, 'item')} Microsoft Graph sent that the bot could not use — ${summary.skipped.items.map(escapeMrkdwn).join('; ')}`,
    );
  }
  if (summary.errors.count > 0) lines.push(`*Errors:* ${plural(summary.errors.count, 'problem')} — ${summary.errors.messages.map(escapeMrkdwn).join('; ')}`);
  return lines;
}

/** A sync's findings in one line, for App Home. */
export function syncSummaryLine(summary: SyncSummary): string {
  if (syncChangedNothing(summary) && summary.skipped.count + summary.errors.count === 0) return 'nothing changed';
  const parts = [
    tallyCounts(summary.new) ? `new: ${tallyCounts(summary.new)}` : '',
    tallyCounts(summary.changed) ? `changed: ${tallyCounts(summary.changed)}` : '',
    tallyCounts(summary.gone) ? `gone: ${tallyCounts(summary.gone)}` : '',
    summary.skipped.count > 0 ? `${summary.skipped.count} skipped` : '',
    summary.errors.count > 0 ? plural(summary.errors.count, 'error') : '',
  ];
  return parts.filter(Boolean).join(' · ') || 'nothing changed';
}

/** App Home's line on the last sync: when, and what it found or why it failed. */
export function lastSyncLine(last: LastSync | undefined, timeZone: string): string {
  if (!last) return '*Tenant sync:* not run yet';
  const when = formatDateTime(last.at, timeZone);
  return last.ok
    ? `*Tenant sync:* ${when}, ${escapeMrkdwn(syncSummaryLine(last.summary))}`
    : `*Tenant sync:* :warning: ${when}, failed: ${escapeMrkdwn(last.error)}`;
}

export function syncRunMessage(run: SyncRun, timeZone: string): SlackMessage {
  if (run.status === 'busy') {
    const text = `Another sync from Microsoft 365 is running (${escapeMrkdwn(run.holder)}), at the latest until ${formatDateTime(run.until, timeZone)}: its result will be on App Home. Try again once it is done.`;
    return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
  }
  const quiet = syncChangedNothing(run.summary);
  const lines = findingLines(run.summary);
  if (quiet) lines.unshift('Nothing changed: the record already matched Microsoft 365.');
  if (run.takeoversFinished.length > 0) {
    lines.push(
      `*Take-overs finished:* ${plural(run.takeoversFinished.length, 'subscription')} waiting for the admin center ${run.takeoversFinished.length === 1 ? 'is' : 'are'} now deleted in Microsoft 365.`,
    );
  }
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Synced from Microsoft 365', 150) },
    { type: 'section', text: mrkdwn(truncate(lines.join('\n'), 3000)) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          'Subscriptions, seats and who holds which license, as Microsoft Graph reports them. `/purchases list` and `/purchases licenses` show the record.',
        ),
      ],
    },
  ];
  return { text: truncate(`Synced from Microsoft 365: ${syncSummaryLine(run.summary)}`, 3000), blocks };
}

export function syncFailedMessage(reason: string): SlackMessage {
  const text = `The sync from Microsoft 365 could not run, and the record is as it was: ${escapeMrkdwn(reason)}`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:warning: ${truncate(text, 2900)}`) }] };
}

/** TENANT=local: the record is the tenant, so there is nothing to read it from. */
export function nothingToSyncMessage(): SlackMessage {
  const text =
    'Nothing to sync: with `TENANT=local` the bot’s own record is the tenant (the demo data and what you import), so there is nowhere to read it from. ' +
    'To read subscriptions, seats and license holders from Microsoft 365, set `TENANT=microsoft` with an app registration (README, “Connecting to Microsoft 365”). ' +
    'To fill the record from the admin center’s CSV exports, upload one in this app’s Messages tab (not a channel) and click *Import this file* under it, or run `/purchases import` there.';
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
