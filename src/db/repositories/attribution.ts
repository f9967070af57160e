/**
 * Where a subscription's self-service decision and its license holders come from: Graph's
 * owner, an import or an admin; holders mirrored from Graph (a SKU's only subscription), from an
 * import, or not attributed at all (Graph assigns licenses per product, not per subscription).
 */
import { providerOf, type Db } from '../client.js';
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

type Count = number | bigint | null;

const IMPORT_ACTIONS = ['subscription.imported', 'subscription.import_changed'];

/** One of a subscription's current users, as `show` lists them. */
export interface ShownUser {
  name: string;
  email: string;
  assignedAt: Date;
}

/** The current licenses of the subscription `s` counted per source. */
const LICENSES_BY_SOURCE = Prisma.sql`SELECT a."source", count(*) AS "n" FROM "LicenseAssignment" a WHERE a."subscriptionId" = s."id" AND a."removedAt" IS NULL GROUP BY a."source"`;

/** What originColumns adds to a row. */
export interface RawOrigin {
  isSelfService: boolean | number | bigint;
  selfServiceSource: string;
  selfServiceDecidedBy: string | null;
  selfServiceDecidedAt: Date | null;
  skuId: string | null;
  liveOfSku: Count;
  holdersOfSku: Count;
  bySource: string | null;
  importedBy: string | null;
  importedAt: Date | null;
  importDetail: string | null;
  shownUsers: string | null;
}

/**
 * The columns `show` asks for on every call, of the subscription `s` (with ORIGIN_JOIN): its
 * decision, the SKU's live subscriptions and holders, its current licenses by source, its latest
 * import, and its first `users` current users by name. Prisma needs six statements for that (a
 * findUnique, two counts, a groupBy, a findFirst and a findMany), each a round trip of its own;
 * here they are columns of the statement that finds the subscription. The counts keep Prisma's
 * meaning (a subscription without a tenantStatus is not live) and run only for a subscription a
 * sync gave a SKU, through the skuId index (before it, counting a SKU's subscriptions read every
 * subscription: 23 ms at 100k on SQLite). The users come as one JSON array, their times as
 * milliseconds since 1970 (each database's JSON writes times its own way).
 */
export function originColumns(db: Db, users: number): Prisma.Sql {
  const postgres = providerOf(db) === 'postgresql';
  const bySource = postgres
    ? Prisma.sql`(SELECT json_object_agg(g."source", g."n")::text FROM (${LICENSES_BY_SOURCE}) g)`
    : Prisma.sql`(SELECT json_group_object(g."source", g."n") FROM (${LICENSES_BY_SOURCE}) g)`;
  const firstUsers = Prisma.sql`SELECT u."name", u."email", a."assignedAt", a."id"
    FROM "LicenseAssignment" a JOIN "Person" u ON u."id" = a."userId"
    WHERE a."subscriptionId" = s."id" AND a."removedAt" IS NULL
    ORDER BY u."name", a."id" LIMIT ${users}`;
  const shownUsers = postgres
    ? Prisma.sql`(SELECT json_agg(json_build_array(f."name", f."email", floor(extract(epoch FROM f."assignedAt") * 1000)) ORDER BY f."name", f."id")::text FROM (${firstUsers}) f)`
    : Prisma.sql`(SELECT json_group_array(json_array(f."name", f."email", CAST(round(unixepoch(f."assignedAt", 'subsec') * 1000) AS INTEGER)) ORDER BY f."name", f."id") FROM (${firstUsers}) f)`;
  return Prisma.sql`s."selfServiceDecidedBy", s."selfServiceDecidedAt", s."skuId",
      CASE WHEN s."skuId" IS NULL THEN 0 ELSE (SELECT count(*) FROM "Subscription" o
        WHERE o."skuId" = s."skuId" AND o."graphId" IS NOT NULL AND NOT (o."tenantStatus" = ${'Deleted'}) AND o."seenDeletedAt" IS NULL) END AS "liveOfSku",
      CASE WHEN s."skuId" IS NULL THEN 0 ELSE (SELECT count(*) FROM "ProductHolding" h WHERE h."skuId" = s."skuId" AND h."removedAt" IS NULL) END AS "holdersOfSku",
      ${bySource} AS "bySource",
      e."actorId" AS "importedBy", e."at" AS "importedAt", e."detail" AS "importDetail",
      ${shownUsers} AS "shownUsers"`;
}

/** The latest import of the subscription `s`, as `e`, for originColumns. */
export const ORIGIN_JOIN = Prisma.sql`
    LEFT JOIN "AuditEvent" e ON e."id" = (
      SELECT x."id" FROM "AuditEvent" x
      WHERE x."subjectType" = ${'subscription'} AND x."subjectId" = s."id" AND x."action" IN (${Prisma.join(IMPORT_ACTIONS)})
      ORDER BY x."at" DESC LIMIT 1)`;

/** A row with originColumns as what `show` says of it. */
export function toOriginAndUsers(row: RawOrigin): { origin: SubscriptionOrigin; users: ShownUser[] } {
  const counts = row.bySource ? (JSON.parse(row.bySource) as Record<string, number | string>) : {};
  const shown = row.shownUsers ? (JSON.parse(row.shownUsers) as Array<[string, string, number | string]>) : [];
  const origin: SubscriptionOrigin = {
    isSelfService: Boolean(row.isSelfService),
    selfServiceSource: row.selfServiceSource,
    selfServiceDecidedBy: row.selfServiceDecidedBy,
    selfServiceDecidedAt: row.selfServiceDecidedAt,
    skuId: row.skuId,
    liveOfSku: row.skuId ? toCount(row.liveOfSku) : 0,
    holdersOfSku: row.skuId ? toCount(row.holdersOfSku) : 0,
    assignedBySource: Object.fromEntries(Object.entries(counts).map(([source, n]) => [source, toCount(n)])),
    lastImport:
      row.importedBy !== null && row.importedAt !== null
        ? { file: row.importDetail?.replace(/^file: /, '') ?? null, by: row.importedBy, at: row.importedAt }
        : null,
  };
  return { origin, users: shown.map(([name, email, at]) => ({ name, email, assignedAt: new Date(Number(at)) })) };
}

/** Holders of a product whom no active subscription of it claims in the record (`h` is the holding, `userColumn` its person). */
function unclaimed(productId: string, userColumn: Prisma.Sql): Prisma.Sql {
  // From the person's few licenses to their subscriptions: CROSS JOIN keeps that order on SQLite,
  // whose planner otherwise walks every subscription of the product for each person (a
  // thousand probes a person for a big product); PostgreSQL reads it as a plain join.
  return Prisma.sql`NOT EXISTS (
      SELECT 1 FROM "LicenseAssignment" a CROSS JOIN "Subscription" s
      WHERE s."id" = a."subscriptionId" AND a."userId" = ${userColumn} AND a."removedAt" IS NULL
        AND s."productId" = ${productId} AND s."status" = ${ACTIVE_STATUS})`;
}

/**
 * People holding a product's license in the tenant (any of its SKUs) without a license of any of
 * its active subscriptions in the record: Graph gave no subscription to attribute them to. How
 * many, and the first `limit` by name. In SQL: each person once whatever SKUs they hold, which
 * Prisma would do by reading every holding of the product. Driven from the product's holdings,
 * never from every person in name order.
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
      WHERE p."id" IN (
        SELECT h."userId" FROM "ProductHolding" h
        WHERE h."productId" = ${productId} AND h."removedAt" IS NULL AND ${unclaimed(productId, Prisma.sql`h."userId"`)})
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
