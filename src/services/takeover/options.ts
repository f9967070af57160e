/** What the take-over modal offers for one subscription: it, and where its users could move. */
import { findSubscriptionsOfProduct } from '../../db/repositories/subscriptions.js';
import { AppError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import { findSubscription } from '../show-subscription.js';
import { toSummary, type SubscriptionSummary } from '../subscription-summary.js';

export interface MoveTarget {
  subscription: SubscriptionSummary;
  free: number;
}

export interface TakeoverOptions {
  subscription: SubscriptionSummary;
  /** Active subscriptions of the same product: central ones first, then by free licenses. */
  targets: MoveTarget[];
}

export function freeLicenses(s: SubscriptionSummary): number {
  return Math.max(0, s.licensesPurchased - s.assigned);
}

/** Only an active self-service subscription can be taken over. */
export function assertTakeable(subscription: SubscriptionSummary): void {
  if (subscription.status !== 'Active') {
    throw new AppError(
      'conflict',
      `subscription ${subscription.id} is ${subscription.status}`,
      `Subscription \`${subscription.shortId}\` is already cancelled: there is nothing to take over.`,
    );
  }
  if (!subscription.isSelfService) {
    throw new AppError(
      'conflict',
      `subscription ${subscription.id} is central`,
      `Subscription \`${subscription.shortId}\` was bought centrally: only self-service purchases are taken over.`,
    );
  }
}

export async function moveTargets(ctx: ServiceContext, subscription: SubscriptionSummary): Promise<MoveTarget[]> {
  const rows = await findSubscriptionsOfProduct(ctx.prisma, subscription.product.id, 'Active');
  return rows
    .map(toSummary)
    .filter((s) => s.id !== subscription.id)
    .map((s) => ({ subscription: s, free: freeLicenses(s) }))
    .sort(
      (a, b) =>
        Number(a.subscription.isSelfService) - Number(b.subscription.isSelfService) || b.free - a.free || a.subscription.id.localeCompare(b.subscription.id),
    );
}

export async function takeoverOptions(ctx: ServiceContext, ref: string): Promise<TakeoverOptions> {
  const subscription = await findSubscription(ctx, ref);
  assertTakeable(subscription);
  return { subscription, targets: await moveTargets(ctx, subscription) };
}
