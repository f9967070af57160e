import { isActive } from '../../domain/spend.js';
import type { SubscriptionSummary } from '../../services/subscription-summary.js';
import { ACTIONS } from './action-ids.js';
import type { KnownBlock } from './block-kit.js';
import { subscriptionLine } from './subscription-line.js';
import { mrkdwn, plain } from './text.js';

/** A subscription with its Show and Take over buttons: the unit that digests and reminders list. */
export function subscriptionWithButtons(s: SubscriptionSummary, now: Date, timeZone: string): KnownBlock[] {
  return [
    { type: 'section', text: mrkdwn(subscriptionLine(s, now, timeZone)) },
    {
      type: 'actions',
      block_id: `sub_${s.id}`,
      elements: [
        { type: 'button', action_id: ACTIONS.showSubscription, text: plain('Show'), value: s.id },
        ...(isActive(s) ? [{ type: 'button' as const, action_id: ACTIONS.takeover, text: plain('Take over'), value: s.id }] : []),
      ],
    },
  ];
}
