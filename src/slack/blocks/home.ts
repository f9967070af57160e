import { formatDateTime } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import { describeSpend } from '../../domain/spend.js';
import type { Dashboard } from '../../services/dashboard.js';
import { EXPIRING_DAYS, UNDELIVERED_DAYS } from '../../services/dashboard.js';
import { ACTIONS, TAKEOVER_ACTIONS } from './action-ids.js';
import type { HomeView, KnownBlock } from './block-kit.js';
import { subscriptionLine } from './subscription-line.js';
import { findingBlocks, HOME_SAVINGS_SHOWN } from './savings.js';
import { lastSyncLine } from './sync.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, truncate } from './text.js';

const when = (date: Date | null, timeZone: string) => (date ? formatDateTime(date, timeZone) : 'never');

/** The admins' dashboard. Buttons here open modals or act: a Home tab has no thread to answer in. */
export function adminHome(dashboard: Dashboard, now: Date, timeZone: string, notice?: string): HomeView {
  const { counts, expiring, pending } = dashboard;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Self-service purchase governance', 150) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Updated ${formatDateTime(now, timeZone)} (${escapeMrkdwn(timeZone)}) · last digest ${when(dashboard.lastDigestAt, timeZone)} · policies last read ${when(dashboard.lastSyncAt, timeZone)}`,
        ),
        ...(dashboard.lastTenantSync ? [mrkdwn(truncate(lastSyncLine(dashboard.lastTenantSync, timeZone), 2000))] : []),
      ],
    },
    ...(notice ? [{ type: 'section' as const, text: mrkdwn(notice) }] : []),
    ...(dashboard.undelivered.count > 0
      ? [
          {
            type: 'section' as const,
            text: mrkdwn(
              `:warning: ${plural(dashboard.undelivered.count, 'message')} from the bot could not be delivered in the last ${UNDELIVERED_DAYS} days${dashboard.undelivered.latestError ? ` (latest reason: ${escapeMrkdwn(dashboard.undelivered.latestError)})` : ''}. If the bot is not in the admins' channel, invite it there with \`/invite @Purchase Governance\`.`,
            ),
          },
        ]
      : []),
    {
      type: 'actions',
      block_id: 'home_quick',
      elements: [
        { type: 'button', action_id: ACTIONS.homeDigest, text: plain('Post the digest now'), value: 'digest' },
        { type: 'button', action_id: ACTIONS.homeRefresh, text: plain('Refresh'), value: 'refresh' },
      ],
    },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Active*\n${counts.active}`),
        mrkdwn(`*Of which trials*\n${counts.trials}`),
        mrkdwn(`*Deleted*\n${counts.deleted}`),
        mrkdwn(`*Monthly spend*\n${describeSpend({ monthly: dashboard.spendTotal, unknownPrices: dashboard.spendUnknownPrices })}`),
      ],
    },
    { type: 'divider' },
    { type: 'section', text: mrkdwn('*Monthly spend by product* (active self-service subscriptions)') },
    {
      type: 'section',
      text: mrkdwn(
        dashboard.spendByProduct.length === 0
          ? 'No active self-service subscriptions.'
          : linesWithin(
              dashboard.spendByProduct.map(
                (p) =>
                  `• ${escapeMrkdwn(p.product.name)}: ${p.monthly.length > 0 ? describeSpend(p) : 'price unknown'} (${plural(p.subscriptions, 'subscription')})`,
              ),
              2900,
              ' products',
            ),
      ),
    },
    ...(dashboard.savings
      ? savingsSection(dashboard.savings, timeZone)
      : [
          { type: 'divider' as const },
          { type: 'section' as const, text: mrkdwn('*Top savings*: *Refresh* or `/purchases savings` finds what could be saved.') },
        ]),
    { type: 'divider' },
    { type: 'section', text: mrkdwn(`*Expiring in the next ${EXPIRING_DAYS} days* (${expiring.total})`) },
  ];
  if (expiring.items.length === 0) blocks.push({ type: 'section', text: mrkdwn('Nothing renews soon.') });
  for (const item of expiring.items) {
    blocks.push({
      type: 'section',
      text: mrkdwn(subscriptionLine(item, now, timeZone)),
      accessory: { type: 'button', action_id: ACTIONS.takeover, text: plain('Take over'), value: item.id },
    });
  }
  if (expiring.total > expiring.items.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${expiring.total - expiring.items.length} more: \`/purchases list expiring:${EXPIRING_DAYS}\``)] });
  }
  const awaiting = dashboard.awaitingAdminCenter;
  if (awaiting.total > 0) {
    blocks.push(
      { type: 'divider' },
      {
        type: 'section',
        text: mrkdwn(
          `*Waiting for the admin center* (${awaiting.total}): licenses done; cancel these subscriptions in the Microsoft 365 admin center, then click *Marked as cancelled* on the request in the admins' channel.\n` +
            linesWithin(
              awaiting.items.map(
                (a) =>
                  `• ${a.kind === 'move' ? 'Moved users off' : 'Cancel'} \`${a.subscriptionShortId}\`${a.since ? `, licenses done ${formatDateTime(a.since, timeZone)}` : ''}`,
              ),
              2500,
            ),
        ),
      },
    );
  }
  blocks.push({ type: 'divider' }, { type: 'section', text: mrkdwn(`*Pending approvals* (${pending.total})`) });
  if (pending.items.length === 0) blocks.push({ type: 'section', text: mrkdwn('No take-over waits for approval.') });
  for (const p of pending.items) {
    const what = `${p.kind === 'move' ? 'Move users off' : 'Cancel'} \`${p.subscriptionShortId}\`${p.productName ? ` (${escapeMrkdwn(p.productName)})` : ''}, asked by <@${p.requestedBy}> on ${formatDateTime(p.requestedAt, timeZone)} · request \`${p.id.slice(0, 8)}\``;
    const problem = p.undelivered
      ? `\n:warning: Its approval message could not be posted (${escapeMrkdwn(p.undelivered)}): nobody can approve it. Withdraw it and ask again.`
      : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(truncate(`${what}${problem}`, 3000)),
      accessory: {
        type: 'button',
        action_id: TAKEOVER_ACTIONS.withdraw,
        text: plain('Withdraw'),
        value: p.id,
        confirm: {
          title: plain('Withdraw this request?', 100),
          text: plain('Nothing is changed; the request can no longer be approved. The requester is told.', 300),
          confirm: plain('Withdraw', 30),
          deny: plain('Keep it', 30),
        },
      },
    });
  }
  if (pending.total > pending.items.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${pending.total - pending.items.length} more in the admins' channel`)] });
  }
  return { type: 'home', blocks };
}

/** The largest savings the finder last found, each with its button; the rest behind `/purchases savings`. */
function savingsSection(latest: NonNullable<Dashboard['savings']>, timeZone: string): KnownBlock[] {
  const found = findingBlocks(latest.savings, HOME_SAVINGS_SHOWN, { onHome: true, findings: latest.findings });
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: mrkdwn(`*Top savings* as found ${formatDateTime(latest.at, timeZone)} (*Refresh* or \`/purchases savings\` finds them again and lists them all)`),
    },
    ...(found.length > 0
      ? found
      : [{ type: 'section' as const, text: mrkdwn('Nothing found to save: no one licensed twice, no seat unassigned, no license on a disabled account.') }]),
  ];
}

export function nonAdminHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('Self-service purchase governance', 150) },
      {
        type: 'section',
        text: mrkdwn(
          'This app helps your Microsoft 365 admins review licenses bought with personal credit cards. Only admins can use it. If you bought a license yourself, an admin may contact you about moving you to a license the company pays for.',
        ),
      },
    ],
  };
}
