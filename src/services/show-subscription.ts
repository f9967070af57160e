/** `/purchases show <subscription>`: one subscription with its first assigned users. */
import { findSubscriptionOrigin, type SubscriptionOrigin } from '../db/repositories/attribution.js';
import { findAssignedUsers, findSubscriptionsByRef } from '../db/repositories/subscriptions.js';
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
  const rows = await findSubscriptionsByRef(ctx.prisma, ref);
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
  const subscription = await findSubscription(ctx, ref);
  // Both need only the id: on PostgreSQL they go out together on two of the pool's connections,
  // two round trips in all rather than three (on SQLite, one connection, it is the same work).
  const [users, origin] = await Promise.all([findAssignedUsers(ctx.prisma, subscription.id, SHOWN_USERS), findSubscriptionOrigin(ctx.prisma, subscription.id)]);
  return { subscription, users, ...(origin ? { origin } : {}) };
}
