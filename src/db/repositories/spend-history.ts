/**
 * The spend history (SpendDay): each UTC day's active self-service subscriptions, their monthly
 * cost and their purchasers, per product and currency, rebuilt from the record's own history.
 *
 * One statement rebuilds it, in the database: no subscription is read into JavaScript and no bind
 * parameter grows with the data. A subscription is active from the day of its purchase until the
 * day it was cancelled (cancelledAt) or a sync saw it deleted (seenDeletedAt): on that day it no
 * longer counts. Each subscription becomes two events (+1 on its first day, -1 on its last), the
 * events are added up per day, and a running sum over the days gives each day's state; a
 * purchaser counts on a product from the day their first subscription of it starts until their
 * last one ends (the running sum per purchaser going above zero, or back to it). So the cost
 * grows with the subscriptions (one pass, a GROUP BY) and with days times products, never with
 * days times subscriptions (docs/decisions/charts-and-spend-history.md).
 */
import { providerOf, type Db } from '../client.js';
import { ACTIVE_STATUS, DELETED_STATUS } from '../../domain/spend.js';
import { Prisma, takeWritersTurn, toCount } from './sql.js';

/** How far back the history goes: the chart shows twelve months, the rest is for comparisons. */
export const HISTORY_DAYS = 800;

export interface SpendDayRow {
  day: string;
  productId: string;
  /** Empty when the price is unknown. */
  currency: string;
  activeSubscriptions: number;
  monthlyMinor: number;
  purchasers: number;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC day of a timestamp column, in the database's dialect. */
function dayOf(db: Db, column: Prisma.Sql): Prisma.Sql {
  return providerOf(db) === 'postgresql' ? Prisma.sql`to_char(${column}, 'YYYY-MM-DD')` : Prisma.sql`substr(${column}, 1, 10)`;
}

/** Every day from `from` to `to` (inclusive) as a one-column table `day`. */
function daysTable(db: Db, from: string, to: string): Prisma.Sql {
  return providerOf(db) === 'postgresql'
    ? Prisma.sql`"days" ("day") AS (SELECT to_char(g, 'YYYY-MM-DD') FROM generate_series(CAST(${from} AS date), CAST(${to} AS date), interval '1 day') g)`
    : Prisma.sql`"days" ("day") AS (SELECT ${from} UNION ALL SELECT date("day", '+1 day') FROM "days" WHERE "day" < ${to})`;
}

/** Rebuilds the history up to `now`'s day; run it in a transaction (its own). Returns how many rows it holds. */
export async function rebuildSpendHistory(db: Db & Pick<Db, '$executeRaw'>, now: Date): Promise<number> {
  const to = utcDay(now);
  const from = utcDay(new Date(now.getTime() - HISTORY_DAYS * 86_400_000));
  const ended = Prisma.sql`CASE WHEN s."status" = ${DELETED_STATUS} THEN coalesce(s."cancelledAt", s."seenDeletedAt", s."updatedAt") END`;
  // An event before the first day of the history is counted on that first day.
  const clamp = (day: Prisma.Sql) => Prisma.sql`CASE WHEN ${day} < ${from} THEN ${from} ELSE ${day} END`;
  const statement = Prisma.sql`
    WITH RECURSIVE ${daysTable(db, from, to)},
    "subs" AS (
      SELECT s."productId" AS "product",
        CASE WHEN s."unitPriceMinor" IS NULL OR s."currency" IS NULL THEN '' ELSE s."currency" END AS "currency",
        s."purchaserId" AS "purchaser",
        CAST(coalesce(s."unitPriceMinor", 0) AS BIGINT) * s."licensesPurchased" AS "monthly",
        ${clamp(dayOf(db, Prisma.sql`s."purchasedAt"`))} AS "startDay",
        ${clamp(dayOf(db, ended))} AS "endDay"
      FROM "Subscription" s
      WHERE s."isSelfService" = ${true} AND (s."status" = ${ACTIVE_STATUS} OR s."status" = ${DELETED_STATUS})
    ),
    "events" AS (
      SELECT "product", "currency", "purchaser", "startDay" AS "day", 1 AS "n", "monthly" FROM "subs" WHERE "endDay" IS NULL OR "endDay" > "startDay"
      UNION ALL
      SELECT "product", "currency", "purchaser", "endDay", -1, -"monthly" FROM "subs" WHERE "endDay" IS NOT NULL AND "endDay" > "startDay"
    ),
    "perPurchaser" AS (
      SELECT "product", "currency", "purchaser", "day", sum("n") AS "n", sum("monthly") AS "monthly"
      FROM "events" WHERE "day" <= ${to} GROUP BY "product", "currency", "purchaser", "day"
    ),
    "running" AS (
      SELECT "product", "currency", "purchaser", "day", "n", "monthly",
        sum("n") OVER (PARTITION BY "product", "currency", "purchaser" ORDER BY "day") AS "held"
      FROM "perPurchaser"
    ),
    "deltas" AS (
      SELECT "product", "currency", "day", sum("n") AS "n", sum("monthly") AS "monthly",
        sum(CASE WHEN "purchaser" IS NULL THEN 0
                 WHEN "held" > 0 AND "held" - "n" <= 0 THEN 1
                 WHEN "held" <= 0 AND "held" - "n" > 0 THEN -1
                 ELSE 0 END) AS "purchasers"
      FROM "running" GROUP BY "product", "currency", "day"
    ),
    "groups" AS (SELECT DISTINCT "product", "currency" FROM "deltas"),
    -- Every day of every group, with the day's deltas added in: a UNION ALL and a GROUP BY rather
    -- than a LEFT JOIN of the days to the deltas, which PostgreSQL merged on product and currency
    -- alone, comparing 15 million rows at 100k subscriptions (6 s, past Prisma's 5 s transaction).
    "grid" AS (
      SELECT "product", "currency", "day", sum("n") AS "n", sum("monthly") AS "monthly", sum("purchasers") AS "purchasers"
      FROM (
        SELECT g."product", g."currency", d."day", 0 AS "n", 0 AS "monthly", 0 AS "purchasers" FROM "groups" g CROSS JOIN "days" d
        UNION ALL
        SELECT x."product", x."currency", x."day", x."n", x."monthly", x."purchasers" FROM "deltas" x
      ) u
      GROUP BY "product", "currency", "day"
    ),
    "totals" AS (
      SELECT "product", "currency", "day",
        sum("n") OVER w AS "active", sum("monthly") OVER w AS "monthly", sum("purchasers") OVER w AS "purchasers"
      FROM "grid"
      WINDOW w AS (PARTITION BY "product", "currency" ORDER BY "day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    INSERT INTO "SpendDay" ("day", "productId", "currency", "activeSubscriptions", "monthlyMinor", "purchasers")
    SELECT "day", "product", "currency", CAST("active" AS INTEGER), CAST("monthly" AS BIGINT), CAST("purchasers" AS INTEGER)
    FROM "totals" WHERE "active" > 0`;
  // One rebuild at a time (the weekly report and `/purchases report`, or two replicas): a second
  // one waits here for the first to commit, then deletes what it wrote. Without it, its DELETE,
  // begun before that commit, left those rows and its INSERT failed on their keys.
  await takeWritersTurn(db, 'SpendDay');
  await db.$executeRaw`DELETE FROM "SpendDay"`;
  return db.$executeRaw(statement);
}

/**
 * The history on some days (`YYYY-MM-DD`, at most a few dozen: a chart's points), per product
 * and currency, with the product's name.
 */
export async function findSpendOnDays(db: Db, days: readonly string[]): Promise<Array<SpendDayRow & { productName: string }>> {
  if (days.length === 0) return [];
  const rows = await db.$queryRaw<
    Array<{
      day: string;
      productId: string;
      productName: string | null;
      currency: string;
      activeSubscriptions: number | bigint;
      monthlyMinor: number | bigint;
      purchasers: number | bigint;
    }>
  >`
    SELECT h."day", h."productId", p."name" AS "productName", h."currency", h."activeSubscriptions", h."monthlyMinor", h."purchasers"
    FROM "SpendDay" h LEFT JOIN "Product" p ON p."id" = h."productId"
    WHERE h."day" IN (${Prisma.join(days)})
    ORDER BY h."day", h."productId", h."currency"`;
  return rows.map((r) => ({
    day: r.day,
    productId: r.productId,
    productName: r.productName ?? r.productId,
    currency: r.currency,
    activeSubscriptions: toCount(r.activeSubscriptions),
    monthlyMinor: toCount(r.monthlyMinor),
    purchasers: toCount(r.purchasers),
  }));
}

/**
 * People with at least one active self-service subscription at the end of each of `days`
 * (any product: someone buying two products counts once), counted by the database.
 */
export async function countPurchasersOnDays(db: Db, days: readonly string[]): Promise<Map<string, number>> {
  if (days.length === 0) return new Map();
  const ended = Prisma.sql`CASE WHEN s."status" = ${DELETED_STATUS} THEN coalesce(s."cancelledAt", s."seenDeletedAt", s."updatedAt") END`;
  const rows = await db.$queryRaw<Array<{ day: string; n: number | bigint }>>`
    SELECT d."day", count(DISTINCT s."purchaserId") AS "n"
    FROM (${Prisma.join(
      days.map((day) => Prisma.sql`SELECT ${day} AS "day"`),
      ' UNION ALL ',
    )}) d
    JOIN "Subscription" s ON s."isSelfService" = ${true} AND s."purchaserId" IS NOT NULL
      AND ${dayOf(db, Prisma.sql`s."purchasedAt"`)} <= d."day"
      AND (${ended} IS NULL OR ${dayOf(db, ended)} > d."day")
    GROUP BY d."day"`;
  return new Map(rows.map((r) => [r.day, toCount(r.n)]));
}

/** People whose first self-service purchase (of anything) was in [from, to), by name: how many, and the first `limit`. */
export async function findNewPurchasers(db: Db, from: Date, to: Date, limit: number): Promise<{ total: number; names: string[] }> {
  const firsts = Prisma.sql`
    SELECT s."purchaserId" AS "id", min(s."purchasedAt") AS "first" FROM "Subscription" s
    WHERE s."isSelfService" = ${true} AND s."purchaserId" IS NOT NULL GROUP BY s."purchaserId"`;
  const [count] = await db.$queryRaw<Array<{ n: number | bigint }>>`
    SELECT count(*) AS "n" FROM (${firsts}) f WHERE f."first" >= ${from} AND f."first" < ${to}`;
  const names = await db.$queryRaw<Array<{ name: string }>>`
    SELECT u."name" FROM (${firsts}) f JOIN "Person" u ON u."id" = f."id"
    WHERE f."first" >= ${from} AND f."first" < ${to} ORDER BY u."name", u."id" LIMIT ${limit}`;
  return { total: toCount(count?.n), names: names.map((n) => n.name) };
}
