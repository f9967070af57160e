/**
 * What the database keeps counted with triggers, so that pages, `licenses` and App Home never
 * count the whole tenant:
 * - Subscription.licensesAssigned, the licenses a subscription has assigned now (triggers on
 *   LicenseAssignment, migration 20261202040352_licenses_assigned_counter);
 * - SelfServiceTotal, self-service subscriptions added up per status, product, currency and trial
 *   (triggers on Subscription, migration 20261202041725_self_service_totals);
 * - Person.searchName, lower(name) for `list purchaser:` (triggers on Person, migration
 *   20261202043748_person_search_name);
 * - PersonWord, each person's words for `list purchaser:<start of a word>` (triggers on Person,
 *   migration 20261202062828_person_words): made again whole, a table derived like an index.
 * A bulk load that goes around the triggers (a copy between databases, a restore with triggers
 * off) counts once afterwards with these statements, the same the migrations ran.
 */
import type { DatabaseProvider } from '../migrate.js';
import { postgresFolded, sqliteWordsJson } from '../person-words-sql.js';

const KNOWN_MONTHLY = `CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END`;
const UNKNOWN_PRICE = `CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END`;
const RECOUNT_TOTALS = [
  `DELETE FROM "SelfServiceTotal"`,
  `INSERT INTO "SelfServiceTotal" ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
   SELECT "status", "productId", coalesce("currency", ''), "isTrial", count(*), sum("licensesPurchased"), sum(${KNOWN_MONTHLY}), sum(${UNKNOWN_PRICE})
   FROM "Subscription" WHERE "isSelfService" GROUP BY "status", "productId", coalesce("currency", ''), "isTrial"`,
];

/**
 * Tables the triggers fill whole from other tables' rows: a copy leaves them to the target's
 * triggers (copying them too would add each row twice).
 */
export const DERIVED_TABLES: readonly string[] = ['PersonWord'];

export const RECOUNT_STATEMENTS: Record<DatabaseProvider, string[]> = {
  sqlite: [
    `UPDATE "Subscription" SET "licensesAssigned" = (
      SELECT count(*) FROM "LicenseAssignment" a WHERE a."subscriptionId" = "Subscription"."id" AND a."removedAt" IS NULL)`,
    ...RECOUNT_TOTALS,
    `UPDATE "Person" SET "searchName" = lower("name") WHERE "searchName" IS NOT lower("name")`,
    `DELETE FROM "PersonWord"`,
    `INSERT OR IGNORE INTO "PersonWord" ("word", "personId")
     SELECT w."value", p."id" FROM "Person" p, json_each(${sqliteWordsJson(`p."name" || ' ' || p."email"`)}) w WHERE w."value" <> ''`,
  ],
  postgresql: [
    `UPDATE "Subscription" s SET "licensesAssigned" = coalesce(c."n", 0)
      FROM "Subscription" t LEFT JOIN (
        SELECT "subscriptionId", count(*) AS "n" FROM "LicenseAssignment" WHERE "removedAt" IS NULL GROUP BY "subscriptionId"
      ) c ON c."subscriptionId" = t."id"
      WHERE t."id" = s."id" AND s."licensesAssigned" IS DISTINCT FROM coalesce(c."n", 0)`,
    ...RECOUNT_TOTALS,
    `UPDATE "Person" SET "searchName" = lower("name") WHERE "searchName" IS DISTINCT FROM lower("name")`,
    // Words of a million people: filled without its indexes, built after (a tenth of the time), and
    // without calling person_words() per person (its call costs more than its work).
    `DELETE FROM "PersonWord"`,
    `DROP INDEX "PersonWord_personId_word_idx"`,
    `ALTER TABLE "PersonWord" DROP CONSTRAINT "PersonWord_pkey"`,
    `INSERT INTO "PersonWord" ("word", "personId")
     SELECT DISTINCT w, p."id" FROM "Person" p, regexp_split_to_table(${postgresFolded(`(p."name" || ' ' || p."email")`)}, ' +') w WHERE w <> ''`,
    `ALTER TABLE "PersonWord" ADD CONSTRAINT "PersonWord_pkey" PRIMARY KEY ("word", "personId")`,
    `CREATE INDEX "PersonWord_personId_word_idx" ON "PersonWord"("personId", "word")`,
  ],
};
