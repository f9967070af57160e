import { formatDateTime, formatDay } from '../../domain/dates.js';
import type { SubscriptionDetails } from '../../services/show-subscription.js';
import { ACTIONS } from './action-ids.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { isActive } from '../../domain/spend.js';
import { byWhom } from './people.js';
import { decisionLine, holdersLine } from './subscription-origin.js';
import { expiryLabel, priceLabel, purchaserLabel, statusLabel } from './subscription-line.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, truncate } from './text.js';

export function subscriptionMessage(details: SubscriptionDetails, now: Date, timeZone: string): SlackMessage {
  const s = details.subscription;
  const free = Math.max(0, s.licensesPurchased - s.assigned);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${s.product.name}${s.isSelfService ? ' (self-service)' : ' (central)'}`, 150) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Subscription*\n\`${s.id}\``, 2000),
        mrkdwn(`*Status*\n${statusLabel(s)}`, 2000),
        mrkdwn(`*Purchaser*\n${purchaserLabel(s)}`, 2000),
        mrkdwn(
          isActive(s)
            ? `*Licenses*\n${s.licensesPurchased} purchased · ${s.assigned} assigned · ${free} free`
            : `*Licenses*\n${s.licensesPurchased} purchased · released when it was cancelled${s.assigned > 0 ? ` (${s.assigned} still assigned)` : ''}`,
          2000,
        ),
        mrkdwn(`*Purchased*\n${formatDay(s.purchasedAt, timeZone)}`, 2000),
        mrkdwn(`*Renewal*\n${expiryLabel(s, now, timeZone)}`, 2000),
        mrkdwn(`*Price*\n${priceLabel(s)}`, 2000),
        mrkdwn(`*Product*\n${escapeMrkdwn(s.product.name)} \`${s.product.id}\``, 2000),
      ],
    },
  ];
  if (!isActive(s)) {
    const when = s.cancelledAt ? `on ${formatDateTime(s.cancelledAt, timeZone)}` : 'at a time the record does not hold';
    const why = [s.cancelReason, s.cancelComment]
      .filter(Boolean)
      .map((t) => escapeMrkdwn(t!))
      .join(' — ');
    blocks.push({
      type: 'context',
      elements: [mrkdwn(truncate(`Cancelled ${when} ${byWhom(s.cancelledBy)}${why ? `. Reason: ${why}` : ''}`, 2000))],
    });
  }
  if (details.origin) {
    const holders = holdersLine(details.origin);
    blocks.push({
      type: 'context',
      elements: [mrkdwn(truncate(`*Self-service or central:* ${decisionLine(details.origin, timeZone)}${holders ? `\n*Holders:* ${holders}` : ''}`, 2000))],
    });
  }
  const userLines = details.users.map((u) => `• ${escapeMrkdwn(u.name)} — ${escapeMrkdwn(u.email)}`);
  const hidden = s.assigned - details.users.length;
  const more = hidden > 0 ? `\n…and ${hidden} more (Export users has them all)` : '';
  blocks.push({
    type: 'section',
    text: mrkdwn(
      s.assigned === 0
        ? `*Assigned users*\n${
            !isActive(s)
              ? 'Nobody: its licenses were removed when it was cancelled.'
              : details.origin?.skuId && details.origin.liveOfSku > 1
                ? 'None attributed to this subscription (see *Holders* above).'
                : 'Nobody holds a license of this subscription.'
          }`
        : `*Assigned users (${s.assigned})*\n${linesWithin(userLines, 2800 - more.length)}${more}`,
    ),
  });
  blocks.push({
    type: 'actions',
    block_id: 'subscription_actions',
    elements: [
      { type: 'button', action_id: ACTIONS.exportSubscription, text: plain('Export users'), value: s.id },
      ...(isActive(s) && s.isSelfService ? [{ type: 'button' as const, action_id: ACTIONS.takeover, text: plain('Take over'), value: s.id }] : []),
    ],
  });
  return { text: `${escapeMrkdwn(s.product.name)} subscription ${s.shortId} of ${escapeMrkdwn(s.purchaser?.name ?? 'the organisation')}`, blocks };
}
