/** `/purchases show <subscription>`: one subscription with its first assigned users. */
import { findSubscriptionOrigin, type SubscriptionOrigin } from '../db/repositories/attribution.js';
import { findAssignedUsers, findSubscriptionsByRef, type SubscriptionRow, subscriptionIdOfRef } from '../db/repositories/subscriptions.js';
import { AppError } from '../domain/errors.js';
import { quoteInput } from '../domain/text.js';
import type { ServiceContext } from './context.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

/** What `show` says about where a subscription's decision and holders come from (the Slack view words it). */
export type { SubscriptionOrigin };

export const SHOWN_USERS = 20;

export interface SubscriptionDetails {
  subscription: SubscriptionSummary;
  users: Array<{ name: string; email: string; assignedAt: Date }>;
  /** Who decided self-service or central, and where its holders come from. */
  origin?: SubscriptionOrigin;
}

export async function findSubscription(ctx: ServiceContext, ref: string): Promise<SubscriptionSummary> {
  return theOne(await findSubscriptionsByRef(ctx.prisma, ref), ref);
}

/** The one subscription `ref` names, or why there is none. */
function theOne(rows: SubscriptionRow[], ref: string): SubscriptionSummary {
  if (rows.length === 0) {
    throw new AppError(
      'not_found',
      `no subscription ${ref}`,
      `No subscription has the id ${quoteInput(ref)}. \`/purchases list status:all\` shows every subscription with its id.`,
    );
  }
  if (rows.length > 1) {
    throw new AppError(
      'ambiguous',
      `several subscriptions start with ${ref}`,
      `More than one subscription id starts with ${quoteInput(ref)}: type more of it (the whole id is shown by \`/purchases show\`).`,
    );
  }
  return toSummary(rows[0]!);
}

export async function showSubscription(ctx: ServiceContext, ref: string): Promise<SubscriptionDetails> {
  // The users and where the subscription comes from are asked for beside the subscription itself,
  // naming it by the same ref: on PostgreSQL the three go out together on the pool's connections,
  // one round trip rather than two (on SQLite, one connection, it is the same work). Their answer
  // stands only when the ref names exactly one subscription.
  const named = subscriptionIdOfRef(ref);
  const [rows, users, origin] = await Promise.all([
    findSubscriptionsByRef(ctx.prisma, ref),
    findAssignedUsers(ctx.prisma, named, SHOWN_USERS),
    findSubscriptionOrigin(ctx.prisma, named),
  ]);
  const subscription = theOne(rows, ref);
  return { subscription, users, ...(origin ? { origin } : {}) };
}
