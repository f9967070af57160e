/** `/purchases show <subscription>`: one subscription with its first assigned users. */
import type { SubscriptionOrigin } from '../db/repositories/attribution.js';
import { findShownSubscriptionsByRef, findSubscriptionsByRef } from '../db/repositories/subscriptions.js';
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
  return toSummary(onlyOne(await findSubscriptionsByRef(ctx.prisma, ref), ref));
}

/** The one subscription `ref` names, or what to type instead. */
function onlyOne<T>(rows: T[], ref: string): T {
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
  return rows[0]!;
}

/** One statement: the subscription, where it comes from and its first users. */
export async function showSubscription(ctx: ServiceContext, ref: string): Promise<SubscriptionDetails> {
  const { row, origin, users } = onlyOne(await findShownSubscriptionsByRef(ctx.prisma, ref, SHOWN_USERS), ref);
  return { subscription: toSummary(row), users, origin };
}
