/**
 * Where a subscription's self-service decision and its license holders come from: Graph's
 * owner, an import or an admin; holders mirrored from Graph (a SKU's only subscription), from an
 * import, or not attributed at all (Graph assigns licenses per product, not per subscription).
 */
import type { Db } from '../client.js';
import { ACTIVE_STATUS } from '../../domain/spend.js';
import { Prisma, toCount } from './sql.js';

export interface SubscriptionOrigin {
  isSelfService: boolean;
  selfServiceSource: string;
  selfServiceDecidedBy: string | null;
  selfServiceDecidedAt: Date | null;
  /** Graph's SKU, once a sync has seen the subscription. */
  skuId: string | null;
  /** Subscriptions of that SKU the tenant lists as live, this one included. */
  liveOfSku: number;
  /** People holding the SKU's license in the tenant. */
  holdersOfSku: number;
  /** This subscription's current licenses in the record, by where they come from (graph, import, local, seed). */
  assignedBySource: Record<string, number>;
  /** The latest import that wrote this subscription: its file and who ran it, when. */
  lastImport: { file: string | null; by: string; at: Date } | null;
}

const IMPORT_ACTIONS = ['subscription.imported', 'subscription.import_changed'];

export async function findSubscriptionOrigin(db: Db, subscriptionId: string): Promise<SubscriptionOrigin | undefined> {
  const row = await db.subscription.findUnique({
    where: { id: subscriptionId },
    select: { isSelfService: true, selfServiceSource: true, selfServiceDecidedBy: true, selfServiceDecidedAt: true, skuId: true },
  });
  if (!row) return undefined;
  const [liveOfSku, holdersOfSku, assignments, imported] = await Promise.all([
    row.skuId ? db.subscription.count({ where: { skuId: row.skuId, graphId: { not: null }, NOT: { tenantStatus: 'Deleted' }, seenDeletedAt: null } }) : 0,
    row.skuId ? db.productHolding.count({ where: { skuId: row.skuId, removedAt: null } }) : 0,
    db.licenseAssignment.groupBy({ by: ['source'], where: { subscriptionId, removedAt: null }, _count: { _all: true } }),
    db.auditEvent.findFirst({ where: { subjectType: 'subscription', subjectId: subscriptionId, action: { in: IMPORT_ACTIONS } }, orderBy: { at: 'desc' } }),
  ]);
  return {
    ...row,
    liveOfSku,
    holdersOfSku,
    assignedBySource: Object.fromEntries(assignments.map((a) => [a.source, a._count._all])),
    lastImport: imported ? { file: imported.detail?.replace(/^file: /, '') ?? null, by: imported.actorId, at: imported.at } : null,
  };
}

/** Holders of a product whom no active subscription of it claims in the record (`h` is the holding, `userColumn` its person). */
function unclaimed(productId: string, userColumn: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (
      SELECT 1 FROM "LicenseAssignment" a JOIN "Subscription" s ON s."id" = a."subscriptionId"
      WHERE a."userId" = ${userColumn} AND a."removedAt" IS NULL AND s."productId" = ${productId} AND s."status" = ${ACTIVE_STATUS})`;
}

/**
 * People holding a product's license in the tenant (any of its SKUs) without a license of any of
 * its active subscriptions in the record: Graph gave no subscription to attribute them to. How
 * many, and the first `limit` by name. In SQL: each person once whatever SKUs they hold, which
 * Prisma would do by reading every holding of the product.
 */
export async function findUnattributedHolders(
  db: Db,
  productId: string,
  limit: number,
): Promise<{ count: number; users: Array<{ name: string; email: string }> }> {
  const [counted, users] = await Promise.all([
    db.$queryRaw<Array<{ count: unknown }>>`
      SELECT count(DISTINCT h."userId") AS "count" FROM "ProductHolding" h
      WHERE h."productId" = ${productId} AND h."removedAt" IS NULL AND ${unclaimed(productId, Prisma.sql`h."userId"`)}`,
    db.$queryRaw<Array<{ name: string; email: string }>>`
      SELECT p."name", p."email" FROM "Person" p
      WHERE EXISTS (SELECT 1 FROM "ProductHolding" h WHERE h."userId" = p."id" AND h."productId" = ${productId} AND h."removedAt" IS NULL)
        AND ${unclaimed(productId, Prisma.sql`p."id"`)}
      ORDER BY p."name", p."id" LIMIT ${limit}`,
  ]);
  return { count: toCount(counted[0]?.count), users: users.map((u) => ({ name: u.name, email: u.email })) };
}

/**
 * How many people hold a product's license in the tenant (any of its SKUs). In SQL: Prisma counts
 * no distinct values, and reading every holder to count them would grow with the tenant.
 */
export async function countProductHolders(db: Db, productId: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ holders: unknown }>>`
    SELECT count(DISTINCT h."userId") AS "holders" FROM "ProductHolding" h WHERE h."productId" = ${productId} AND h."removedAt" IS NULL`;
  return toCount(rows[0]?.holders);
}

/** The same people, a batch at a time in holding id order (for the export). */
export function findUnattributedHoldersPage(db: Db, productId: string, page: { limit: number; afterId?: string }) {
  return db.productHolding.findMany({
    where: {
      productId,
      removedAt: null,
      user: { assignments: { none: { removedAt: null, subscription: { productId, status: 'Active' } } } },
      ...(page.afterId ? { id: { gt: page.afterId } } : {}),
    },
    select: { id: true, firstSeenAt: true, user: { select: { name: true, email: true } } },
    orderBy: { id: 'asc' },
    take: page.limit,
  });
}
