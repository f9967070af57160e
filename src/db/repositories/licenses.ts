/**
 * License assignments read in bulk (a product's licenses by purchaser; the export is
 * export-rows.ts) and written in bulk (moves, central grants), in SQL: each statement works on a set in the database, however
 * many users it touches, and takes a fixed number of bind parameters.
 */
import type { Db } from '../client.js';
import { ACTIVE_STATUS } from '../../domain/spend.js';
import { Prisma, newUuid, toCount, valuesTable } from './sql.js';

// ---------------------------------------------------------------------------------------------
// Licenses of a product, by purchaser

export interface LicenseGroupRow {
  /** null: the central subscriptions. */
  purchaser: { id: string; name: string; email: string; slackUserId: string | null } | null;
  subscriptions: number;
  licenses: number;
  assigned: number;
}

export interface LicenseGroupsPage {
  available: number;
  assigned: number;
  /** Purchaser groups in all (the central subscriptions count as one). */
  groups: number;
  rows: LicenseGroupRow[];
}

interface RawGroupRow {
  purchaserId: string | null;
  name: string | null;
  email: string | null;
  slackUserId: string | null;
  subscriptions: bigint | number;
  licenses: bigint | number;
  assigned: bigint | number;
  availableTotal: bigint | number | null;
  assignedTotal: bigint | number | null;
  groupCount: bigint | number;
}

/**
 * A product's active subscriptions added up (available, assigned) and grouped by purchaser:
 * the central subscriptions first, then the purchasers holding most licenses; `size` groups from
 * `offset`. One statement over the (productId, status, purchaserId, licensesPurchased,
 * licensesAssigned) index alone: each subscription's count of licenses is kept by the database
 * (counters.ts), so a 300,000-license product adds up its subscriptions, not its licenses.
 */
export async function findLicenseGroups(db: Db, productId: string, page: { offset: number; size: number }): Promise<LicenseGroupsPage> {
  const rows = await db.$queryRaw<RawGroupRow[]>`
    WITH subs AS MATERIALIZED (
      SELECT s."purchaserId", s."licensesPurchased", s."licensesAssigned" AS "assigned"
      FROM "Subscription" s WHERE s."productId" = ${productId} AND s."status" = ${ACTIVE_STATUS}
    ), groups AS MATERIALIZED (
      SELECT "purchaserId", count(*) AS "subscriptions", sum("licensesPurchased") AS "licenses", sum("assigned") AS "assigned"
      FROM subs GROUP BY "purchaserId"
    )
    SELECT g."purchaserId", u."name", u."email", u."slackUserId", g."subscriptions", g."licenses", g."assigned",
      (SELECT sum("licensesPurchased") FROM subs) AS "availableTotal",
      (SELECT sum("assigned") FROM subs) AS "assignedTotal",
      (SELECT count(*) FROM groups) AS "groupCount"
    FROM groups g LEFT JOIN "Person" u ON u."id" = g."purchaserId"
    ORDER BY CASE WHEN g."purchaserId" IS NULL THEN 0 ELSE 1 END, g."assigned" DESC, u."name", g."purchaserId"
    LIMIT ${page.size} OFFSET ${page.offset}`;
  const first = rows[0];
  return {
    available: toCount(first?.availableTotal),
    assigned: toCount(first?.assignedTotal),
    groups: toCount(first?.groupCount),
    rows: rows.map((r) => ({
      purchaser: r.purchaserId === null ? null : { id: r.purchaserId, name: r.name ?? '', email: r.email ?? '', slackUserId: r.slackUserId },
      subscriptions: toCount(r.subscriptions),
      licenses: toCount(r.licenses),
      assigned: toCount(r.assigned),
    })),
  };
}

/**
 * Purchasers' (null: central) active subscriptions of a product, and their first `perGroup` users
 * by name. The page's subscriptions are picked first (a branch per kind of group, each seeking
 * the (productId, status, purchaserId, …) index) and kept apart (MATERIALIZED): with one OR of
 * the groups, PostgreSQL expected thousands of subscriptions and hash-joined every license of
 * the tenant (190 ms at 100,000 subscriptions) where a few subscriptions' licenses are read.
 */
export async function findLicenseGroupMembers(
  db: Db,
  productId: string,
  purchaserIds: string[],
  central: boolean,
  perGroup: number,
): Promise<{ subscriptions: Array<{ id: string; purchaserId: string | null }>; users: Array<{ purchaserId: string | null; name: string; email: string }> }> {
  const inProduct = Prisma.sql`s."productId" = ${productId} AND s."status" = ${ACTIVE_STATUS}`;
  const branches = [
    ...(purchaserIds.length > 0
      ? [
          Prisma.sql`SELECT s."id", s."purchaserId", s."purchasedAt" FROM "Subscription" s WHERE ${inProduct} AND s."purchaserId" IN ${valuesTable(db, purchaserIds)}`,
        ]
      : []),
    ...(central ? [Prisma.sql`SELECT s."id", s."purchaserId", s."purchasedAt" FROM "Subscription" s WHERE ${inProduct} AND s."purchaserId" IS NULL`] : []),
  ];
  if (branches.length === 0) return { subscriptions: [], users: [] };
  const picked = Prisma.sql`WITH picked AS MATERIALIZED (${Prisma.join(branches, ' UNION ALL ')})`;
  const subscriptions = await db.$queryRaw<Array<{ id: string; purchaserId: string | null }>>`
    ${picked} SELECT s."id", s."purchaserId" FROM picked s ORDER BY s."purchasedAt" DESC, s."id"`;
  const users = await db.$queryRaw<Array<{ purchaserId: string | null; name: string; email: string }>>`
    ${picked}
    SELECT t."purchaserId", t."name", t."email" FROM (
      SELECT s."purchaserId", u."name", u."email", ROW_NUMBER() OVER (PARTITION BY s."purchaserId" ORDER BY u."name", a."id") AS "n"
      FROM picked s
      JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL
      JOIN "Person" u ON u."id" = a."userId"
    ) t WHERE t."n" <= ${perGroup} ORDER BY t."purchaserId", t."n"`;
  return { subscriptions, users };
}

// ---------------------------------------------------------------------------------------------
// Grants

/** Who gets a license: the current holders of another subscription, or users by id. */
export type Grantees = { holdersOf: string } | { userIds: readonly string[] };

function granteesTable(db: Db, grantees: Grantees): Prisma.Sql {
  return 'holdersOf' in grantees
    ? Prisma.sql`(SELECT g."userId" FROM "LicenseAssignment" g WHERE g."subscriptionId" = ${grantees.holdersOf} AND g."removedAt" IS NULL)`
    : Prisma.sql`(SELECT DISTINCT v.value AS "userId" FROM ${valuesTable(db, grantees.userIds)} v)`;
}

/** Licenses of the subscription assigned now (kept by the database: counters.ts). */
export async function countCurrentLicenses(db: Db, subscriptionId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: bigint | number }>>`
    SELECT "licensesAssigned" AS "n" FROM "Subscription" WHERE "id" = ${subscriptionId}`;
  return toCount(row?.n);
}

/** How many of the grantees do not hold a license of the subscription now (the licenses a grant needs). */
export async function countGranteesWithout(db: Db, subscriptionId: string, grantees: Grantees): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: bigint | number }>>`
    SELECT count(*) AS "n" FROM ${granteesTable(db, grantees)} u
    WHERE NOT EXISTS (SELECT 1 FROM "LicenseAssignment" h WHERE h."subscriptionId" = ${subscriptionId} AND h."userId" = u."userId" AND h."removedAt" IS NULL)`;
  return toCount(row?.n);
}

/**
 * Gives every grantee a license of the subscription: a removed license of theirs is given back,
 * the others get a new row, in two set-based statements (an INSERT … SELECT for the new ones).
 * Returns how many licenses were given.
 */
export async function grantLicenses(db: Db, subscriptionId: string, grantees: Grantees, now: Date): Promise<number> {
  const users = granteesTable(db, grantees);
  const reactivated = await db.$executeRaw`
    UPDATE "LicenseAssignment" SET "removedAt" = NULL, "assignedAt" = ${now}
    WHERE "subscriptionId" = ${subscriptionId} AND "removedAt" IS NOT NULL AND "userId" IN ${users}`;
  const inserted = await db.$executeRaw`
    INSERT INTO "LicenseAssignment" ("id", "subscriptionId", "userId", "assignedAt")
    SELECT ${newUuid(db)}, ${subscriptionId}, u."userId", ${now} FROM ${users} u
    WHERE NOT EXISTS (SELECT 1 FROM "LicenseAssignment" h WHERE h."subscriptionId" = ${subscriptionId} AND h."userId" = u."userId")`;
  return reactivated + inserted;
}
