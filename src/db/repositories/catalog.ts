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

/**
 * Purchasers whose email is `text` (emails are stored lower-case) or whose name is `text` in any
 * case: two index lookups, the name's on searchName, lower(name) as the database computes it
 * (kept by triggers: counters.ts), compared with lower() of the text by the same database. In SQL:
 * Prisma cannot apply lower() to a parameter.
 */
export function findPurchasersExactly(db: Db, text: string): Promise<Purchaser[]> {
  return db.$queryRaw<Purchaser[]>`
    SELECT u."id", u."name", u."email" FROM "Person" u
    WHERE (u."email" = ${text.toLowerCase()} OR u."searchName" = lower(${text}))
      AND EXISTS (SELECT 1 FROM "Subscription" s WHERE s."purchaserId" = u."id")`;
}
