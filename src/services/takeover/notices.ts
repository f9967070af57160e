/**
 * What a take-over tells people, rendered by the Slack layer and handed to the services (which
 * store it in the outbox in the same transaction as the change it reports).
 */
import type { SlackMessage } from '../../slack/blocks/block-kit.js';
import type { SubscriptionSummary } from '../subscription-summary.js';
import type { TakeoverDescription } from './describe.js';

export interface TakeoverNotices {
  /** The message in the admins' channel: pending with Approve/Reject, or its outcome. */
  approval(request: TakeoverDescription, timeZone: string): SlackMessage;
  /** To the purchaser, after the take-over ran. */
  purchaserNotice(request: TakeoverDescription, timeZone: string): SlackMessage;
  /** To the requester, when an admin rejected the request. */
  rejected(request: TakeoverDescription): SlackMessage;
  /** To a purchaser whose users now hold central licenses: please cancel your own subscription. */
  askToCancel(subscription: SubscriptionSummary, askedBy: string, timeZone: string): SlackMessage;
}

/** Finds a Slack user by email (users.lookupByEmail); undefined when nobody in Slack has it. */
export interface SlackDirectory {
  userIdByEmail(email: string): Promise<string | undefined>;
}
