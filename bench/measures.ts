/**
 * What the bench measures: each operation through the service its listener or job calls
 * (`bot`), and the same answer from hand-written SQL through the raw driver (`floor`).
 */
import { addDays } from 'date-fns';
import type { PrismaClient } from '../src/db/client.js';
import { assignCentralLicenses } from '../src/services/centralize.js';
import type { ServiceContext } from '../src/services/context.js';
import { loadDashboard } from '../src/services/dashboard.js';
import { findSavings } from '../src/services/find-savings.js';
import { listPolicies } from '../src/services/list-policies.js';
import { listSubscriptions, type SubscriptionPage } from '../src/services/list-subscriptions.js';
import { selectDigest } from '../src/services/post-digest.js';
import { refreshSpendHistory } from '../src/services/post-report.js';
import { productLicenses } from '../src/services/product-licenses.js';
import { selectDueReminders } from '../src/services/send-reminders.js';
import { showSubscription } from '../src/services/show-subscription.js';
import { createLocalSubscriptionTenant } from '../src/tenant/local/subscription-tenant.js';
import { afterWordPrefix } from '../src/domain/words.js';
import type { RawDb, Row } from './raw.js';
import { BIG_PRODUCT, CENTRALIZE_PRODUCT, type TenantFacts } from './tenant.js';

export type Kind = 'interactive' | 'selection' | 'write';

export interface Measure {
  name: string;
  kind: Kind;
  /** What the floor is, in a few words. */
  floorIs: string;
  bot(): Promise<unknown>;
  floor(): Promise<unknown>;
  /** Puts the tenant back after a run that changed it (not timed). */
  reset?(): Promise<void>;
  /** Work done once before the runs (not timed), e.g. paging to the 100th page. */
  prepare?(): Promise<void>;
}

export const TARGETS: Record<Kind, string> = {
  interactive: '< 100 ms and ≤ 2× floor (or ≤ floor + 1 ms)',
  selection: '< 1 s',
  write: '< 1 s',
};

export function targetMet(kind: Kind, bot: number, floor: number): boolean {
  if (kind === 'interactive') return bot < 100 && (bot <= 2 * floor || bot - floor <= 1);
  return bot < 1000;
}

const ADMIN = { slackUserId: 'U0BENCHADM' };
const PAGE = 20;
const CAP = 1000;

/** The columns a subscription summary is made of, with its current licenses (counted by the database's triggers). */
const SUBSCRIPTION_COLUMNS = `
  s."id", s."productId", p."name" AS "productName", s."isSelfService", s."purchaserId", u."name" AS "purchaserName",
  u."email" AS "purchaserEmail", u."slackUserId", s."licensesPurchased", s."purchasedAt", s."expiresAt", s."unitPriceMinor",
  s."currency", s."isTrial", s."status", s."cancelledAt", s."cancelledBy", s."cancelReason", s."cancelComment", s."firstSeenAt",
  s."licensesAssigned" AS "assigned"`;
const SUBSCRIPTION_FROM = `
  FROM "Subscription" s JOIN "Product" p ON p."id" = s."productId" LEFT JOIN "Person" u ON u."id" = s."purchaserId"`;

function newId(raw: RawDb): string {
  return raw.dialect === 'postgresql'
    ? 'gen_random_uuid()::text'
    : `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
}

async function productId(raw: RawDb, name: string): Promise<string> {
  const [row] = await raw.all(`SELECT "id" FROM "Product" WHERE "name" = ?`, [name]);
  return row!.id as string;
}

/** Subscription summaries of the rows `where` and `order` pick (at most `limit`), counted after they are picked. */
function page(where: string, order: string, limit: number): string {
  return `SELECT ${SUBSCRIPTION_COLUMNS}
    FROM (SELECT s.* FROM "Subscription" s WHERE ${where} ${order} LIMIT ${limit}) s
    JOIN "Product" p ON p."id" = s."productId" LEFT JOIN "Person" u ON u."id" = s."purchaserId" ${order}`;
}

/** A list page and its total (counted up to CAP + 1), in one statement. */
function listPage(raw: RawDb, where: string, params: Array<string | number | boolean | Date>, keyset?: { purchasedAt: Date; id: string }): Promise<Row[]> {
  const after = keyset ? ` AND (s."purchasedAt", s."id") < (?, ?)` : '';
  return raw.all(
    `SELECT t.*, (SELECT count(*) FROM (SELECT 1 FROM "Subscription" s WHERE ${where} LIMIT ${CAP + 1}) c) AS "total"
     FROM (${page(`${where}${after}`, `ORDER BY s."purchasedAt" DESC, s."id" DESC`, PAGE + 1)}) t`,
    [...params, ...params, ...(keyset ? [keyset.purchasedAt, keyset.id] : [])],
  );
}

/**
 * A list page of the purchasers with a word starting with each of `prefixes`, and its total, in
 * one statement. The total starts from the word index (each matching person's subscriptions, up
 * to CAP + 1); the page too when `fromWords` (few match), else it reads the newest rows in date
 * order and asks the word index about each purchaser. No check that a person counts once: the
 * bench's people have one word per start looked for.
 */
function purchaserWordsPage(raw: RawDb, prefixes: string[], fromWords: boolean): Promise<Row[]> {
  const range = (column: string) => `${column} >= ? AND ${column} < ?`;
  const bounds = (prefix: string) => [prefix, afterWordPrefix(prefix)];
  const [first, ...others] = prefixes as [string, ...string[]];
  const personHas = (person: string) =>
    others.map(() => ` AND EXISTS (SELECT 1 FROM "PersonWord" x WHERE x."personId" = ${person} AND ${range('x."word"')})`).join('');
  const active = `s."status" = 'Active' AND s."isSelfService" = ?`;
  const byWords = `${range('m."word"')}${personHas('m."personId"')} AND s."purchaserId" = m."personId" AND ${active}`;
  const wordParams = [...bounds(first), ...others.flatMap(bounds), true];
  const order = `ORDER BY s."purchasedAt" DESC, s."id" DESC`;
  const picked = fromWords
    ? `SELECT s.* FROM "PersonWord" m CROSS JOIN "Subscription" s WHERE ${byWords} ${order} LIMIT ${PAGE + 1}`
    : `SELECT s.* FROM "Subscription" s WHERE ${prefixes.map(() => `EXISTS (SELECT 1 FROM "PersonWord" w WHERE w."personId" = s."purchaserId" AND ${range('w."word"')})`).join(' AND ')} AND ${active} ${order} LIMIT ${PAGE + 1}`;
  const pickedParams = fromWords ? wordParams : [...prefixes.flatMap(bounds), true];
  return raw.all(
    `SELECT ${SUBSCRIPTION_COLUMNS},
       (SELECT count(*) FROM (SELECT 1 FROM "PersonWord" m CROSS JOIN "Subscription" s WHERE ${byWords} LIMIT ${CAP + 1}) c) AS "total"
     FROM (${picked}) s JOIN "Product" p ON p."id" = s."productId" LEFT JOIN "Person" u ON u."id" = s."purchaserId" ${order}`,
    [...wordParams, ...pickedParams],
  );
}

export function measures(ctx: ServiceContext, raw: RawDb, facts: TenantFacts): Measure[] {
  const { prisma, now } = ctx;
  const active = `s."status" = 'Active' AND s."isSelfService" = ?`;
  const until30 = addDays(now, 30);
  const shortId = facts.showId.slice(0, 8);
  let hundredth: string | undefined;
  let hundredthAnchor: { purchasedAt: Date; id: string } | undefined;
  const tenant = createLocalSubscriptionTenant(prisma as PrismaClient);

  return [
    {
      name: 'list, first page',
      kind: 'interactive',
      floorIs: 'page + capped count',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active' } }),
      floor: () => listPage(raw, active, [true]),
    },
    {
      name: 'list, 100th page',
      kind: 'interactive',
      floorIs: 'row-value keyset page + capped count',
      prepare: async () => {
        let page: SubscriptionPage = await listSubscriptions(ctx, { filters: { status: 'active' } });
        for (let n = 2; n < 100; n++) page = await listSubscriptions(ctx, { cursor: page.nextCursor! });
        hundredth = page.nextCursor!;
        const last = page.items[page.items.length - 1]!;
        hundredthAnchor = { purchasedAt: last.purchasedAt, id: last.id };
      },
      bot: () => listSubscriptions(ctx, { cursor: hundredth! }),
      floor: () => listPage(raw, active, [true], hundredthAnchor),
    },
    {
      name: `list ${BIG_PRODUCT} expiring:30`,
      kind: 'interactive',
      floorIs: 'page + capped count',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active', product: BIG_PRODUCT, expiringDays: 30 } }),
      floor: async () =>
        listPage(raw, `s."productId" = ? AND ${active} AND s."expiresAt" >= ? AND s."expiresAt" < ?`, [facts.bigProduct.id, true, now, until30]),
    },
    {
      name: 'list purchaser:<email>',
      kind: 'interactive',
      floorIs: 'page by the email index + capped count',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active', purchaser: facts.purchaserEmail } }),
      floor: () => listPage(raw, `s."purchaserId" = (SELECT "id" FROM "Person" WHERE "email" = ?) AND ${active}`, [facts.purchaserEmail, true]),
    },
    // A last name: a purchaser in 25 (1,000 of them at 100k), more subscriptions than the cap.
    {
      name: 'list purchaser:<part of a name>',
      kind: 'interactive',
      floorIs: 'capped count from the word index + page in date order',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'desai' } }),
      floor: () => purchaserWordsPage(raw, ['desai'], false),
    },
    // Two word starts: a purchaser in 625 (40 at 100k), fewer subscriptions than the cap.
    {
      name: 'list purchaser:"<two word starts>"',
      kind: 'interactive',
      floorIs: 'count + page from the word index',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'meera des' } }),
      floor: () => purchaserWordsPage(raw, ['meera', 'des'], true),
    },
    // Every person's email domain: a word of the whole tenant.
    {
      name: 'list purchaser:<common word>',
      kind: 'interactive',
      floorIs: 'capped count from the word index + page in date order',
      bot: () => listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'contoso' } }),
      floor: () => purchaserWordsPage(raw, ['contoso'], false),
    },
    {
      name: 'show <8-char id>',
      kind: 'interactive',
      floorIs: 'id range + first 20 users',
      bot: () => showSubscription(ctx, shortId),
      floor: async () => {
        const [row] = await raw.all(page(`s."id" >= ? AND s."id" < ?`, `ORDER BY s."id"`, 2), [shortId, `${shortId}g`]);
        return raw.all(
          `SELECT u."name", u."email", a."assignedAt" FROM "LicenseAssignment" a JOIN "Person" u ON u."id" = a."userId"
           WHERE a."subscriptionId" = ? AND a."removedAt" IS NULL ORDER BY u."name", a."id" LIMIT 20`,
          [row!.id as string],
        );
      },
    },
    {
      name: `licenses ${BIG_PRODUCT}`,
      kind: 'interactive',
      floorIs: 'totals, top 20 purchasers, 15 users each',
      bot: () => productLicenses(ctx, BIG_PRODUCT),
      floor: () => licensesFloor(raw, facts.bigProduct.id),
    },
    {
      name: 'App Home numbers',
      kind: 'interactive',
      floorIs: 'kept totals, expiring 10 + count, pending',
      bot: () => loadDashboard(ctx),
      floor: async () => {
        // Counts and spend from the totals the database keeps (SelfServiceTotal), as the bot reads them.
        const counts = await raw.all(
          `SELECT sum(CASE WHEN "status" = 'Active' THEN "subscriptions" ELSE 0 END) AS active,
             sum(CASE WHEN "status" = 'Deleted' THEN "subscriptions" ELSE 0 END) AS deleted,
             sum(CASE WHEN "status" = 'Active' AND "isTrial" = ? THEN "subscriptions" ELSE 0 END) AS trials
           FROM "SelfServiceTotal"`,
          [true],
        );
        const spend = await raw.all(
          `SELECT g.*, p."name" FROM (
             SELECT "productId", "currency", sum("subscriptions") AS n, sum("monthlyMinor") AS monthly, sum("unknownPrices") AS unknown
             FROM "SelfServiceTotal" WHERE "status" = 'Active' GROUP BY "productId", "currency") g
           JOIN "Product" p ON p."id" = g."productId"`,
        );
        const expiring = await raw.all(
          `SELECT t.*, (SELECT count(*) FROM "Subscription" s WHERE ${active} AND s."expiresAt" >= ? AND s."expiresAt" < ?) AS "total"
           FROM (${page(`${active} AND s."expiresAt" >= ? AND s."expiresAt" < ?`, `ORDER BY s."expiresAt", s."id"`, 10)}) t`,
          [true, now, until30, true, now, until30],
        );
        const pending = await raw.all(`SELECT count(*) AS n FROM "TakeoverRequest" WHERE "status" = 'PENDING'`);
        return { counts, spend, expiring, pending };
      },
    },
    {
      name: 'savings finder',
      kind: 'selection',
      floorIs: 'each active license ranked per person and product, free seats counted',
      bot: () => findSavings(ctx, { centralPrices: [], licensesPerProduct: false }),
      floor: async () => {
        const twice = await raw.all(
          `SELECT "productId", count(*) AS n FROM (
             SELECT s."productId", s."isSelfService", row_number() OVER (PARTITION BY a."userId", s."productId" ORDER BY s."isSelfService", s."purchasedAt", s."id") AS r
             FROM "LicenseAssignment" a JOIN "Subscription" s ON s."id" = a."subscriptionId" WHERE a."removedAt" IS NULL AND s."status" = 'Active') x
           WHERE r > 1 AND "isSelfService" = ? GROUP BY "productId"`,
          [true],
        );
        const free = await raw.all(
          `SELECT count(*) AS n FROM "Subscription" s WHERE ${active}
             AND (SELECT count(*) FROM "LicenseAssignment" a WHERE a."subscriptionId" = s."id" AND a."removedAt" IS NULL) < s."licensesPurchased"`,
          [true],
        );
        return { twice, free };
      },
    },
    {
      name: 'spend history rebuild',
      kind: 'write',
      floorIs: 'active self-service subscriptions per product and purchase day, grouped',
      bot: () => refreshSpendHistory(ctx),
      floor: () =>
        raw.all(
          `SELECT "productId", "currency", substr(CAST("purchasedAt" AS TEXT), 1, 10) AS d, count(*) AS n FROM "Subscription" WHERE "isSelfService" = ? GROUP BY 1, 2, 3`,
          [true],
        ),
    },
    {
      name: 'policy list',
      kind: 'interactive',
      floorIs: 'products by kind and name',
      bot: () => listPolicies(ctx),
      floor: () =>
        raw.all(`SELECT "id", "kind", "name", "policyValue", "policyChangedAt", "policyChangedBy", "firstSeenAt",
                   (SELECT "value" FROM "JobState" WHERE "key" = 'policy.lastSync') AS "lastSync"
                 FROM "Product" ORDER BY "kind" DESC, "name"`),
    },
    {
      name: 'first digest (every purchase)',
      kind: 'selection',
      floorIs: 'totals by product and currency; first 5 of each product',
      bot: () => selectDigest(prisma, null, now),
      floor: async () => {
        const totals = await raw.all(
          `SELECT s."productId", s."currency", count(*) AS n, sum(CASE WHEN s."status" = 'Active' THEN 1 ELSE 0 END) AS active,
             sum(CASE WHEN s."status" = 'Active' THEN s."licensesPurchased" ELSE 0 END) AS licenses,
             sum(CASE WHEN s."status" = 'Active' THEN CAST(s."unitPriceMinor" AS BIGINT) * s."licensesPurchased" ELSE 0 END) AS monthly
           FROM "Subscription" s WHERE s."isSelfService" = ? AND s."firstSeenAt" <= ? GROUP BY s."productId", s."currency"`,
          [true, now],
        );
        const listed = await raw.all(
          `SELECT ${SUBSCRIPTION_COLUMNS} FROM (SELECT * FROM (
             SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s."productId" ORDER BY s."firstSeenAt", s."id") AS rn
             FROM "Subscription" s WHERE s."isSelfService" = ? AND s."firstSeenAt" <= ?) n WHERE n.rn <= 5) s
           JOIN "Product" p ON p."id" = s."productId" LEFT JOIN "Person" u ON u."id" = s."purchaserId"
           ORDER BY p."name", s."productId", s."firstSeenAt", s."id"`,
          [true, now],
        );
        return { totals, listed };
      },
    },
    {
      name: 'reminder selection',
      kind: 'selection',
      floorIs: 'expiring in 32 days, counted; reminders sent',
      bot: () => selectDueReminders(ctx, [30, 7, 1]),
      floor: async () => {
        const [from, to] = [addDays(now, -1), addDays(now, 32)];
        const rows = await raw.all(
          `SELECT ${SUBSCRIPTION_COLUMNS} ${SUBSCRIPTION_FROM} WHERE ${active} AND s."expiresAt" >= ? AND s."expiresAt" < ? ORDER BY s."expiresAt", s."id"`,
          [true, from, to],
        );
        const sent = await raw.all(`SELECT "subscriptionId", "thresholdDays", "expiresAt" FROM "ReminderSent" WHERE "expiresAt" >= ? AND "expiresAt" < ?`, [
          from,
          to,
        ]);
        return { rows, sent };
      },
    },
    {
      name: 'move 10k users',
      kind: 'write',
      floorIs: 'INSERT … SELECT, cancel, remove',
      bot: async () => {
        const result = await tenant.moveUsers({
          fromSubscriptionId: facts.moveFrom,
          toSubscriptionId: facts.moveTo,
          actor: ADMIN.slackUserId,
          cancelReason: 'bench',
          now,
        });
        if (!result.ok) throw new Error(result.reason);
      },
      floor: () =>
        raw.transaction([
          [`UPDATE "Subscription" SET "updatedAt" = ? WHERE "id" = ? AND "status" = 'Active'`, [now, facts.moveTo]],
          [
            `INSERT INTO "LicenseAssignment" ("id", "subscriptionId", "userId", "assignedAt")
             SELECT ${newId(raw)}, ?, a."userId", ? FROM "LicenseAssignment" a WHERE a."subscriptionId" = ? AND a."removedAt" IS NULL`,
            [facts.moveTo, now, facts.moveFrom],
          ],
          [
            `UPDATE "Subscription" SET "status" = 'Deleted', "cancelledAt" = ?, "cancelledBy" = ?, "cancelReason" = 'bench' WHERE "id" = ? AND "status" = 'Active'`,
            [now, ADMIN.slackUserId, facts.moveFrom],
          ],
          [`UPDATE "LicenseAssignment" SET "removedAt" = ? WHERE "subscriptionId" = ? AND "removedAt" IS NULL`, [now, facts.moveFrom]],
        ]),
      reset: () =>
        raw.transaction([
          [`UPDATE "Subscription" SET "status" = 'Active', "cancelledAt" = NULL, "cancelledBy" = NULL, "cancelReason" = NULL WHERE "id" = ?`, [facts.moveFrom]],
          [`UPDATE "LicenseAssignment" SET "removedAt" = NULL WHERE "subscriptionId" = ?`, [facts.moveFrom]],
          [`DELETE FROM "LicenseAssignment" WHERE "subscriptionId" = ?`, [facts.moveTo]],
        ]),
    },
    {
      name: 'centralize: assign 10k licenses',
      kind: 'write',
      floorIs: 'one INSERT … SELECT of the holders',
      bot: async () => assignCentralLicenses(ctx, tenant, ADMIN, await productId(raw, CENTRALIZE_PRODUCT)),
      floor: async () => {
        const id = await productId(raw, CENTRALIZE_PRODUCT);
        await raw.transaction([
          [
            `INSERT INTO "LicenseAssignment" ("id", "subscriptionId", "userId", "assignedAt")
             SELECT ${newId(raw)}, ?, h."userId", ? FROM (
               SELECT DISTINCT a."userId" FROM "LicenseAssignment" a JOIN "Subscription" s ON s."id" = a."subscriptionId"
               WHERE s."productId" = ? AND s."status" = 'Active' AND s."isSelfService" = ? AND a."removedAt" IS NULL) h
             WHERE h."userId" NOT IN (SELECT c."userId" FROM "LicenseAssignment" c JOIN "Subscription" cs ON cs."id" = c."subscriptionId"
               WHERE cs."productId" = ? AND cs."status" = 'Active' AND cs."isSelfService" = ? AND c."removedAt" IS NULL)`,
            [facts.centralizeCentral, now, id, true, id, false],
          ],
        ]);
      },
      reset: () => raw.transaction([[`DELETE FROM "LicenseAssignment" WHERE "subscriptionId" = ?`, [facts.centralizeCentral]]]),
    },
  ];
}

/**
 * The first page of `licenses <product>`: available, assigned and free over the product's active
 * subscriptions, the 20 purchasers holding the most licenses (central subscriptions first) and
 * the first 15 users of each, by name.
 */
async function licensesFloor(raw: RawDb, productId: string): Promise<unknown> {
  const groups = `
    WITH subs AS (
      SELECT s."id", s."purchaserId", s."licensesPurchased", s."licensesAssigned" AS assigned
      FROM "Subscription" s WHERE s."productId" = ? AND s."status" = 'Active'
    )
    SELECT g."purchaserId", g.licenses, g.assigned, g.subscriptions, u."name", u."email",
      (SELECT sum("licensesPurchased") FROM subs) AS "available", (SELECT sum(assigned) FROM subs) AS "assignedTotal"
    FROM (SELECT "purchaserId", sum("licensesPurchased") AS licenses, sum(assigned) AS assigned, count(*) AS subscriptions FROM subs GROUP BY "purchaserId") g
    LEFT JOIN "Person" u ON u."id" = g."purchaserId"
    ORDER BY g."purchaserId" IS NULL DESC, g.assigned DESC, u."name", g."purchaserId" LIMIT ${PAGE + 1}`;
  const page = await raw.all(groups, [productId]);
  const purchasers = page
    .slice(0, PAGE)
    .map((g) => g.purchaserId as string | null)
    .filter((id): id is string => id !== null);
  const users = await raw.all(
    `SELECT "purchaserId", "name" FROM (
       SELECT s."purchaserId", u."name", ROW_NUMBER() OVER (PARTITION BY s."purchaserId" ORDER BY u."name", a."id") AS n
       FROM "Subscription" s JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL JOIN "Person" u ON u."id" = a."userId"
       WHERE s."productId" = ? AND s."status" = 'Active' AND (s."purchaserId" IS NULL OR s."purchaserId" IN (${purchasers.map(() => '?').join(', ') || 'NULL'}))
     ) t WHERE n <= 15`,
    [productId, ...purchasers],
  );
  return { page, users };
}
