/**
 * `/purchases licenses <product>`: the product's available quantity (the total of all its
 * active subscriptions, self-service and central), and its users grouped by purchaser.
 */
import { listProducts } from '../db/repositories/catalog.js';
import { findAssignedUsers, findSubscriptionsOfProduct } from '../db/repositories/subscriptions.js';
import { matchProduct } from '../domain/products.js';
import { ACTIVE_STATUS } from '../domain/spend.js';
import type { ServiceContext } from './context.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

/** Users listed per purchaser group; the rest are counted (the export has them all). */
export const USERS_PER_GROUP = 15;

export interface PurchaserGroup {
  /** null for centrally bought subscriptions. */
  purchaser: SubscriptionSummary['purchaser'];
  subscriptions: SubscriptionSummary[];
  licenses: number;
  assigned: number;
  users: Array<{ name: string; email: string }>;
}

export interface ProductLicenses {
  product: { id: string; name: string };
  available: number;
  assigned: number;
  free: number;
  groups: PurchaserGroup[];
}

export async function productLicenses(ctx: ServiceContext, productQuery: string): Promise<ProductLicenses> {
  const product = matchProduct(productQuery, await listProducts(ctx.prisma));
  const subscriptions = (await findSubscriptionsOfProduct(ctx.prisma, product.id, ACTIVE_STATUS)).map(toSummary);
  const groups = new Map<string, PurchaserGroup>();
  for (const subscription of subscriptions) {
    const key = subscription.purchaser?.id ?? 'central';
    const group = groups.get(key) ?? {
      purchaser: subscription.purchaser,
      subscriptions: [],
      licenses: 0,
      assigned: 0,
      users: [],
    };
    group.subscriptions.push(subscription);
    group.licenses += subscription.licensesPurchased;
    group.assigned += subscription.assigned;
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    for (const subscription of group.subscriptions) {
      const room = USERS_PER_GROUP - group.users.length;
      if (room <= 0) break;
      const rows = await findAssignedUsers(ctx.prisma, subscription.id, room);
      group.users.push(...rows.map((row) => ({ name: row.user.name, email: row.user.email })));
    }
  }
  const available = subscriptions.reduce((sum, s) => sum + s.licensesPurchased, 0);
  const assigned = subscriptions.reduce((sum, s) => sum + s.assigned, 0);
  const ordered = [...groups.values()].sort((a, b) => {
    if (!a.purchaser) return -1;
    if (!b.purchaser) return 1;
    return b.assigned - a.assigned || a.purchaser.name.localeCompare(b.purchaser.name);
  });
  return { product, available, assigned, free: Math.max(0, available - assigned), groups: ordered };
}
