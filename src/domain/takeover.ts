/**
 * Take-over of a self-service subscription: what can be asked, and the states a request goes
 * through (TAKEOVER_TRANSITIONS): PENDING -> APPROVED -> EXECUTED | FAILED, or PENDING ->
 * REJECTED | WITHDRAWN. Each step is a conditional update on the current status, so it happens
 * once whoever clicks how often. A new step is a new status and its edges in the table below.
 * On Microsoft 365, where no API cancels a subscription, APPROVED -> AWAITING_ADMIN_CENTER once
 * the users' licenses are done, then -> DONE when an admin marks it cancelled in the admin
 * center or a sync sees it deleted.
 */
import { AppError } from './errors.js';

export const TAKEOVER_KINDS = ['move', 'cancel'] as const;
export type TakeoverKind = (typeof TAKEOVER_KINDS)[number];

export const TAKEOVER_STATUSES = ['PENDING', 'APPROVED', 'EXECUTED', 'FAILED', 'REJECTED', 'WITHDRAWN', 'AWAITING_ADMIN_CENTER', 'DONE'] as const;
export type TakeoverStatus = (typeof TAKEOVER_STATUSES)[number];

/** Where a request may go from each status; final statuses go nowhere. */
export const TAKEOVER_TRANSITIONS: Record<TakeoverStatus, readonly TakeoverStatus[]> = {
  PENDING: ['APPROVED', 'REJECTED', 'WITHDRAWN'],
  APPROVED: ['EXECUTED', 'FAILED', 'AWAITING_ADMIN_CENTER'],
  EXECUTED: [],
  FAILED: [],
  REJECTED: [],
  WITHDRAWN: [],
  AWAITING_ADMIN_CENTER: ['DONE'],
  DONE: [],
};

/** Statuses of a request still under way: one of these blocks a second request for its subscription. */
export const OPEN_TAKEOVER_STATUSES = (Object.keys(TAKEOVER_TRANSITIONS) as TakeoverStatus[]).filter((status) => TAKEOVER_TRANSITIONS[status].length > 0);

export function canMove(from: TakeoverStatus, to: TakeoverStatus): boolean {
  return TAKEOVER_TRANSITIONS[from].includes(to);
}

/** Where an admin cancels a subscription by hand (Billing › Your products). */
export const ADMIN_CENTER_SUBSCRIPTIONS_URL = 'https://admin.microsoft.com/#/subscriptions';
/** Who the record names as having finished a take-over when a sync saw its subscription deleted. */
export const COMPLETED_BY_TENANT = 'tenant';

/** The reasons offered when cancelling (the list of the admin center, plus "Other"). */
export const CANCEL_REASONS = ['No longer needed', 'Too expensive', 'Moving to a central subscription', 'Bought by mistake', 'Other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
/** The reason that says nothing by itself: a cancellation for it needs a comment. */
export const OTHER_REASON: CancelReason = 'Other';

export const CANCEL_COMMENT_MAX = 500;
export const REJECT_REASON_MAX = 500;

/** Whether the purchaser was told: sent (a DM is on its way), not_in_slack, none (no purchaser). */
export type PurchaserNotice = 'sent' | 'not_in_slack' | 'none';

/** Form fields a take-over submission can be wrong about: errors are shown next to them. */
export type TakeoverField = 'kind' | 'target' | 'reason' | 'comment';

/** A user error that belongs to one field of a form (shown on the modal, not as a reply). */
export class FieldError extends AppError {
  constructor(
    readonly field: TakeoverField,
    userMessage: string,
  ) {
    super('bad_input', `invalid ${field}: ${userMessage}`, userMessage);
  }
}

export function isFieldError(error: unknown): error is FieldError {
  return error instanceof FieldError;
}

/** Who decided a request that is no longer pending, as the loser of a race is told. */
export function alreadyDecided(status: string, decidedBy: string | null): string {
  const who = decidedBy ? ` by <@${decidedBy}>` : '';
  switch (status) {
    case 'REJECTED':
      return `This request was already rejected${who}.`;
    case 'WITHDRAWN':
      return `This request was withdrawn${who}.`;
    case 'PENDING':
      return 'This request is still pending.';
    default:
      return `This request was already approved${who}.`;
  }
}
