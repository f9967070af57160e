/**
 * Approving, rejecting and withdrawing a take-over. Every step is a conditional update on the
 * request's status, so double clicks, Slack's redelivery, two admins at once or two replicas run
 * the work once; the others learn who got there first.
 */
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../db/repositories/audit.js';
import { countLicensesRemovedAt } from '../../db/repositories/subscriptions.js';
import {
  findAwaitingSeenDeleted,
  findStuckApproved,
  findTakeoversByPrefix,
  findTakeoverState,
  leaseStuckTakeover,
  recordSubscriptionCancelled,
  transitionTakeover,
} from '../../db/repositories/takeovers.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { alreadyDecided, COMPLETED_BY_TENANT, REJECT_REASON_MAX, type PurchaserNotice } from '../../domain/takeover.js';
import { enqueue } from '../../outbox/enqueue.js';
import type { SubscriptionTenant, TakeoverProgress, TakeoverWork, TenantChange } from '../../tenant/port.js';
import type { Actor, ServiceContext } from '../context.js';
import { outboxContent, type Message } from '../messages.js';
import { describeTakeover, requestNotFound, type TakeoverDescription } from './describe.js';
import type { SlackDirectory, TakeoverNotices } from './notices.js';
import { approvalMessageKey, undeliveredApprovals } from './request.js';

export interface DecisionDeps {
  tenant: SubscriptionTenant;
  directory: SlackDirectory;
  notices: TakeoverNotices;
}

async function statusOf(prisma: Db, id: string) {
  const request = await findTakeoverState(prisma, id);
  if (!request) throw requestNotFound(id);
  return request;
}

function decidedError(request: { status: string; decidedBy: string | null }): AppError {
  return new AppError('conflict', `takeover request is ${request.status}`, alreadyDecided(request.status, request.decidedBy));
}

/** Refuses anything but a pending request (before opening a form about it, for instance). */
export async function assertPending(ctx: ServiceContext, id: string): Promise<void> {
  const request = await statusOf(ctx.prisma, id);
  if (request.status !== 'PENDING') throw decidedError(request);
}

/**
 * Replaces the approval message with the request's outcome (once: one key per request); the admin
 * who decided is told if Slack refuses the change.
 */
async function queueOutcome(tx: Db, notices: TakeoverNotices, request: TakeoverDescription, ctx: ServiceContext, actor: Actor): Promise<void> {
  await enqueue(
    tx,
    'update',
    `takeover:${request.id}:outcome`,
    { ref: approvalMessageKey(request.id), ...outboxContent(notices.approval(request, ctx.timeZone)), ifFailed: { user: actor.slackUserId } },
    ctx.now,
  );
}

/** The reason a take-over's subscription is recorded as cancelled for. */
function cancelReasonOf(request: TakeoverDescription): string {
  if (request.kind === 'move') {
    return request.target
      ? `Moved users to ${request.target.isSelfService ? 'self-service' : 'central'} subscription ${request.target.shortId}`
      : 'Moved users to another subscription';
  }
  return request.reason ?? 'Other';
}

async function runOnTenant(
  tenant: SubscriptionTenant,
  request: TakeoverDescription,
  actor: Actor,
  now: Date,
  work: TakeoverWork,
): Promise<TenantChange<{ count: number } & TakeoverProgress>> {
  try {
    if (request.kind === 'move') {
      if (!request.target) return { ok: false, reason: 'the target subscription no longer exists' };
      const result = await tenant.moveUsers({
        fromSubscriptionId: request.subscription.id,
        toSubscriptionId: request.target.id,
        actor: actor.slackUserId,
        cancelReason: cancelReasonOf(request),
        now,
        ...work,
      });
      return result.ok ? { ...result, count: result.moved } : result;
    }
    const result = await tenant.cancelSubscription({
      subscriptionId: request.subscription.id,
      actor: actor.slackUserId,
      reason: cancelReasonOf(request),
      comment: request.comment,
      now,
      ...work,
    });
    return result.ok ? { ...result, count: result.removed } : result;
  } catch (error) {
    return {
      ok: false,
      reason: `the tenant change failed (${isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/** Whether the purchaser can be told in Slack. An unreachable Slack is not "not in Slack": the outbox retries. */
async function purchaserNotice(directory: SlackDirectory, request: TakeoverDescription): Promise<{ notice: PurchaserNotice; userId?: string }> {
  const purchaser = request.subscription.purchaser;
  if (!purchaser) return { notice: 'none' };
  if (purchaser.slackUserId) return { notice: 'sent', userId: purchaser.slackUserId };
  try {
    const userId = await directory.userIdByEmail(purchaser.email);
    return userId ? { notice: 'sent', userId } : { notice: 'not_in_slack' };
  } catch {
    return { notice: 'sent' };
  }
}

/**
 * The tenant change of an APPROVED request, when it was already made: the subscription was
 * cancelled by the request's approver since the approval (see executeApproved).
 */
async function changeAlreadyMade(prisma: Db, request: TakeoverDescription): Promise<TenantChange<{ count: number } & TakeoverProgress> | undefined> {
  const { subscription, decidedBy, decidedAt } = request;
  const madeByThisApproval =
    subscription.status === 'Deleted' &&
    subscription.cancelledBy === decidedBy &&
    subscription.cancelledAt !== null &&
    decidedAt !== null &&
    subscription.cancelledAt >= decidedAt;
  if (!madeByThisApproval) return undefined;
  return { ok: true, count: await countLicensesRemovedAt(prisma, subscription.id, subscription.cancelledAt!) };
}

/** How long an approval may stay unfinished before another run takes it over. */
export const RESUME_AFTER_MS = 10 * 60_000;

/**
 * Finishes approvals whose process died between APPROVED and EXECUTED/FAILED. Each is claimed
 * by a conditional update of its executedAt (a lease while APPROVED), so one replica resumes it.
 */
export async function resumeStuckTakeovers(ctx: ServiceContext, deps: DecisionDeps): Promise<{ resumed: string[] }> {
  const cutoff = new Date(ctx.now.getTime() - RESUME_AFTER_MS);
  const stuck = await findStuckApproved(ctx.prisma, cutoff);
  const resumed: string[] = [];
  for (const request of stuck) {
    if (!request.decidedBy || !(await leaseStuckTakeover(ctx.prisma, request.id, request.executedAt, ctx.now))) continue;
    await recordAudit(ctx.prisma, { actorId: request.decidedBy, action: 'takeover.resumed', subjectType: 'takeover', subjectId: request.id, at: ctx.now });
    await executeApproved(ctx, deps, { slackUserId: request.decidedBy }, request.id, ctx.now);
    resumed.push(request.id);
  }
  return { resumed };
}

export async function approveTakeover(
  ctx: ServiceContext,
  deps: DecisionDeps,
  actor: Actor,
  requestId: string,
  settings: { requireSecondApprover: boolean },
): Promise<TakeoverDescription> {
  const current = await statusOf(ctx.prisma, requestId);
  if (current.status !== 'PENDING') throw decidedError(current);
  if (settings.requireSecondApprover && current.requestedBy === actor.slackUserId) {
    await recordAudit(ctx.prisma, {
      actorId: actor.slackUserId,
      action: 'takeover.approve',
      subjectType: 'takeover',
      subjectId: requestId,
      outcome: 'denied',
      detail: 'requester cannot approve their own request',
      at: ctx.now,
    });
    throw new AppError('forbidden', 'self-approval', 'You asked for this take-over, so another admin has to approve it (four-eyes rule).');
  }
  const claimed = await transitionTakeover(ctx.prisma, requestId, 'PENDING', { status: 'APPROVED', decidedBy: actor.slackUserId, decidedAt: ctx.now });
  if (!claimed) throw decidedError(await statusOf(ctx.prisma, requestId));
  await recordAudit(ctx.prisma, { actorId: actor.slackUserId, action: 'takeover.approved', subjectType: 'takeover', subjectId: requestId, at: ctx.now });

  return executeApproved(ctx, deps, actor, requestId, null);
}

/**
 * The tenant change and its record, for a request this process moved to APPROVED (or resumed,
 * holding the lease `lease`: the request's executedAt). A subscription already cancelled by the
 * request's approver since the approval means the tenant change went through before a crash: it
 * is recorded, not attempted twice. A tenant that changes users one at a time (Microsoft 365)
 * renews the lease before each user, and stops if another run took the request over; when it
 * stops part-way, the request stays APPROVED and the approval message shows the progress until
 * the resume job finishes it.
 */
async function executeApproved(ctx: ServiceContext, deps: DecisionDeps, actor: Actor, requestId: string, lease: Date | null): Promise<TakeoverDescription> {
  const approved = await describeTakeover(ctx.prisma, requestId);
  const before = approved.subscription;
  let held = lease;
  let lost = false;
  const keepAlive = async (at: Date) => {
    if (lost || !(await leaseStuckTakeover(ctx.prisma, requestId, held, at))) {
      lost = true;
      return false;
    }
    held = at;
    return true;
  };
  const result = (await changeAlreadyMade(ctx.prisma, approved)) ?? (await runOnTenant(deps.tenant, approved, actor, ctx.now, { requestId, keepAlive }));
  if (lost) return describeTakeover(ctx.prisma, requestId);
  if (result.ok && result.incomplete) return reportProgress(ctx, deps.notices, actor, requestId);
  const notice = result.ok ? await purchaserNotice(deps.directory, approved) : { notice: 'none' as const };
  const done = result.ok && result.awaitingAdminCenter ? ('AWAITING_ADMIN_CENTER' as const) : ('EXECUTED' as const);
  return ctx.prisma.$transaction(async (tx) => {
    const finished = await transitionTakeover(
      tx,
      requestId,
      'APPROVED',
      result.ok
        ? { status: done, executedAt: ctx.now, usersAffected: result.count, purchaserNotice: notice.notice }
        : { status: 'FAILED', executedAt: ctx.now, failureReason: result.reason, purchaserNotice: 'none' },
    );
    if (!finished) throw decidedError(await statusOf(tx, requestId));
    const outcome = await describeTakeover(tx, requestId);
    await recordAudit(tx, {
      actorId: actor.slackUserId,
      action: result.ok ? `takeover.${outcome.kind}.executed` : `takeover.${outcome.kind}.failed`,
      subjectType: 'subscription',
      subjectId: outcome.subscription.id,
      outcome: result.ok ? 'ok' : 'failed',
      before: { status: before.status, assigned: before.assigned, target: approved.target && { id: approved.target.id, assigned: approved.target.assigned } },
      after: {
        requestId,
        status: outcome.subscription.status,
        assigned: outcome.subscription.assigned,
        target: outcome.target && { id: outcome.target.id, assigned: outcome.target.assigned },
        purchaserNotice: outcome.purchaserNotice,
      },
      ...(result.ok ? {} : { detail: result.reason }),
      at: ctx.now,
    });
    await queueOutcome(tx, deps.notices, outcome, ctx, actor);
    const purchaser = outcome.subscription.purchaser;
    if (result.ok && purchaser && notice.notice === 'sent') {
      const dm = deps.notices.purchaserNotice(outcome, ctx.timeZone);
      const to = notice.userId ? { user: notice.userId } : { email: purchaser.email };
      await enqueue(tx, 'dm', `takeover:${requestId}:purchaser`, { ...to, ...outboxContent(dm), ifFailed: { user: actor.slackUserId } }, ctx.now);
    }
    if (outcome.status === 'AWAITING_ADMIN_CENTER') {
      const step = deps.notices.adminCenterStep(outcome, ctx.timeZone);
      await enqueue(
        tx,
        'dm',
        `takeover:${requestId}:admin-center`,
        { user: outcome.requestedBy, ...outboxContent(step), ifFailed: { user: actor.slackUserId } },
        ctx.now,
      );
    }
    return outcome;
  });
}

/**
 * A run that stopped part-way: who is done and who is not goes to the approval message (a new
 * update each run) and the audit log; the request stays APPROVED for the resume job.
 */
async function reportProgress(ctx: ServiceContext, notices: TakeoverNotices, actor: Actor, requestId: string): Promise<TakeoverDescription> {
  return ctx.prisma.$transaction(async (tx) => {
    const progress = await describeTakeover(tx, requestId);
    const work = progress.licenseWork;
    await recordAudit(tx, {
      actorId: actor.slackUserId,
      action: `takeover.${progress.kind}.partial`,
      subjectType: 'subscription',
      subjectId: progress.subscription.id,
      outcome: 'failed',
      after: { requestId, done: work?.done.length ?? 0, waiting: work?.waiting.map((u) => u.email), notYet: work?.notYet ?? 0 },
      detail: work?.waiting[0]?.reason ?? 'stopped part-way',
      at: ctx.now,
    });
    const update = { ref: approvalMessageKey(requestId), ...outboxContent(notices.approval(progress, ctx.timeZone)), ifFailed: { user: actor.slackUserId } };
    await enqueue(tx, 'update', `takeover:${requestId}:progress:${ctx.now.toISOString()}`, update, ctx.now);
    return progress;
  });
}

/**
 * Finishes a take-over that waited for the admin center: an admin says the subscription is
 * cancelled there (`by` their Slack id), or a sync saw it deleted (`by` "tenant"). Once only:
 * a conditional update on the status; the loser of a race gets undefined. The record then holds
 * the subscription as cancelled, with the take-over's reason, and its remaining licenses end.
 */
async function completeTakeover(ctx: ServiceContext, notices: TakeoverNotices, requestId: string, by: string): Promise<TakeoverDescription | undefined> {
  return ctx.prisma.$transaction(async (tx) => {
    const completed = await transitionTakeover(tx, requestId, 'AWAITING_ADMIN_CENTER', { status: 'DONE', completedAt: ctx.now, completedBy: by });
    if (!completed) return undefined;
    const request = await describeTakeover(tx, requestId);
    const cancelledBy = by === COMPLETED_BY_TENANT ? (request.decidedBy ?? by) : by;
    await recordSubscriptionCancelled(tx, request.subscription.id, {
      by: cancelledBy,
      reason: cancelReasonOf(request),
      comment: request.kind === 'cancel' ? request.comment : null,
      at: ctx.now,
    });
    const outcome = await describeTakeover(tx, requestId);
    await recordAudit(tx, {
      actorId: by,
      action: `takeover.${outcome.kind}.completed`,
      subjectType: 'subscription',
      subjectId: outcome.subscription.id,
      before: { status: request.subscription.status },
      after: { requestId, status: outcome.subscription.status, completedBy: by },
      detail: by === COMPLETED_BY_TENANT ? 'seen deleted in the tenant by a sync' : 'marked as cancelled in the admin center',
      at: ctx.now,
    });
    // An admin who marked it cancelled hears if Slack refuses the change; a sync has nobody to tell.
    const ifFailed = by === COMPLETED_BY_TENANT ? {} : { ifFailed: { user: by } };
    await enqueue(
      tx,
      'update',
      `takeover:${requestId}:done`,
      { ref: approvalMessageKey(requestId), ...outboxContent(notices.approval(outcome, ctx.timeZone)), ...ifFailed },
      ctx.now,
    );
    return outcome;
  });
}

/** The **Marked as cancelled** button: an admin cancelled the subscription in the admin center. */
export async function markCancelledInAdminCenter(ctx: ServiceContext, notices: TakeoverNotices, actor: Actor, requestId: string): Promise<TakeoverDescription> {
  const outcome = await completeTakeover(ctx, notices, requestId, actor.slackUserId);
  if (outcome) return outcome;
  const current = await describeTakeover(ctx.prisma, requestId);
  if (current.status === 'DONE') {
    const who = current.completedBy === COMPLETED_BY_TENANT ? 'a tenant sync saw it deleted' : `<@${current.completedBy}> marked it cancelled`;
    throw new AppError('conflict', 'takeover already done', `This take-over is already finished: ${who}.`);
  }
  throw new AppError(
    'conflict',
    `takeover is ${current.status}`,
    'This take-over is not waiting for the admin center: only a request whose licenses are done can be marked as cancelled.',
  );
}

/** After a sync: finishes the take-overs whose subscription it saw deleted in the tenant. */
export async function finishTakeoversSeenDeleted(ctx: ServiceContext, notices: TakeoverNotices): Promise<string[]> {
  const finished: string[] = [];
  for (const id of await findAwaitingSeenDeleted(ctx.prisma)) {
    if (await completeTakeover(ctx, notices, id, COMPLETED_BY_TENANT)) finished.push(id);
  }
  return finished;
}

export async function rejectTakeover(
  ctx: ServiceContext,
  notices: TakeoverNotices,
  actor: Actor,
  requestId: string,
  reason: string | undefined,
): Promise<TakeoverDescription> {
  const why = reason?.trim() || null;
  if (why && why.length > REJECT_REASON_MAX) {
    throw new AppError('bad_input', 'reject reason too long', `Keep the reason under ${REJECT_REASON_MAX} characters.`);
  }
  return endPending(ctx, notices, actor, requestId, {
    status: 'REJECTED',
    rejectReason: why,
    audit: (outcome) => ({ action: 'takeover.rejected', after: { subscriptionId: outcome.subscription.id, reason: why } }),
    // The requester hears of it, even when they rejected it themselves.
    tellRequester: (outcome) => ({ key: `takeover:${requestId}:rejected`, message: notices.rejected(outcome) }),
  });
}

/**
 * Ends a pending request (rejected or withdrawn) with a conditional update, audited; its approval
 * message, if it was ever delivered, shows the outcome, and the requester is told what
 * `tellRequester` says (the admin who ended it hears if that DM is refused).
 */
async function endPending(
  ctx: ServiceContext,
  notices: TakeoverNotices,
  actor: Actor,
  requestId: string,
  end: {
    status: 'REJECTED' | 'WITHDRAWN';
    rejectReason?: string | null;
    audit: (outcome: TakeoverDescription) => { action: string; after: unknown };
    tellRequester: (outcome: TakeoverDescription) => { key: string; message: Message } | undefined;
  },
): Promise<TakeoverDescription> {
  const delivered = !(await undeliveredApprovals(ctx.prisma, [requestId])).has(requestId);
  return ctx.prisma.$transaction(async (tx) => {
    const ended = await transitionTakeover(tx, requestId, 'PENDING', {
      status: end.status,
      decidedBy: actor.slackUserId,
      decidedAt: ctx.now,
      ...(end.rejectReason !== undefined ? { rejectReason: end.rejectReason } : {}),
    });
    if (!ended) throw decidedError(await statusOf(tx, requestId));
    const outcome = await describeTakeover(tx, requestId);
    const { action, after } = end.audit(outcome);
    await recordAudit(tx, { actorId: actor.slackUserId, action, subjectType: 'takeover', subjectId: requestId, after, at: ctx.now });
    if (delivered) await queueOutcome(tx, notices, outcome, ctx, actor);
    const tell = end.tellRequester(outcome);
    if (tell) await enqueue(tx, 'dm', tell.key, { user: outcome.requestedBy, ...outboxContent(tell.message), ifFailed: { user: actor.slackUserId } }, ctx.now);
    return outcome;
  });
}

/** A request by its id or the first 6+ characters of it, as `/purchases withdraw` takes it. */
export async function findRequestId(ctx: ServiceContext, ref: string): Promise<string> {
  const prefix = ref.trim().toLowerCase();
  const found = /^[0-9a-f-]{6,36}$/.test(prefix) ? await findTakeoversByPrefix(ctx.prisma, prefix, 2) : [];
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) {
    throw new AppError(
      'not_found',
      `no takeover request ${prefix}`,
      'No take-over request has that id. Use the id shown on the request (its first 8 characters), in the admins’ channel or on App Home.',
    );
  }
  throw new AppError(
    'ambiguous',
    `several takeover requests start with ${prefix}`,
    'Several take-over requests start with that: give more characters of the id.',
  );
}

/**
 * Withdraws a pending request: by its requester or any admin. Its approval message (if it was
 * ever delivered) shows it withdrawn; a requester who did not withdraw it is told.
 */
export async function withdrawTakeover(ctx: ServiceContext, notices: TakeoverNotices, actor: Actor, requestId: string): Promise<TakeoverDescription> {
  return endPending(ctx, notices, actor, requestId, {
    status: 'WITHDRAWN',
    audit: (outcome) => ({ action: 'takeover.withdrawn', after: { subscriptionId: outcome.subscription.id, requestedBy: outcome.requestedBy } }),
    tellRequester: (outcome) =>
      outcome.requestedBy === actor.slackUserId ? undefined : { key: `takeover:${requestId}:withdrawn`, message: notices.withdrawn(outcome) },
  });
}
