/**
 * Queries over subscriptions and their license assignments. Keyset paging only: no OFFSET scans.
 *
 * Subscriptions are read with one SQL statement (selectSubscriptions) rather than Prisma's
 * `include: { _count }`: Prisma computes that count as a join on a GROUP BY over every license
 * assignment of the tenant, whatever the page; here each row brings its count of licenses along
 * (`licensesAssigned`, kept by database triggers: counters.ts), so a page costs what a
 * page holds. No statement takes a bind parameter per row of data: lists of ids travel as one
 * parameter (valuesTable).
 */
import { providerOf, type Db, type PrismaClient, type Subscription } from '../client.js';
import { ACTIVE_STATUS, type DELETED_STATUS } from '../../domain/spend.js';
import { ORIGIN_JOIN, originColumns, type RawOrigin, type ShownUser, type SubscriptionOrigin, toOriginAndUsers } from './attribution.js';
import { firstWordMatching, hasWordsStarting, peopleWithWordStarting } from './person-words.js';
import { limitOf, Prisma, toCount, valuesTable } from './sql.js';

export type SubscriptionStatus = typeof ACTIVE_STATUS | typeof DELETED_STATUS;

export interface SubscriptionQuery {
  productId?: string;
  purchaserIds?: string[];
  /** Purchasers with a word (PersonWord) starting with each of these, folded (domain/words.ts). */
  purchaserWords?: string[];
  status?: SubscriptionStatus;
  expiresBefore?: Date;
  expiresFrom?: Date;
  selfServiceOnly?: boolean;
}

export interface Keyset {
  purchasedAt: Date;
  id: string;
}

type SubscriptionColumns = Pick<
  Subscription,
  | 'id'
  | 'isSelfService'
  | 'licensesPurchased'
  | 'purchasedAt'
  | 'expiresAt'
  | 'unitPriceMinor'
  | 'currency'
  | 'isTrial'
  | 'status'
  | 'cancelledAt'
  | 'cancelledBy'
  | 'cancelReason'
  | 'cancelComment'
  | 'firstSeenAt'
  | 'selfServiceSource'
  | 'seenDeletedAt'
>;

/** A subscription with its product, its purchaser and how many licenses it has assigned now. */
export interface SubscriptionRow extends SubscriptionColumns {
  product: { id: string; name: string };
  purchaser: { id: string; name: string; email: string; slackUserId: string | null } | null;
  assigned: number;
}

/** A row as the statement returns it: booleans may come back as numbers, counts as bigints. */
interface RawSubscription extends Omit<SubscriptionColumns, 'isSelfService' | 'isTrial'> {
  productId: string;
  productName: string;
  isSelfService: boolean | number | bigint;
  isTrial: boolean | number | bigint;
  purchaserId: string | null;
  purchaserName: string | null;
  purchaserEmail: string | null;
  purchaserSlackUserId: string | null;
  assigned: bigint | number;
  total?: bigint | number;
}

const COLUMNS = Prisma.sql`
  SELECT s."id", s."productId", p."name" AS "productName", s."isSelfService", s."purchaserId",
    u."name" AS "purchaserName", u."email" AS "purchaserEmail", u."slackUserId" AS "purchaserSlackUserId",
    s."licensesPurchased", s."purchasedAt", s."expiresAt", s."unitPriceMinor", s."currency", s."isTrial", s."status",
    s."cancelledAt", s."cancelledBy", s."cancelReason", s."cancelComment", s."firstSeenAt", s."selfServiceSource", s."seenDeletedAt",
    s."licensesAssigned" AS "assigned"`;
const JOINS = Prisma.sql`
  JOIN "Product" p ON p."id" = s."productId"
  LEFT JOIN "Person" u ON u."id" = s."purchaserId"`;

function toRow(raw: RawSubscription): SubscriptionRow {
  return {
    id: raw.id,
    product: { id: raw.productId, name: raw.productName },
    isSelfService: Boolean(raw.isSelfService),
    purchaser:
      raw.purchaserId === null
        ? null
        : { id: raw.purchaserId, name: raw.purchaserName ?? '', email: raw.purchaserEmail ?? '', slackUserId: raw.purchaserSlackUserId },
    licensesPurchased: raw.licensesPurchased,
    purchasedAt: raw.purchasedAt,
    expiresAt: raw.expiresAt,
    unitPriceMinor: raw.unitPriceMinor,
    currency: raw.currency,
    isTrial: Boolean(raw.isTrial),
    status: raw.status,
    cancelledAt: raw.cancelledAt,
    cancelledBy: raw.cancelledBy,
    cancelReason: raw.cancelReason,
    cancelComment: raw.cancelComment,
    firstSeenAt: raw.firstSeenAt,
    selfServiceSource: raw.selfServiceSource,
    seenDeletedAt: raw.seenDeletedAt,
    assigned: toCount(raw.assigned),
  };
}

/**
 * Subscriptions matching `where` (conditions on `s`, the Subscription row) in `order` (of `s`
 * columns, or of the product's name `p."name"`). With a `limit`, the page is chosen first and only
 * its rows are joined and counted: a database that sorts after computing the columns would
 * otherwise count the licenses of every matching row.
 */
async function selectSubscriptions(
  db: Db,
  where: Prisma.Sql[],
  order: Prisma.Sql = Prisma.empty,
  limit?: number,
  page: { extra?: Prisma.Sql; joins?: Prisma.Sql; branches?: Prisma.Sql[] } = {},
): Promise<RawSubscription[]> {
  const condition = whereOf(where);
  if (limit === undefined) return db.$queryRaw<RawSubscription[]>`${COLUMNS} FROM "Subscription" s ${JOINS} ${condition} ${order}`;
  const pick = (conditions: Prisma.Sql[]) => Prisma.sql`SELECT s.* FROM "Subscription" s ${whereOf(conditions)} ${order} LIMIT ${limitOf(limit)}`;
  // Branches: the first rows of each alternative, merged. Each branch seeks its own index range
  // in order, where an IN list of them makes SQLite walk every row in date order instead.
  const picked = page.branches
    ? Prisma.sql`SELECT s.* FROM (${Prisma.join(
        page.branches.map((branch, i) => Prisma.sql`SELECT * FROM (${pick([...where, branch])}) ${Prisma.raw(`b${i}`)}`),
        ' UNION ALL ',
      )}) s ${order} LIMIT ${limitOf(limit)}`
    : pick(where);
  return db.$queryRaw<RawSubscription[]>`${COLUMNS} ${page.extra ?? Prisma.empty} FROM (${picked}) s ${JOINS} ${page.joins ?? Prisma.empty} ${order}`;
}

async function subscriptions(db: Db, where: Prisma.Sql[], order?: Prisma.Sql, limit?: number): Promise<SubscriptionRow[]> {
  return (await selectSubscriptions(db, where, order, limit)).map(toRow);
}

function whereOf(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

/** How many rows match, counted no further than `cap` + 1 (enough to say "more than cap"). */
function cappedCount(conditions: Prisma.Sql[], cap: number): Prisma.Sql {
  return Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "Subscription" s ${whereOf(conditions)} LIMIT ${limitOf(cap + 1)}) capped)`;
}

const FEW_PURCHASERS = 50;

function conditionsOf(db: Db, query: SubscriptionQuery): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (query.status) where.push(Prisma.sql`s."status" = ${query.status}`);
  if (query.selfServiceOnly) where.push(Prisma.sql`s."isSelfService" = ${true}`);
  if (query.productId) where.push(Prisma.sql`s."productId" = ${query.productId}`);
  if (query.purchaserIds) {
    // Many purchasers are one parameter, filtered while the newest purchases are read in order.
    where.push(
      query.purchaserIds.length <= FEW_PURCHASERS
        ? Prisma.sql`s."purchaserId" IN (${Prisma.join(query.purchaserIds)})`
        : Prisma.sql`s."purchaserId" IN ${valuesTable(db, query.purchaserIds)}`,
    );
  }
  if (query.purchaserWords) where.push(...hasWordsStarting(Prisma.sql`s."purchaserId"`, query.purchaserWords));
  if (query.expiresFrom) where.push(Prisma.sql`s."expiresAt" >= ${query.expiresFrom}`);
  if (query.expiresBefore) where.push(Prisma.sql`s."expiresAt" < ${query.expiresBefore}`);
  return where;
}

/**
 * Newest purchase first. `after` continues downwards, `before` goes back up. The anchor is a
 * row value, `(purchasedAt, id) < (…)`: both databases seek it in the index, where the
 * equivalent OR of two comparisons makes PostgreSQL read and discard every row before it.
 * `total` counts the matching subscriptions up to `countUpTo` + 1, in the same statement.
 */
export async function findSubscriptionsPage(
  db: Db,
  query: SubscriptionQuery,
  page: { size: number; after?: Keyset; before?: Keyset; countUpTo: number },
): Promise<{ rows: SubscriptionRow[]; hasMore: boolean; total: number }> {
  if (query.purchaserWords) return findPageByWords(db, query, query.purchaserWords, page);
  const conditions = conditionsOf(db, query);
  const ids = query.purchaserIds ?? [];
  // A few purchasers: a branch each, seeking the purchaser index.
  const branches = ids.length > 1 && ids.length <= FEW_PURCHASERS ? ids.map((id) => Prisma.sql`s."purchaserId" = ${id}`) : undefined;
  const where = branches ? conditionsOf(db, { ...query, purchaserIds: undefined }) : [...conditions];
  const { older, order } = keysetOf(page, where);
  const counted = cappedCount(conditions, page.countUpTo);
  const raw = await selectSubscriptions(db, where, order, page.size + 1, { extra: Prisma.sql`, ${counted} AS "total"`, ...(branches ? { branches } : {}) });
  const total = raw.length > 0 ? toCount(raw[0]!.total) : toCount((await db.$queryRaw<Array<{ n: bigint | number }>>`SELECT ${counted} AS "n"`)[0]?.n);
  return pageOf(raw, page.size, older, total);
}

/** Adds the anchor's condition to `where`; the order that reads away from it. */
function keysetOf(page: { after?: Keyset; before?: Keyset }, where: Prisma.Sql[]): { older: boolean; order: Prisma.Sql } {
  const anchor = page.after ?? page.before;
  const older = page.before === undefined;
  if (anchor) {
    where.push(
      older
        ? Prisma.sql`(s."purchasedAt", s."id") < (${anchor.purchasedAt}, ${anchor.id})`
        : Prisma.sql`(s."purchasedAt", s."id") > (${anchor.purchasedAt}, ${anchor.id})`,
    );
  }
  const order = older ? Prisma.sql`ORDER BY s."purchasedAt" DESC, s."id" DESC` : Prisma.sql`ORDER BY s."purchasedAt" ASC, s."id" ASC`;
  return { older, order };
}

function pageOf(raw: RawSubscription[], size: number, older: boolean, total: number): { rows: SubscriptionRow[]; hasMore: boolean; total: number } {
  const rows = raw.map(toRow);
  const hasMore = rows.length > size;
  const pageRows = rows.slice(0, size);
  return { rows: older ? pageRows : pageRows.reverse(), hasMore, total };
}

/**
 * A page of the subscriptions whose purchaser has words starting with `prefixes`, and their
 * count. They are read from the word index (`m`): the matching people, each joined to their
 * subscriptions, at most `countUpTo` + 1 rows, so a common word stops early and a rare one reads
 * only its range. When that is all of them (few match), the page is sorted from those rows.
 * When more match, at least one in every hundred or so of the newest subscriptions is theirs:
 * the page is read in date order, asking the word index about each row's purchaser (sorting the
 * subscriptions of thousands of people would cost more). One statement (see below).
 */
async function findPageByWords(
  db: Db,
  query: SubscriptionQuery,
  prefixes: string[],
  page: { size: number; after?: Keyset; before?: Keyset; countUpTo: number },
): Promise<{ rows: SubscriptionRow[]; hasMore: boolean; total: number }> {
  // SQLite keeps a CROSS JOIN's order (people first), and asks about the person's other words
  // after the join: of purchasers only. PostgreSQL would rather hash every subscription than
  // probe a few thousand people's: the LATERAL sub-select (OFFSET 0 keeps it whole) makes it
  // probe, and stop at the LIMIT; the conditions on the person name `m`, so that it can
  // intersect the prefixes' ranges before probing (it would gather every person of a common
  // word's range before a DISTINCT, so a person's first word there is asked for instead).
  const postgres = providerOf(db) === 'postgresql';
  const [first, ...others] = prefixes as [string, ...string[]];
  const fromWords = postgres
    ? Prisma.sql`"PersonWord" m CROSS JOIN LATERAL (SELECT * FROM "Subscription" s WHERE s."purchaserId" = m."personId" OFFSET 0) s`
    : Prisma.sql`${peopleWithWordStarting(first)} CROSS JOIN "Subscription" s`;
  const byWords = [
    ...(postgres ? [] : [Prisma.sql`s."purchaserId" = m."personId"`]),
    ...conditionsOf(db, { ...query, purchaserWords: undefined }),
    ...(postgres ? firstWordMatching(prefixes) : hasWordsStarting(Prisma.sql`s."purchaserId"`, others)),
  ];
  const inPage: Prisma.Sql[] = [];
  const { older, order } = keysetOf(page, inPage);
  const inDateOrder = conditionsOf(db, query);
  keysetOf(page, inDateOrder);
  const cap = page.countUpTo;
  const few = Prisma.sql`(SELECT count(*) FROM "matched") <= ${cap}`;
  const matched = Prisma.sql`"matched" AS MATERIALIZED (SELECT s."id", s."purchasedAt" FROM ${fromWords} ${whereOf(byWords)} LIMIT ${limitOf(cap + 1)})`;
  const fromMatched = Prisma.sql`SELECT s."id" FROM "matched" s ${whereOf(inPage)} ${order}`;
  const byDate = Prisma.sql`SELECT s."id" FROM "Subscription" s ${whereOf(inDateOrder)} ${order}`;
  // Only the keys are kept (the purchaser index covers them); the page's rows are read by id.
  // One statement either way, the count of "matched" (worked out once, before any row is read)
  // picking the branch that reads the page. SQLite: as each branch's LIMIT (a LIMIT of 0 reads
  // none; a condition in WHERE was tested row by row). PostgreSQL plans such a LIMIT as if it
  // read every row (a hash join of the whole tenant, 100 ms and more); there, the count is a
  // branch's WHERE, which it tests once (a one-time filter) and reads no row of a branch it fails.
  const size = page.size + 1;
  const keys = postgres
    ? Prisma.sql`SELECT k."id" FROM (${fromMatched} LIMIT ${size}) k WHERE ${few}
        UNION ALL
        SELECT k."id" FROM (${byDate} LIMIT ${size}) k WHERE NOT ${few}`
    : Prisma.sql`SELECT k."id" FROM (${fromMatched} LIMIT CASE WHEN ${few} THEN ${size} ELSE 0 END) k
        UNION ALL
        SELECT k."id" FROM (${byDate} LIMIT CASE WHEN ${few} THEN 0 ELSE ${size} END) k`;
  const raw = await db.$queryRaw<RawSubscription[]>`
    WITH ${matched}
    ${COLUMNS}, (SELECT count(*) FROM "matched") AS "total"
    FROM (SELECT t.* FROM (${keys}) k JOIN "Subscription" t ON t."id" = k."id") s ${JOINS} ${order}`;
  // An empty page says nothing of the count: asked on its own (no purchaser matches, or past the last page).
  const counted =
    raw.length > 0
      ? toCount(raw[0]!.total)
      : toCount(
          (
            await db.$queryRaw<Array<{ n: bigint | number }>>`
    SELECT count(*) AS "n" FROM (SELECT 1 FROM ${fromWords} ${whereOf(byWords)} LIMIT ${limitOf(cap + 1)}) c`
          )[0]?.n,
        );
  return pageOf(raw, page.size, older, counted);
}

/** The least string greater than every string starting with `prefix`, for ids (hex digits and dashes). */
function afterPrefix(prefix: string): string {
  const last = prefix.charAt(prefix.length - 1);
  // '9' -> 'a' keeps the bound right under collations that order punctuation apart from digits and letters.
  const next = last === '9' ? 'a' : String.fromCharCode(last.charCodeAt(0) + 1);
  return prefix.slice(0, -1) + next;
}

/**
 * A whole id, or an unambiguous prefix of one (at most two rows are read). The prefix is a range
 * of the primary key (`id >= prefix AND id < prefix-next`), which both databases seek; a LIKE
 * or startsWith is a full scan on SQLite. The check on the first characters keeps the answer
 * exact under any collation.
 */
export function findSubscriptionsByRef(db: Db, ref: string): Promise<SubscriptionRow[]> {
  return subscriptions(db, ...byRef(ref));
}

/** The conditions, order and limit of findSubscriptionsByRef. */
function byRef(ref: string): [Prisma.Sql[], Prisma.Sql, number] {
  const id = ref.toLowerCase();
  if (id.length === 36) return [[Prisma.sql`s."id" = ${id}`], Prisma.empty, 1];
  // Dashes sit at the same places in every id: the range can ignore a trailing one.
  const range = id.replace(/-+$/, '') || id;
  return [
    [Prisma.sql`s."id" >= ${range}`, Prisma.sql`s."id" < ${afterPrefix(range)}`, Prisma.sql`substr(s."id", 1, ${id.length}) = ${id}`],
    Prisma.sql`ORDER BY s."id"`,
    2,
  ];
}

/**
 * findSubscriptionsByRef with what `show` says of each (attribution.ts: where its decision and
 * holders come from, its first `users` current users), in the same statement.
 */
export async function findShownSubscriptionsByRef(
  db: Db,
  ref: string,
  users: number,
): Promise<Array<{ row: SubscriptionRow; origin: SubscriptionOrigin; users: ShownUser[] }>> {
  const [where, order, limit] = byRef(ref);
  const raw = await selectSubscriptions(db, where, order, limit, { extra: Prisma.sql`, ${originColumns(db, users)}`, joins: ORIGIN_JOIN });
  return raw.map((row) => ({ row: toRow(row), ...toOriginAndUsers(row as RawSubscription & RawOrigin) }));
}

/** A product's subscriptions: central ones first, then newest purchase first. */
export function findSubscriptionsOfProduct(db: Db, productId: string, status?: SubscriptionStatus): Promise<SubscriptionRow[]> {
  return subscriptions(
    db,
    conditionsOf(db, { productId, ...(status ? { status } : {}) }),
    Prisma.sql`ORDER BY s."isSelfService" ASC, s."purchasedAt" DESC, s."id" DESC`,
  );
}

/** Subscriptions by id, with what summaries need (rows for unknown ids are simply absent). */
export function findSubscriptionsByIds(db: Db, ids: string[]): Promise<SubscriptionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return subscriptions(db, [Prisma.sql`s."id" IN ${valuesTable(db, ids)}`]);
}

/** Licenses of a subscription removed at one instant (all those one cancellation removed). */
export function countLicensesRemovedAt(prisma: Pick<PrismaClient, 'licenseAssignment'>, subscriptionId: string, at: Date): Promise<number> {
  return prisma.licenseAssignment.count({ where: { subscriptionId, removedAt: at } });
}

function firstSeenIn(from: Date | null, to: Date): Prisma.Sql[] {
  return [Prisma.sql`s."isSelfService" = ${true}`, ...(from ? [Prisma.sql`s."firstSeenAt" > ${from}`] : []), Prisma.sql`s."firstSeenAt" <= ${to}`];
}

/**
 * Self-service subscriptions first seen in (from, to], by product name (the digest's order):
 * all of them, or the first `perProduct` of each product (a window function picks them in the
 * database, so a first digest over a whole tenant builds a few rows per product, not every one).
 */
export async function findSelfServiceFirstSeen(db: Db, from: Date | null, to: Date, perProduct?: number): Promise<SubscriptionRow[]> {
  const order = Prisma.sql`ORDER BY p."name", s."productId", s."firstSeenAt", s."id"`;
  if (perProduct === undefined) return subscriptions(db, firstSeenIn(from, to), order);
  const raw = await db.$queryRaw<RawSubscription[]>`${COLUMNS}
    FROM (
      SELECT * FROM (
        SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s."productId" ORDER BY s."firstSeenAt", s."id") AS "rowNumber"
        FROM "Subscription" s ${whereOf(firstSeenIn(from, to))}
      ) n WHERE n."rowNumber" <= ${perProduct}
    ) s ${JOINS} ${order}`;
  return raw.map(toRow);
}

export interface FirstSeenGroup {
  product: { id: string; name: string };
  /** null: prices unknown (and the subscriptions of no currency). */
  currency: string | null;
  count: number;
  active: number;
  /** Licenses of the active ones. */
  licenses: number;
  /** Of the active ones: how many have no known price, and what the known prices add up to a month. */
  unknownPrices: number;
  monthlyMinor: number;
}

/**
 * The self-service subscriptions first seen in (from, to] added up by the database, per product
 * and currency: how many, how many still active, their licenses and monthly spend (the digest's
 * totals, whatever the window holds).
 */
export async function summarizeSelfServiceFirstSeen(db: Db, from: Date | null, to: Date): Promise<FirstSeenGroup[]> {
  const active = Prisma.sql`s."status" = ${ACTIVE_STATUS}`;
  const rows = await db.$queryRaw<
    Array<{
      productId: string;
      productName: string;
      currency: string | null;
      count: bigint | number;
      active: bigint | number | null;
      licenses: bigint | number | null;
      unknownPrices: bigint | number | null;
      monthlyMinor: bigint | number | null;
    }>
  >`
    SELECT g."productId", p."name" AS "productName", g."currency", g."count", g."active", g."licenses", g."unknownPrices", g."monthlyMinor"
    FROM (
      SELECT s."productId", s."currency", count(*) AS "count",
        sum(CASE WHEN ${active} THEN 1 ELSE 0 END) AS "active",
        sum(CASE WHEN ${active} THEN s."licensesPurchased" ELSE 0 END) AS "licenses",
        sum(CASE WHEN ${active} AND (s."unitPriceMinor" IS NULL OR s."currency" IS NULL) THEN 1 ELSE 0 END) AS "unknownPrices",
        sum(CASE WHEN ${active} THEN CAST(s."unitPriceMinor" AS BIGINT) * s."licensesPurchased" ELSE 0 END) AS "monthlyMinor"
      FROM "Subscription" s ${whereOf(firstSeenIn(from, to))}
      GROUP BY s."productId", s."currency"
    ) g JOIN "Product" p ON p."id" = g."productId"
    ORDER BY p."name", g."productId", g."currency"`;
  return rows.map((r) => ({
    product: { id: r.productId, name: r.productName },
    currency: r.currency,
    count: toCount(r.count),
    active: toCount(r.active),
    licenses: toCount(r.licenses),
    unknownPrices: toCount(r.unknownPrices),
    monthlyMinor: toCount(r.monthlyMinor),
  }));
}

/** Active self-service subscriptions expiring in [from, to), soonest first (`limit` of them). */
export function findActiveSelfServiceExpiring(db: Db, from: Date, to: Date, limit?: number): Promise<SubscriptionRow[]> {
  return subscriptions(
    db,
    conditionsOf(db, { status: ACTIVE_STATUS, selfServiceOnly: true, expiresFrom: from, expiresBefore: to }),
    Prisma.sql`ORDER BY s."expiresAt", s."id"`,
    limit,
  );
}

/**
 * What active self-service subscriptions cost each month, per product and currency: read from
 * SelfServiceTotal, which the database keeps added up (integer minor units, widened so a large
 * tenant cannot overflow). A price is unknown when Graph brought the subscription and no import
 * priced it: such rows are counted (unknownPrices), never added as zero. domain/spend.ts
 * (spendOfGroups) reads the groups.
 */
export async function sumActiveSelfServiceSpend(
  db: Db,
): Promise<Array<{ product: { id: string; name: string }; currency: string | null; subscriptions: number; unknownPrices: number; monthlyMinor: number }>> {
  const rows = await db.$queryRaw<
    Array<{
      productId: string;
      productName: string;
      currency: string;
      subscriptions: bigint | number;
      unknownPrices: bigint | number | null;
      monthlyMinor: bigint | number | null;
    }>
  >`
    SELECT g."productId", p."name" AS "productName", g."currency", g."subscriptions", g."unknownPrices", g."monthlyMinor"
    FROM (
      SELECT t."productId", t."currency", sum(t."subscriptions") AS "subscriptions", sum(t."unknownPrices") AS "unknownPrices", sum(t."monthlyMinor") AS "monthlyMinor"
      FROM "SelfServiceTotal" t WHERE t."status" = ${ACTIVE_STATUS}
      GROUP BY t."productId", t."currency"
    ) g JOIN "Product" p ON p."id" = g."productId"
    WHERE g."subscriptions" > 0`;
  return rows.map((r) => ({
    product: { id: r.productId, name: r.productName },
    // '' is how the totals key the subscriptions of no currency.
    currency: r.currency === '' ? null : r.currency,
    subscriptions: toCount(r.subscriptions),
    unknownPrices: toCount(r.unknownPrices),
    monthlyMinor: toCount(r.monthlyMinor),
  }));
}

/** Everyone holding a license of the product's active subscriptions now, by name (a join, not a list of ids). */
export function findHoldersOfProduct(prisma: Pick<PrismaClient, 'licenseAssignment'>, productId: string) {
  return prisma.licenseAssignment.findMany({
    where: { removedAt: null, subscription: { productId, status: ACTIVE_STATUS } },
    select: { subscriptionId: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
  });
}

/** An admin's self-service decision; false when it was already exactly that (nothing written). */
export async function markSelfService(
  prisma: Pick<PrismaClient, 'subscription'>,
  id: string,
  decision: { isSelfService: boolean; by: string; at: Date },
): Promise<boolean> {
  const { count } = await prisma.subscription.updateMany({
    where: { id, NOT: { isSelfService: decision.isSelfService, selfServiceSource: 'admin' } },
    data: { isSelfService: decision.isSelfService, selfServiceSource: 'admin', selfServiceDecidedBy: decision.by, selfServiceDecidedAt: decision.at },
  });
  return count === 1;
}
