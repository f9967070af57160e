-- DropIndex
DROP INDEX "LicenseAssignment_userId_idx";

-- CreateTable
CREATE TABLE "LicensesHeld" (
    "userId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "licenses" INTEGER NOT NULL,

    CONSTRAINT "LicensesHeld_pkey" PRIMARY KEY ("userId","productId")
);

-- CreateIndex
CREATE INDEX "LicensesHeld_licenses_userId_productId_idx" ON "LicensesHeld"("licenses", "userId", "productId");

-- CreateIndex
CREATE INDEX "LicenseAssignment_userId_removedAt_subscriptionId_idx" ON "LicenseAssignment"("userId", "removedAt", "subscriptionId");

-- LicensesHeld: each person's current licenses of each product (whatever the subscription's
-- status), counted once here, then kept by the triggers below on every insert, removal (removedAt
-- set), return, move (subscriptionId or userId changed) and delete of a license, and when a
-- subscription's productId changes, whoever writes (the bot, a sync, an import, SQL by hand).
-- Statement-level triggers with transition tables: a statement's changes are added up per person
-- and product (+1 for a license that came, -1 for one that went) and applied once, in key order
-- (fewer lock waits between concurrent writers). Prisma does not know triggers: a later migration
-- that re-creates LicenseAssignment or Subscription must create them again
-- (test/db/counters.test.ts fails otherwise).
INSERT INTO "LicensesHeld" ("userId", "productId", "licenses")
SELECT a."userId", s."productId", count(*)
FROM "LicenseAssignment" a JOIN "Subscription" s ON s."id" = a."subscriptionId"
WHERE a."removedAt" IS NULL
GROUP BY a."userId", s."productId";

-- SET search_path FROM CURRENT: the functions find the tables in the schema they were created
-- in, whatever the search_path of the session that fires them. Each branch names only the
-- transition tables its event has; an update's rows are netted per license holder and
-- subscription first, so a statement that changes other columns joins nothing.
CREATE FUNCTION "LicenseAssignment_held"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LicensesHeld" AS h ("userId", "productId", "licenses")
    SELECT c."userId", s."productId", count(*)
    FROM new_rows c JOIN "Subscription" s ON s."id" = c."subscriptionId"
    WHERE c."removedAt" IS NULL
    GROUP BY c."userId", s."productId"
    ORDER BY c."userId", s."productId"
    ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = h."licenses" + EXCLUDED."licenses";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "LicensesHeld" h SET "licenses" = h."licenses" - d."n"
    FROM (
      SELECT c."userId", s."productId", count(*) AS "n"
      FROM old_rows c JOIN "Subscription" s ON s."id" = c."subscriptionId"
      WHERE c."removedAt" IS NULL
      GROUP BY c."userId", s."productId"
    ) d
    WHERE h."userId" = d."userId" AND h."productId" = d."productId";
  ELSE
    WITH changes AS (
      SELECT x."userId", x."subscriptionId", sum(x."sign") AS "n" FROM (
        SELECT "userId", "subscriptionId", 1 AS "sign" FROM new_rows WHERE "removedAt" IS NULL
        UNION ALL
        SELECT "userId", "subscriptionId", -1 AS "sign" FROM old_rows WHERE "removedAt" IS NULL
      ) x GROUP BY x."userId", x."subscriptionId" HAVING sum(x."sign") <> 0
    )
    INSERT INTO "LicensesHeld" AS h ("userId", "productId", "licenses")
    SELECT c."userId", s."productId", sum(c."n")
    FROM changes c JOIN "Subscription" s ON s."id" = c."subscriptionId"
    GROUP BY c."userId", s."productId" HAVING sum(c."n") <> 0
    ORDER BY c."userId", s."productId"
    ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = h."licenses" + EXCLUDED."licenses";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LicenseAssignment_held_insert" AFTER INSERT ON "LicenseAssignment"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_held"();

CREATE TRIGGER "LicenseAssignment_held_delete" AFTER DELETE ON "LicenseAssignment"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_held"();

CREATE TRIGGER "LicenseAssignment_held_update" AFTER UPDATE ON "LicenseAssignment"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_held"();

-- A subscription whose product changes takes its current licenses (one a holder: its unique
-- key) from the old product's counts to the new one's. Transition tables cannot go with a column
-- list (UPDATE OF "productId"): the statements that change other columns (the license counter's
-- among them) find no product changed and write nothing.
CREATE FUNCTION "Subscription_held"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  WITH moved AS (
    SELECT n."id", o."productId" AS "from", n."productId" AS "to"
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE o."productId" <> n."productId"
  ),
  changes AS (
    SELECT a."userId", m."from" AS "productId", -1 AS "sign" FROM moved m JOIN "LicenseAssignment" a ON a."subscriptionId" = m."id" AND a."removedAt" IS NULL
    UNION ALL
    SELECT a."userId", m."to" AS "productId", 1 AS "sign" FROM moved m JOIN "LicenseAssignment" a ON a."subscriptionId" = m."id" AND a."removedAt" IS NULL
  )
  INSERT INTO "LicensesHeld" AS h ("userId", "productId", "licenses")
  SELECT c."userId", c."productId", sum(c."sign")
  FROM changes c
  GROUP BY c."userId", c."productId" HAVING sum(c."sign") <> 0
  ORDER BY c."userId", c."productId"
  ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = h."licenses" + EXCLUDED."licenses";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Subscription_held_update" AFTER UPDATE ON "Subscription"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "Subscription_held"();
