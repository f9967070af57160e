/**
 * `/purchases centralize <product>`: who holds self-service licenses of a product, which central
 * subscriptions have room, and what assigning central licenses to all of them would do. Then
 * the two steps it offers: assign (all or nothing), and ask the purchasers to cancel.
 */
import { countProductHolders } from '../db/repositories/attribution.js';
import { listProducts } from '../db/repositories/catalog.js';
import { plural } from '../domain/plural.js';
import { recordAudit } from '../db/repositories/audit.js';
import { findHoldersOfProduct, findSubscriptionsOfProduct } from '../db/repositories/subscriptions.js';
import { AppError } from '../domain/errors.js';
import { formatDay } from '../domain/dates.js';
import { matchProduct } from '../domain/products.js';
import { ACTIVE_STATUS, monthlySpend, type Spend } from '../domain/spend.js';
import { enqueue } from '../outbox/enqueue.js';
import type { SubscriptionTenant } from '../tenant/port.js';
import type { Actor, ServiceContext } from './context.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';
import { outboxContent, type Message } from './messages.js';

export interface Holder {
  id: string;
  name: string;
  email: string;
}

/**
 * What happens to a purchaser's users once the purchaser cancels, as far as the record knows: the
 * message asking them to cancel says this, and nothing it cannot vouch for.
 */
export type AfterCancel =
  /** Licenses belong to a subscription (the local tenant): how many of its users also hold a central license of the product. */
  | { licensesPerProduct: false; users: number; centrallyLicensed: number }
  /**
   * Licenses belong to the product (Microsoft 365): its users keep it if the seats of the
   * organisation's own subscriptions of the product cover everyone who holds it.
   */
  | { licensesPerProduct: true; centralSeats: number; holders: number };

/** What centralizing tells people: a port the Slack layer implements. */
export interface CentralizeNotices {
  /** To a purchaser: please cancel your own subscription, and what that means for its users. */
  askToCancel(subscription: SubscriptionSummary, afterCancel: AfterCancel, askedBy: string, timeZone: string): Message;
}

export interface CentralizePlan {
  product: { id: string; name: string };
  selfService: Array<{ subscription: SubscriptionSummary; users: Holder[] }>;
  /** What the self-service subscriptions cost a month: what centralizing stops paying once they are cancelled. */
  selfServiceSpend: Spend;
  central: Array<{ subscription: SubscriptionSummary; free: number }>;
  /** People holding a self-service license and no central one: each needs one central license. */
  toAssign: Holder[];
  /** People holding a self-service license who already hold a central one. */
  skipped: Holder[];
  free: number;
  /** Central licenses lacking to assign everyone (0 when there are enough). */
  missing: number;
  /** Who gets which central subscription's license: the fullest fit first, all or nothing. */
  grants: Array<{ subscriptionId: string; userIds: string[] }>;
  /**
   * The tenant assigns licenses per product (Microsoft 365): the self-service holders already hold
   * the license a central subscription would give, so nothing is assigned; what remains is the
   * purchasers cancelling.
   */
  licensesPerProduct: boolean;
}

export async function centralizePlan(ctx: ServiceContext, productQuery: string, options: { licensesPerProduct?: boolean } = {}): Promise<CentralizePlan> {
  const product = matchProduct(productQuery, await listProducts(ctx.prisma));
  const subscriptions = (await findSubscriptionsOfProduct(ctx.prisma, product.id, ACTIVE_STATUS)).map(toSummary);
  const assignments = await findHoldersOfProduct(ctx.prisma, product.id);
  const bySubscription = new Map<string, Holder[]>();
  for (const a of assignments) {
    const users = bySubscription.get(a.subscriptionId) ?? [];
    users.push(a.user);
    bySubscription.set(a.subscriptionId, users);
  }
  const selfService = subscriptions.filter((s) => s.isSelfService).map((s) => ({ subscription: s, users: bySubscription.get(s.id) ?? [] }));
  const central = subscriptions
    .filter((s) => !s.isSelfService)
    .map((s) => ({ subscription: s, free: Math.max(0, s.licensesPurchased - s.assigned) }))
    .sort((a, b) => b.free - a.free || a.subscription.id.localeCompare(b.subscription.id));
  const centralHolders = new Set(central.flatMap((c) => (bySubscription.get(c.subscription.id) ?? []).map((u) => u.id)));
  const holders = new Map<string, Holder>();
  for (const s of selfService) for (const u of s.users) holders.set(u.id, u);
  const all = [...holders.values()];
  const toAssign = all.filter((u) => !centralHolders.has(u.id));
  const skipped = all.filter((u) => centralHolders.has(u.id));
  const free = central.reduce((sum, c) => sum + c.free, 0);
  const grants: CentralizePlan['grants'] = [];
  let next = 0;
  for (const c of central) {
    if (next >= toAssign.length) break;
    const userIds = toAssign.slice(next, next + c.free).map((u) => u.id);
    if (userIds.length > 0) grants.push({ subscriptionId: c.subscription.id, userIds });
    next += userIds.length;
  }
  return {
    product: { id: product.id, name: product.name },
    selfService,
    selfServiceSpend: monthlySpend(selfService.map((s) => s.subscription)),
    central,
    toAssign,
    skipped,
    free,
    missing: Math.max(0, toAssign.length - free),
    grants,
    licensesPerProduct: options.licensesPerProduct ?? false,
  };
}

export async function assignCentralLicenses(
  ctx: ServiceContext,
  tenant: SubscriptionTenant,
  actor: Actor,
  productId: string,
): Promise<{ plan: CentralizePlan; assigned: number }> {
  const plan = await centralizePlan(ctx, productId, { licensesPerProduct: tenant.licensesPerProduct });
  if (plan.licensesPerProduct) {
    throw new AppError(
      'conflict',
      'licenses are per product',
      `Nothing to assign: in Microsoft 365 a license belongs to the product, not to a subscription, so the ${plural(plan.toAssign.length + plan.skipped.length, 'person', 'people')} holding a self-service ${plan.product.name} license already hold the license a central subscription gives. What remains is the purchasers cancelling their own subscriptions: *Ask purchasers to cancel*.`,
    );
  }
  if (plan.central.length === 0) {
    throw new AppError('conflict', 'no central subscription', `There is no central ${plan.product.name} subscription to assign licenses from: buy one first.`);
  }
  if (plan.missing > 0) {
    throw new AppError(
      'conflict',
      'not enough central seats',
      `Nothing was assigned: ${plural(plan.toAssign.length, 'person', 'people')} without a central ${plan.product.name} license, and ${plural(plan.free, 'central license')} free (${plan.missing} missing). Add licenses to a central subscription first.`,
    );
  }
  const result = await tenant.assignLicenses({ grants: plan.grants, actor: actor.slackUserId, now: ctx.now });
  await recordAudit(ctx.prisma, {
    actorId: actor.slackUserId,
    action: 'centralize.assigned',
    subjectType: 'product',
    subjectId: plan.product.id,
    outcome: result.ok ? 'ok' : 'failed',
    after: { grants: plan.grants, skipped: plan.skipped.map((u) => u.id) },
    ...(result.ok ? {} : { detail: result.reason }),
    at: ctx.now,
  });
  if (!result.ok)
    throw new AppError(
      'conflict',
      result.reason,
      `Nothing was assigned: ${result.reason}. Run \`/purchases centralize ${plan.product.name}\` again to see the current numbers.`,
    );
  return { plan, assigned: result.assigned };
}

/**
 * DMs each purchaser of an active self-service subscription of the product, at most once a day
 * each, saying what cancelling means for the people who use it on this tenant.
 */
export async function askPurchasersToCancel(
  ctx: ServiceContext,
  notices: CentralizeNotices,
  actor: Actor,
  productId: string,
  options: { licensesPerProduct?: boolean } = {},
): Promise<{ asked: number; alreadyAskedToday: number }> {
  const plan = await centralizePlan(ctx, productId, options);
  const day = formatDay(ctx.now, ctx.timeZone);
  const centrallyLicensed = new Set(plan.skipped.map((u) => u.id));
  const perProduct = plan.licensesPerProduct
    ? {
        licensesPerProduct: true as const,
        centralSeats: plan.central.reduce((sum, c) => sum + c.subscription.licensesPurchased, 0),
        holders: await countProductHolders(ctx.prisma, plan.product.id),
      }
    : undefined;
  let asked = 0;
  let alreadyAskedToday = 0;
  for (const { subscription, users } of plan.selfService) {
    const purchaser = subscription.purchaser;
    if (!purchaser) continue;
    const afterCancel: AfterCancel = perProduct ?? {
      licensesPerProduct: false,
      users: users.length,
      centrallyLicensed: users.filter((u) => centrallyLicensed.has(u.id)).length,
    };
    const message = notices.askToCancel(subscription, afterCancel, actor.slackUserId, ctx.timeZone);
    const to = purchaser.slackUserId ? { user: purchaser.slackUserId } : { email: purchaser.email };
    const fresh = await enqueue(
      ctx.prisma,
      'dm',
      `centralize:${subscription.id}:ask:${day}`,
      { ...to, ...outboxContent(message), ifFailed: { user: actor.slackUserId } },
      ctx.now,
    );
    if (fresh) asked += 1;
    else alreadyAskedToday += 1;
  }
  await recordAudit(ctx.prisma, {
    actorId: actor.slackUserId,
    action: 'centralize.asked_purchasers',
    subjectType: 'product',
    subjectId: plan.product.id,
    after: { asked, alreadyAskedToday },
    at: ctx.now,
  });
  return { asked, alreadyAskedToday };
}
