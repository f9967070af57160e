/**
 * What a take-over tells people: a port the Slack layer implements and the composition root
 * hands in. The services store what it returns in the outbox, in the same transaction as the
 * change it reports.
 */
import type { Message } from '../messages.js';
import type { TakeoverDescription } from './describe.js';

export interface TakeoverNotices {
  /** The message in the admins' channel: pending with Approve/Reject, or its outcome. */
  approval(request: TakeoverDescription, timeZone: string): Message;
  /** To the purchaser, after the take-over ran. */
  purchaserNotice(request: TakeoverDescription, timeZone: string): Message;
  /** To the requester, when an admin rejected the request. */
  rejected(request: TakeoverDescription): Message;
  /** To the requester, when another admin withdrew the request. */
  withdrawn(request: TakeoverDescription): Message;
  /** To the requester: Slack refused the approval message for good (`error` is Slack's code). */
  approvalUndelivered(request: TakeoverDescription, error: string): Message;
  /**
   * To the requester, once the users' licenses are done on a tenant where no API cancels a
   * subscription: cancel it in the admin center, then mark it cancelled.
   */
  adminCenterStep(request: TakeoverDescription, timeZone: string): Message;
}

/** Finds a Slack user by email (users.lookupByEmail); undefined when nobody in Slack has it. */
export interface SlackDirectory {
  userIdByEmail(email: string): Promise<string | undefined>;
}
