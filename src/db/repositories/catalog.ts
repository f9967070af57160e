/** Products (small, read whole for loose matching by name) and purchasers. */
import type { Db, PrismaClient } from '../client.js';

/** Products that subscriptions can be of: those with a policy, and those known only from Graph or an import (kind sku). */
export function listProducts(prisma: PrismaClient) {
  return prisma.product.findMany({
    where: { kind: { in: ['product', 'sku'] } },
    select: { id: true, name: true, policyValue: true },
    orderBy: { name: 'asc' },
  });
}

export interface Purchaser {
  id: string;
  name: string;
  email: string;
}

/** Purchasers whose email is `text` (emails are stored lower-case) or whose name is `text` as typed: two index lookups. */
export function findPurchasersExactly(prisma: Pick<PrismaClient, 'person'>, text: string): Promise<Purchaser[]> {
  return prisma.person.findMany({
    where: { OR: [{ email: text.toLowerCase() }, { name: text }], purchases: { some: {} } },
    select: { id: true, name: true, email: true },
  });
}

/**
 * Every person who bought at least one subscription: a scan, for matching part of a name. The
 * purchasers are found from the subscriptions' side, so the other people are never read one by
 * one (Prisma's `purchases: { some: {} }` probes the subscriptions once per person).
 */
export function listPurchasers(db: Db): Promise<Purchaser[]> {
  return db.$queryRaw<Purchaser[]>`
    SELECT u."id", u."name", u."email" FROM "Person" u
    WHERE u."id" IN (SELECT s."purchaserId" FROM "Subscription" s WHERE s."purchaserId" IS NOT NULL)`;
}
