/** The digest of new self-service purchases, as one or more channel messages. */
import { formatDateTime } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import { describeSpend } from '../../domain/spend.js';
import type { Config } from '../../config.js';
import type { Digest, DigestNotices, DigestResult } from '../../services/post-digest.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { splitIntoMessages } from './split.js';
import { subscriptionWithButtons } from './subscription-buttons.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

function windowText(digest: Digest, timeZone: string): string {
  const to = formatDateTime(digest.to, timeZone);
  return digest.from ? `since ${formatDateTime(digest.from, timeZone)} (until ${to} ${timeZone})` : `until ${to} ${timeZone}`;
}

export function digestMessages(digest: Digest, now: Date, timeZone: string): SlackMessage[] {
  const window = windowText(digest, timeZone);
  if (digest.totals.count === 0) {
    const text = `No new self-service purchases ${window}.`;
    return [{ text, blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: ${text}`) }] }];
  }
  const units: KnownBlock[][] = [];
  for (const group of digest.groups) {
    const [first, ...rest] = group.items.map((item) => subscriptionWithButtons(item, now, timeZone));
    // A large window (a first digest) lists a few of each product: the list command has the rest.
    const listed =
      group.items.length < group.count ? ` (the first ${group.items.length} below; \`/purchases list ${group.product.id} status:all\` shows all)` : '';
    const heading: KnownBlock = {
      type: 'section',
      text: mrkdwn(`*${escapeMrkdwn(group.product.name)}* — ${group.count} new${listed}`),
    };
    units.push([heading, ...first!], ...rest);
  }
  const { count, active, licenses } = digest.totals;
  const cancelled = count - active;
  const already = cancelled > 0 ? ` (${cancelled} of them already cancelled)` : '';
  const totals = `*Total:* ${plural(count, 'purchase')}${already} · ${plural(licenses, 'active license')} · ${describeSpend(digest.totals, ' per month')}`;
  const summary = `${plural(count, 'new self-service purchase')} ${window}`;
  return splitIntoMessages(units, {
    headBlocks: 2,
    head: (part, parts) => {
      const suffix = parts > 1 ? ` (part ${part} of ${parts})` : '';
      return {
        text: truncate(`${summary}${suffix}`, 3000),
        blocks: [
          { type: 'header', text: plain(`New self-service purchases${suffix}`, 150) },
          { type: 'context', elements: [mrkdwn(truncate(summary, 2000))] },
        ],
      };
    },
    tail: [{ type: 'divider' }, { type: 'section', text: mrkdwn(totals) }],
  });
}

/** What `/purchases digest` (or the Home button) did, in one line for the admin who asked. */
export function describeDigestResult(result: DigestResult, config: Pick<Config, 'ADMIN_CHANNEL_ID'>, timeZone: string): string {
  const channel = config.ADMIN_CHANNEL_ID ? `<#${config.ADMIN_CHANNEL_ID}>` : 'the admins’ channel';
  const since = (from: Date | null) => (from ? `since ${formatDateTime(from, timeZone)}` : 'so far');
  switch (result.status) {
    case 'posted':
      return `:white_check_mark: Posting the digest of ${plural(result.count, 'new purchase')} ${since(result.from)} to ${channel}${result.messages > 1 ? ` in ${result.messages} messages` : ''}.`;
    case 'empty':
      return `Nothing new ${since(result.from)}: no digest posted.`;
    case 'waiting':
      return `The previous digest (until ${formatDateTime(result.to, timeZone)}) is still waiting for Slack to accept it; it is retried automatically, and the next digest follows once it is through.`;
    case 'covered':
      return `The digest until ${formatDateTime(result.watermark, timeZone)} is already posted.`;
    case 'busy':
      return 'Another digest is being posted right now: nothing posted twice.';
    case 'no-channel':
      return 'No digest: set ADMIN_CHANNEL_ID to the admins’ channel where digests go, and restart the bot.';
  }
}

export function digestReply(result: DigestResult, config: Pick<Config, 'ADMIN_CHANNEL_ID'>, timeZone: string): SlackMessage {
  const text = describeDigestResult(result, config, timeZone);
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

export const digestNotices: DigestNotices = { messages: digestMessages };
