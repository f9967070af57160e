/**
 * Submitting the take-over modal: everything is re-read and re-checked (the modal may have been
 * open for a while), a PENDING request is stored and its approval message queued for the admins'
 * channel, in one transaction.
 */
import { plural } from '../../domain/plural.js';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../db/repositories/audit.js';
import { isUniqueViolation } from '../../db/errors.js';
import { findOutboxStatuses } from '../../db/repositories/outbox.js';
import { findOpenTakeovers, findTakeoverState, insertTakeover, transitionTakeover } from '../../db/repositories/takeovers.js';
import { AppError } from '../../domain/errors.js';
import { ADMIN_CENTER_SUBSCRIPTIONS_URL, CANCEL_COMMENT_MAX, CANCEL_REASONS, FieldError, OTHER_REASON, TAKEOVER_KINDS } from '../../domain/takeover.js';
import type { Db } from '../../db/client.js';
import { enqueue } from '../../outbox/enqueue.js';
import type { Actor, ServiceContext } from '../context.js';
import { outboxContent } from '../messages.js';
import { findSubscription } from '../show-subscription.js';
import { describeTakeover, type TakeoverDescription } from './describe.js';
import type { TakeoverNotices } from './notices.js';
import { assertTakeable, freeLicenses } from './options.js';

export const takeoverInput = z.object({
  subscriptionId: z.uuid(),
  kind: z.enum(TAKEOVER_KINDS).optional(),
  targetSubscriptionId: z.uuid().optional(),
  reason: z.string().optional(),
  comment: z.string().optional(),
});
export type TakeoverInput = z.infer<typeof takeoverInput>;

export const NO_ADMIN_CHANNEL =
  'Take-overs are approved in the admins’ channel, and none is configured: set ADMIN_CHANNEL_ID (a channel id like C012ABCDEF) and restart the bot.';

/** The outbox key of a request's approval message: later updates refer to it. */
export function approvalMessageKey(requestId: string): string {
  return `takeover:${requestId}:request`;
}

/** The request whose approval message an outbox key is, if it is one. */
export function requestIdOfApprovalKey(key: string): string | undefined {
  return /^takeover:([0-9a-f-]{36}):request$/.exec(key)?.[1];
}

/**
 * Requests among `ids` whose approval message Slack refused for good, with Slack's reason:
 * nobody can approve them from the channel, so they block no new request.
 */
export async function undeliveredApprovals(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await findOutboxStatuses(db, ids.map(approvalMessageKey));
  const undelivered = new Map<string, string>();
  for (const row of rows) {
    const id = requestIdOfApprovalKey(row.dedupeKey);
    if (id && row.status === 'failed') undelivered.set(id, row.lastError ?? 'unknown_error');
  }
  return undelivered;
}

/** The stored fields of a valid request, or a FieldError naming what is wrong. */
async function validate(ctx: ServiceContext, input: TakeoverInput) {
  let subscription: Awaited<ReturnType<typeof findSubscription>>;
  try {
    subscription = await findSubscription(ctx, input.subscriptionId);
    assertTakeable(subscription);
  } catch (error) {
    if (error instanceof AppError) throw new FieldError('kind', error.userMessage);
    throw error;
  }
  const open = await findOpenTakeovers(ctx.prisma, subscription.id);
  const undelivered = await undeliveredApprovals(
    ctx.prisma,
    open.map((r) => r.id),
  );
  const blocking = open.find((r) => !(r.status === 'PENDING' && undelivered.has(r.id)));
  if (blocking?.status === 'AWAITING_ADMIN_CENTER') {
    throw new FieldError(
      'kind',
      `A take-over of this subscription already did its license work and waits for the admin center: cancel the subscription there (${ADMIN_CENTER_SUBSCRIPTIONS_URL}), then press *Marked as cancelled* on its request.`,
    );
  }
  if (blocking) {
    throw new FieldError(
      'kind',
      `A take-over of this subscription is already waiting (asked by <@${blocking.requestedBy}>): approve or reject that one first, or withdraw it with \`/purchases withdraw ${blocking.id.slice(0, 8)}\`.`,
    );
  }
  // Requests nobody can approve (their message never arrived) give way to this one.
  const superseded = open.filter((r) => undelivered.has(r.id)).map((r) => r.id);
  if (!input.kind) throw new FieldError('kind', 'Choose what to do: move the users, or cancel.');
  if (input.kind === 'move') {
    if (!input.targetSubscriptionId) throw new FieldError('target', 'Choose the subscription the users move to.');
    let target: Awaited<ReturnType<typeof findSubscription>>;
    try {
      target = await findSubscription(ctx, input.targetSubscriptionId);
    } catch {
      throw new FieldError('target', 'That subscription no longer exists: choose another one.');
    }
    if (target.id === subscription.id || target.product.id !== subscription.product.id || target.status !== 'Active') {
      throw new FieldError('target', `Choose an active ${subscription.product.name} subscription other than this one.`);
    }
    const free = freeLicenses(target);
    if (free < subscription.assigned) {
      throw new FieldError(
        'target',
        `Subscription ${target.shortId} has ${plural(free, 'free license')} but ${plural(subscription.assigned, 'user')} ${subscription.assigned === 1 ? 'needs' : 'need'} one: ${subscription.assigned - free} missing. Choose another, or add licenses first.`,
      );
    }
    return { subscription, kind: 'move' as const, targetSubscriptionId: target.id, reason: null, comment: null, superseded };
  }
  const reason = CANCEL_REASONS.find((r) => r === input.reason);
  if (!reason) throw new FieldError('reason', 'Choose why the subscription is cancelled.');
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > CANCEL_COMMENT_MAX) throw new FieldError('comment', `Keep the comment under ${CANCEL_COMMENT_MAX} characters.`);
  if (reason === OTHER_REASON && !comment)
    throw new FieldError('comment', 'With the reason “Other”, say why in the comment: the record keeps it with the cancellation.');
  return { subscription, kind: 'cancel' as const, targetSubscriptionId: null, reason, comment, superseded };
}

/**
 * The request id of a submission: derived from what identifies the submission (the form it came
 * from), so the same submission delivered twice maps to one id and the second insert fails.
 * A UUID of version 8 (RFC 9562: custom), from a SHA-256 of the submission id.
 */
export function requestIdOfSubmission(submissionId: string): string {
  const bytes = createHash('sha256').update(`takeover-submission:${submissionId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function requestTakeover(
  ctx: ServiceContext,
  notices: TakeoverNotices,
  actor: Actor,
  input: TakeoverInput,
  settings: {
    adminChannelId: string | undefined;
    /** What identifies this submission (the modal's view id): a second delivery of it creates nothing. */
    submissionId?: string;
  },
): Promise<TakeoverDescription> {
  const channel = settings.adminChannelId;
  if (!channel) {
    throw new FieldError('kind', NO_ADMIN_CHANNEL);
  }
  const id = settings.submissionId ? requestIdOfSubmission(settings.submissionId) : randomUUID();
  const submitted = await findTakeoverIfAny(ctx, id);
  if (submitted) return submitted;
  const valid = await validate(ctx, input);
  try {
    return await insertRequest(ctx, notices, actor, { id, channel, valid });
  } catch (error) {
    // The same submission, delivered twice at once: the first insert won.
    if (isUniqueViolation(error)) return describeTakeover(ctx.prisma, id);
    throw error;
  }
}

async function findTakeoverIfAny(ctx: ServiceContext, id: string): Promise<TakeoverDescription | undefined> {
  return (await findTakeoverState(ctx.prisma, id)) ? describeTakeover(ctx.prisma, id) : undefined;
}

async function insertRequest(
  ctx: ServiceContext,
  notices: TakeoverNotices,
  actor: Actor,
  { id, channel, valid }: { id: string; channel: string; valid: Awaited<ReturnType<typeof validate>> },
): Promise<TakeoverDescription> {
  return ctx.prisma.$transaction(async (tx) => {
    for (const old of valid.superseded) {
      if (!(await transitionTakeover(tx, old, 'PENDING', { status: 'WITHDRAWN', decidedBy: actor.slackUserId, decidedAt: ctx.now }))) continue;
      await recordAudit(tx, {
        actorId: actor.slackUserId,
        action: 'takeover.withdrawn',
        subjectType: 'takeover',
        subjectId: old,
        detail: `replaced by request ${id}: its approval message was never delivered`,
        at: ctx.now,
      });
    }
    await insertTakeover(tx, {
      id,
      subscriptionId: valid.subscription.id,
      kind: valid.kind,
      targetSubscriptionId: valid.targetSubscriptionId,
      reason: valid.reason,
      comment: valid.comment,
      requestedBy: actor.slackUserId,
      requestedAt: ctx.now,
      usersAffected: valid.subscription.assigned,
      approvalChannel: channel,
    });
    const request = await describeTakeover(tx, id);
    await recordAudit(tx, {
      actorId: actor.slackUserId,
      action: 'takeover.requested',
      subjectType: 'subscription',
      subjectId: valid.subscription.id,
      after: {
        requestId: id,
        kind: valid.kind,
        target: valid.targetSubscriptionId,
        reason: valid.reason,
        comment: valid.comment,
        usersAffected: valid.subscription.assigned,
      },
      at: ctx.now,
    });
    const message = notices.approval(request, ctx.timeZone);
    await enqueue(tx, 'post', approvalMessageKey(id), { channel, ...outboxContent(message) }, ctx.now);
    return request;
  });
}

/**
 * Slack refused the approval message of a request for good (`error`, e.g. not_in_channel): the
 * requester is told why and what to do, and it is audited. The request stays pending until
 * someone withdraws it or asks again (which withdraws it).
 */
export async function approvalUndelivered(ctx: ServiceContext, notices: TakeoverNotices, requestId: string, error: string): Promise<void> {
  const state = await findTakeoverState(ctx.prisma, requestId);
  if (state?.status !== 'PENDING') return;
  const request = await describeTakeover(ctx.prisma, requestId);
  await ctx.prisma.$transaction(async (tx) => {
    await recordAudit(tx, {
      actorId: request.requestedBy,
      action: 'takeover.approval.undelivered',
      subjectType: 'takeover',
      subjectId: requestId,
      outcome: 'failed',
      detail: error,
      at: ctx.now,
    });
    await enqueue(
      tx,
      'dm',
      `takeover:${requestId}:undelivered`,
      { user: request.requestedBy, ...outboxContent(notices.approvalUndelivered(request, error)) },
      ctx.now,
    );
  });
}
