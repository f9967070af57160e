/**
 * The savings finder's queries. Each adds up in the database (GROUP BY, window functions) and
 * returns one row per product or subscription and currency, with at most a few names each: no
 * license or subscription is read into JavaScript one by one, and no bind parameter grows with
 * the data. Amounts are integer minor units of one currency; a price the record does not know is
 * counted (unknownPrices), never added as zero.
 */
import { providerOf, type Db } from '../client.js';
import { ACTIVE_STATUS } from '../../domain/spend.js';
import { Prisma, toCount } from './sql.js';

/** How many names and subscription ids a finding carries for display. */
export const NAMES_PER_FINDING = 5;

type Count = number | bigint | null;

export interface AmountGroup {
  currency: string | null;
  monthlyMinor: number;
  unknownPrices: number;
}

/**
 * The active licenses the duplicate finder ranks (`licenses`: userId, subscriptionId), in each
 * database's fastest form at 100k subscriptions. SQLite: only the licenses of people holding
 * some product more than once, found in one pass in person order (the userId index: more
 * licenses than distinct products) and reached again through that index, which sorts a third
 * fewer rows than ranking every license (3.2 s against 3.9 s). PostgreSQL: every active license,
 * hashed once: the pass in person order costs it more than the rows it saves (2.0 s against 3.0 s).
 */
function licensesToRank(db: Db): Prisma.Sql {
  if (providerOf(db) === 'postgresql')
    return Prisma.sql`"licenses" AS (SELECT a."userId", a."subscriptionId" FROM "LicenseAssignment" a WHERE a."removedAt" IS NULL),`;
  return Prisma.sql`"people" AS MATERIALIZED (
      SELECT a."userId" FROM "LicenseAssignment" a CROSS JOIN "Subscription" s
      WHERE s."id" = a."subscriptionId" AND a."removedAt" IS NULL AND s."status" = ${ACTIVE_STATUS}
      GROUP BY a."userId"
      HAVING count(*) > count(DISTINCT s."productId")
    ),
    "licenses" AS (
      SELECT a."userId", a."subscriptionId" FROM "people" p CROSS JOIN "LicenseAssignment" a WHERE a."userId" = p."userId" AND a."removedAt" IS NULL
    ),`;
}

/**
 * The licenses people hold twice for one product, in the record's per-subscription licenses:
 * ordering a person's active licenses of a product central first, then oldest purchase first,
 * every self-service license after the first is paid for nothing. One statement: the licenses
 * (licensesToRank) are ranked per person and product, each reaching its subscription through the
 * primary key; the totals and the first names and subscriptions come back together. CROSS JOIN
 * keeps that order in SQLite: with a plain JOIN, SQLite reached a person's licenses through
 * every subscription of the product (10,000 for a big one) and took 45 s on the bench's 100k tenant.
 */
export async function findDuplicateHoldings(
  db: Db,
): Promise<
  Array<{ product: { id: string; name: string }; people: number; licenses: number; subscriptionIds: string[]; names: string[]; amounts: AmountGroup[] }>
> {
  const rows = await db.$queryRaw<
    Array<{
      kind: string;
      productId: string;
      productName: string;
      currency: string | null;
      people: Count;
      licenses: Count;
      unknownPrices: Count;
      monthlyMinor: Count;
      value: string | null;
      n: Count;
    }>
  >`
    WITH ${licensesToRank(db)}
    "extra" AS MATERIALIZED (
      SELECT r."userId", r."productId", r."subscriptionId", CASE WHEN r."unitPriceMinor" IS NULL THEN NULL ELSE r."currency" END AS "currency", r."unitPriceMinor"
      FROM (
        SELECT a."userId", s."productId", s."id" AS "subscriptionId", s."isSelfService", s."unitPriceMinor", s."currency",
          row_number() OVER (PARTITION BY a."userId", s."productId" ORDER BY s."isSelfService" ASC, s."purchasedAt" ASC, s."id" ASC) AS "rank"
        FROM "licenses" a CROSS JOIN "Subscription" s
        WHERE s."id" = a."subscriptionId" AND s."status" = ${ACTIVE_STATUS}
      ) r
      WHERE r."rank" > 1 AND r."isSelfService" = ${true}
    )
    SELECT 'group' AS "kind", x."productId", p."name" AS "productName", x."currency",
      count(DISTINCT x."userId") AS "people", count(*) AS "licenses",
      sum(CASE WHEN x."currency" IS NULL THEN 1 ELSE 0 END) AS "unknownPrices",
      sum(CAST(x."unitPriceMinor" AS BIGINT)) AS "monthlyMinor", NULL AS "value", 0 AS "n"
    FROM "extra" x JOIN "Product" p ON p."id" = x."productId"
    GROUP BY x."productId", p."name", x."currency"
    UNION ALL
    SELECT 'person', "productId", NULL, NULL, 0, 0, 0, 0, "value", "n" FROM (
      SELECT y."productId", u."name" AS "value", row_number() OVER (PARTITION BY y."productId" ORDER BY u."name", u."id") AS "n"
      FROM (SELECT DISTINCT x."productId", x."userId" FROM "extra" x) y JOIN "Person" u ON u."id" = y."userId"
    ) people WHERE "n" <= ${NAMES_PER_FINDING}
    UNION ALL
    SELECT 'subscription', "productId", NULL, NULL, 0, 0, 0, 0, "value", "n" FROM (
      SELECT z."productId", z."subscriptionId" AS "value", row_number() OVER (PARTITION BY z."productId" ORDER BY z."subscriptionId") AS "n"
      FROM (SELECT DISTINCT x."productId", x."subscriptionId" FROM "extra" x) z
    ) subs WHERE "n" <= ${NAMES_PER_FINDING}`;
  const byProduct = new Map<
    string,
    { product: { id: string; name: string }; people: number; licenses: number; subscriptionIds: string[]; names: string[]; amounts: AmountGroup[] }
  >();
  for (const g of rows.filter((r) => r.kind === 'group')) {
    const entry = byProduct.get(g.productId) ?? {
      product: { id: g.productId, name: g.productName },
      people: 0,
      licenses: 0,
      subscriptionIds: [],
      names: [],
      amounts: [],
    };
    entry.people = Math.max(entry.people, toCount(g.people));
    entry.licenses += toCount(g.licenses);
    entry.amounts.push({ currency: g.currency, monthlyMinor: toCount(g.monthlyMinor), unknownPrices: toCount(g.unknownPrices) });
    byProduct.set(g.productId, entry);
  }
  for (const s of rows.filter((r) => r.kind !== 'group').sort((a, b) => toCount(a.n) - toCount(b.n))) {
    const entry = byProduct.get(s.productId);
    if (!entry || s.value === null) continue;
    (s.kind === 'person' ? entry.names : entry.subscriptionIds).push(s.value);
  }
  return [...byProduct.values()];
}

/**
 * Active self-service subscriptions with seats nobody holds, and what those seats cost.
 * `perSubscriptionOnly`: licenses are known per subscription only for products with one active
 * subscription (Microsoft 365 pools a product's seats); elsewhere every subscription counts.
 * The seats held are the count the database keeps (licensesAssigned, counters.ts), and the
 * products with one active subscription come from one GROUP BY: no license is counted here.
 */
export async function findFreeSeats(
  db: Db,
  options: { perSubscriptionOnly: boolean },
): Promise<
  Array<{
    subscriptionId: string;
    product: { id: string; name: string };
    purchaserName: string | null;
    licensesPurchased: number;
    assigned: number;
    unitPriceMinor: number | null;
    currency: string | null;
  }>
> {
  const known = options.perSubscriptionOnly
    ? Prisma.sql`AND s."productId" IN (SELECT o."productId" FROM "Subscription" o WHERE o."status" = ${ACTIVE_STATUS} GROUP BY o."productId" HAVING count(*) = 1)`
    : Prisma.empty;
  const rows = await db.$queryRaw<
    Array<{
      id: string;
      productId: string;
      productName: string;
      purchaserName: string | null;
      licensesPurchased: number;
      assigned: Count;
      unitPriceMinor: number | null;
      currency: string | null;
    }>
  >`
    SELECT f."id", f."productId", p."name" AS "productName", u."name" AS "purchaserName", f."licensesPurchased", f."assigned", f."unitPriceMinor", f."currency"
    FROM (
      SELECT s."id", s."productId", s."purchaserId", s."licensesPurchased", s."unitPriceMinor", s."currency", s."licensesAssigned" AS "assigned"
      FROM "Subscription" s
      WHERE s."status" = ${ACTIVE_STATUS} AND s."isSelfService" = ${true} ${known}
    ) f
    JOIN "Product" p ON p."id" = f."productId" LEFT JOIN "Person" u ON u."id" = f."purchaserId"
    WHERE f."assigned" < f."licensesPurchased"`;
  return rows.map((r) => ({
    subscriptionId: r.id,
    product: { id: r.productId, name: r.productName },
    purchaserName: r.purchaserName,
    licensesPurchased: r.licensesPurchased,
    assigned: toCount(r.assigned),
    unitPriceMinor: r.unitPriceMinor,
    currency: r.currency,
  }));
}

/** Licenses of active self-service subscriptions held by disabled accounts or people gone from the tenant, per subscription. */
export async function findLicensesOfInactiveAccounts(db: Db): Promise<
  Array<{
    subscriptionId: string;
    product: { id: string; name: string };
    purchaserName: string | null;
    licenses: number;
    names: string[];
    unitPriceMinor: number | null;
    currency: string | null;
  }>
> {
  // From the few people who cannot use their licenses (the userId index), not
  // from every subscription to its licenses: the people are materialized first and CROSS JOIN
  // keeps that order in SQLite, whose planner cannot know how few they are (with a plain JOIN it
  // probed every active subscription for each person).
  const inactive = Prisma.sql`
    WITH "gone" AS MATERIALIZED (
      SELECT p."id", p."name" FROM "Person" p WHERE p."accountEnabled" = ${false} OR p."goneFromTenantAt" IS NOT NULL
    ),
    "inactive" AS MATERIALIZED (
      SELECT a."subscriptionId", u."name", u."id"
      FROM "gone" u CROSS JOIN "LicenseAssignment" a CROSS JOIN "Subscription" s
      WHERE a."userId" = u."id" AND s."id" = a."subscriptionId" AND a."removedAt" IS NULL AND s."status" = ${ACTIVE_STATUS} AND s."isSelfService" = ${true}
    )`;
  const rows = await db.$queryRaw<
    Array<{
      id: string;
      productId: string;
      productName: string;
      purchaserName: string | null;
      licenses: Count;
      unitPriceMinor: number | null;
      currency: string | null;
      name: string | null;
      n: Count;
    }>
  >`
    ${inactive}
    SELECT s."id", s."productId", p."name" AS "productName", b."name" AS "purchaserName", i."licenses", s."unitPriceMinor", s."currency", NULL AS "name", 0 AS "n"
    FROM (SELECT x."subscriptionId", count(*) AS "licenses" FROM "inactive" x GROUP BY x."subscriptionId") i
    JOIN "Subscription" s ON s."id" = i."subscriptionId"
    JOIN "Product" p ON p."id" = s."productId" LEFT JOIN "Person" b ON b."id" = s."purchaserId"
    UNION ALL
    SELECT "subscriptionId", NULL, NULL, NULL, 0, NULL, NULL, "name", "n" FROM (
      SELECT x."subscriptionId", x."name", row_number() OVER (PARTITION BY x."subscriptionId" ORDER BY x."name", x."id") AS "n" FROM "inactive" x
    ) ranked WHERE "n" <= ${NAMES_PER_FINDING}`;
  const names = rows.filter((r) => r.name !== null).sort((a, b) => toCount(a.n) - toCount(b.n));
  return rows
    .filter((r) => r.name === null)
    .map((r) => ({
      subscriptionId: r.id,
      product: { id: r.productId, name: r.productName },
      purchaserName: r.purchaserName,
      licenses: toCount(r.licenses),
      names: names.filter((n) => n.id === r.id).map((n) => n.name!),
      unitPriceMinor: r.unitPriceMinor,
      currency: r.currency,
    }));
}

/** Per product and currency: the active self-service seats and their monthly cost (known prices only), and how many subscriptions there are. */
export async function sumSelfServiceSeats(
  db: Db,
): Promise<Array<{ product: { id: string; name: string }; currency: string; seats: number; monthlyMinor: number; subscriptions: number }>> {
  const rows = await db.$queryRaw<Array<{ productId: string; productName: string; currency: string; seats: Count; monthlyMinor: Count; subscriptions: Count }>>`
    SELECT s."productId", p."name" AS "productName", s."currency", sum(s."licensesPurchased") AS "seats",
      sum(CAST(s."unitPriceMinor" AS BIGINT) * s."licensesPurchased") AS "monthlyMinor", count(*) AS "subscriptions"
    FROM "Subscription" s JOIN "Product" p ON p."id" = s."productId"
    WHERE s."status" = ${ACTIVE_STATUS} AND s."isSelfService" = ${true} AND s."unitPriceMinor" IS NOT NULL AND s."currency" IS NOT NULL AND s."isTrial" = ${false}
    GROUP BY s."productId", p."name", s."currency"`;
  return rows.map((r) => ({
    product: { id: r.productId, name: r.productName },
    currency: r.currency,
    seats: toCount(r.seats),
    monthlyMinor: toCount(r.monthlyMinor),
    subscriptions: toCount(r.subscriptions),
  }));
}

/** The lowest monthly unit price of each product's active central subscriptions, per currency. */
export async function findCentralUnitPrices(db: Db): Promise<Array<{ productId: string; currency: string; unitPriceMinor: number }>> {
  const rows = await db.$queryRaw<Array<{ productId: string; currency: string; unitPriceMinor: Count }>>`
    SELECT s."productId", s."currency", min(s."unitPriceMinor") AS "unitPriceMinor"
    FROM "Subscription" s
    WHERE s."status" = ${ACTIVE_STATUS} AND s."isSelfService" = ${false} AND s."isTrial" = ${false}
      AND s."unitPriceMinor" IS NOT NULL AND s."currency" IS NOT NULL
    GROUP BY s."productId", s."currency"`;
  return rows.map((r) => ({ productId: r.productId, currency: r.currency, unitPriceMinor: toCount(r.unitPriceMinor) }));
}

/** The products that SKU part numbers are (from the SKUs a sync recorded). */
export async function findProductsOfSkuPartNumbers(db: Db, partNumbers: readonly string[]): Promise<Map<string, string>> {
  if (partNumbers.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ skuPartNumber: string; productId: string }>>`
    SELECT DISTINCT k."skuPartNumber", k."productId" FROM "ProductSku" k WHERE k."skuPartNumber" IN (${Prisma.join(partNumbers)})`;
  return new Map(rows.map((r) => [r.skuPartNumber.toUpperCase(), r.productId]));
}
