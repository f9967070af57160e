-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "licensesAssigned" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Subscription_licensesByPurchaser_idx" ON "Subscription"("productId", "status", "purchaserId", "licensesPurchased", "licensesAssigned");

-- Subscription.licensesAssigned: the licenses assigned now, counted once here, then kept by
-- the triggers below on every insert, removal (removedAt set), return and delete of a license,
-- whoever writes it (the bot, a sync, an import, SQL by hand). Statement-level triggers with
-- transition tables: a statement that moves 10,000 users updates each subscription once, not
-- once per row. Prisma does not know triggers: a later migration that drops and re-creates
-- LicenseAssignment must create them again (test/db/counters.test.ts fails otherwise).
UPDATE "Subscription" s SET "licensesAssigned" = c."n"
FROM (SELECT "subscriptionId", count(*) AS "n" FROM "LicenseAssignment" WHERE "removedAt" IS NULL GROUP BY "subscriptionId") c
WHERE c."subscriptionId" = s."id";

-- SET search_path FROM CURRENT: the function finds "Subscription" in the schema it was created
-- in, whatever the search_path of the session that fires it.
CREATE FUNCTION "LicenseAssignment_count"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Subscription" s SET "licensesAssigned" = s."licensesAssigned" + d."n"
    FROM (SELECT "subscriptionId", count(*) AS "n" FROM new_rows WHERE "removedAt" IS NULL GROUP BY "subscriptionId") d
    WHERE s."id" = d."subscriptionId";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Subscription" s SET "licensesAssigned" = s."licensesAssigned" - d."n"
    FROM (SELECT "subscriptionId", count(*) AS "n" FROM old_rows WHERE "removedAt" IS NULL GROUP BY "subscriptionId") d
    WHERE s."id" = d."subscriptionId";
  ELSE
    UPDATE "Subscription" s SET "licensesAssigned" = s."licensesAssigned" + d."n"
    FROM (
      SELECT "subscriptionId", sum("n") AS "n" FROM (
        SELECT "subscriptionId", 1 AS "n" FROM new_rows WHERE "removedAt" IS NULL
        UNION ALL
        SELECT "subscriptionId", -1 AS "n" FROM old_rows WHERE "removedAt" IS NULL
      ) x GROUP BY "subscriptionId" HAVING sum("n") <> 0
    ) d
    WHERE s."id" = d."subscriptionId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LicenseAssignment_count_insert" AFTER INSERT ON "LicenseAssignment"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_count"();

CREATE TRIGGER "LicenseAssignment_count_delete" AFTER DELETE ON "LicenseAssignment"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_count"();

CREATE TRIGGER "LicenseAssignment_count_update" AFTER UPDATE ON "LicenseAssignment"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LicenseAssignment_count"();
