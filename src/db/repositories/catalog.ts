/** Products and people: small, read whole for loose matching by name. */
import type { PrismaClient } from '../client.js';

/** Products that subscriptions can be of: those with a policy, and those known only from Graph or an import (kind sku). */
export function listProducts(prisma: PrismaClient) {
  return prisma.product.findMany({
    where: { kind: { in: ['product', 'sku'] } },
    select: { id: true, name: true, policyValue: true },
    orderBy: { name: 'asc' },
  });
}

/** People who bought at least one subscription. */
export function listPurchasers(prisma: PrismaClient) {
  return prisma.person.findMany({
    where: { purchases: { some: {} } },
    select: { id: true, name: true, email: true },
    orderBy: { name: 'asc' },
  });
}
