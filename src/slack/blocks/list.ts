import { plural } from '../../domain/plural.js';
import { isActive } from '../../domain/spend.js';
import type { SubscriptionPage } from '../../services/list-subscriptions.js';
import { ACTIONS } from './action-ids.js';
import type { ActionsBlock, KnownBlock, SlackMessage } from './block-kit.js';
import { subscriptionLine } from './subscription-line.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

function describeFilters(page: SubscriptionPage): string {
  const f = page.filters;
  const parts = [`status: ${f.status}`];
  if (f.productName) parts.push(`product: ${escapeMrkdwn(f.productName)}`);
  if (f.purchaser) parts.push(`purchaser: ${escapeMrkdwn(f.purchaser)}`);
  if (f.expiringDays !== undefined) parts.push(`expiring within ${plural(f.expiringDays, 'day')}`);
  const total = page.totalCapped ? `${page.total.toLocaleString('en-US')}+ self-service subscriptions` : plural(page.total, 'self-service subscription');
  return `${total} · ${parts.join(' · ')} · newest first`;
}

export function listMessage(page: SubscriptionPage, now: Date, timeZone: string): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Self-service purchases', 150) },
    { type: 'context', elements: [mrkdwn(truncate(describeFilters(page), 2000))] },
  ];
  if (page.items.length === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn('No subscriptions match. Try `status:all`, a wider `expiring:` or another product: `/purchases help` shows the filters.'),
    });
  }
  for (const item of page.items) {
    blocks.push({
      type: 'section',
      text: mrkdwn(subscriptionLine(item, now, timeZone)),
      accessory: {
        type: 'button',
        action_id: ACTIONS.showSubscription,
        text: plain('Show'),
        value: item.id,
      },
    });
    if (isActive(item) && item.isSelfService) {
      blocks.push({
        type: 'actions',
        block_id: `row_${item.id}`,
        elements: [{ type: 'button', action_id: ACTIONS.takeover, text: plain('Take over'), value: item.id }],
      });
    }
  }
  const nav: ActionsBlock['elements'] = [];
  if (page.prevCursor) nav.push({ type: 'button', action_id: ACTIONS.listPrev, text: plain('Previous'), value: page.prevCursor });
  if (page.nextCursor) nav.push({ type: 'button', action_id: ACTIONS.listNext, text: plain('Next'), value: page.nextCursor });
  if (nav.length > 0) blocks.push({ type: 'actions', block_id: 'list_nav', elements: nav });
  return { text: truncate(describeFilters(page), 3000), blocks };
}
