/**
 * `/purchases mark <subscription> self-service|central`: an admin's decision on whether a
 * subscription is a self-service purchase. Nothing in the tenant says so for sure (Graph's owner
 * is a hint), so the admin's word is kept (selfServiceSource `admin`, who and when) and a later
 * sync or import never undoes it. Marking what is already so changes nothing.
 */
import { recordAudit } from '../db/repositories/audit.js';
import { markSelfService } from '../db/repositories/subscriptions.js';
import type { Actor, ServiceContext } from './context.js';
import { findSubscription } from './show-subscription.js';
import type { SubscriptionSummary } from './subscription-summary.js';

export interface MarkResult {
  subscription: SubscriptionSummary;
  /** False when it was already marked so by an admin. */
  changed: boolean;
}

export async function markSubscription(ctx: ServiceContext, actor: Actor, input: { ref: string; selfService: boolean }): Promise<MarkResult> {
  const before = await findSubscription(ctx, input.ref);
  if (before.isSelfService === input.selfService && before.selfServiceSource === 'admin') return { subscription: before, changed: false };
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const updated = await markSelfService(tx, before.id, { isSelfService: input.selfService, by: actor.slackUserId, at: ctx.now });
    if (!updated) return false;
    await recordAudit(tx, {
      actorId: actor.slackUserId,
      action: 'subscription.marked',
      subjectType: 'subscription',
      subjectId: before.id,
      before: { isSelfService: before.isSelfService, selfServiceSource: before.selfServiceSource },
      after: { isSelfService: input.selfService, selfServiceSource: 'admin' },
      at: ctx.now,
    });
    return true;
  });
  return { subscription: await findSubscription(ctx, before.id), changed };
}
