-- DropIndex
DROP INDEX "LicenseAssignment_userId_idx";

-- CreateTable
CREATE TABLE "LicensesHeld" (
    "userId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "licenses" INTEGER NOT NULL,

    PRIMARY KEY ("userId", "productId")
);

-- CreateIndex
CREATE INDEX "LicensesHeld_licenses_userId_productId_idx" ON "LicensesHeld"("licenses", "userId", "productId");

-- CreateIndex
CREATE INDEX "LicenseAssignment_userId_removedAt_subscriptionId_idx" ON "LicenseAssignment"("userId", "removedAt", "subscriptionId");

-- LicensesHeld: each person's current licenses of each product (whatever the subscription's
-- status), counted once here, then kept by the triggers below on every insert, removal (removedAt
-- set), return, move (subscriptionId or userId changed) and delete of a license, and when a
-- subscription's productId changes, whoever writes (the bot, a sync, an import, SQL by hand). A
-- person holds at most one license of a subscription (its unique key), so a subscription whose
-- product changes moves one license per holder. Prisma does not know triggers: a later migration
-- that rebuilds LicenseAssignment or Subscription (RedefineTables) drops them and must create
-- them again (test/db/counters.test.ts fails otherwise).
INSERT INTO "LicensesHeld" ("userId", "productId", "licenses")
SELECT a."userId", s."productId", count(*)
FROM "LicenseAssignment" a JOIN "Subscription" s ON s."id" = a."subscriptionId"
WHERE a."removedAt" IS NULL
GROUP BY a."userId", s."productId";

CREATE TRIGGER "LicenseAssignment_held_insert" AFTER INSERT ON "LicenseAssignment"
WHEN NEW."removedAt" IS NULL
BEGIN
  INSERT INTO "LicensesHeld" ("userId", "productId", "licenses")
  SELECT NEW."userId", s."productId", 1 FROM "Subscription" s WHERE s."id" = NEW."subscriptionId"
  ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = "licenses" + 1;
END;

CREATE TRIGGER "LicenseAssignment_held_delete" AFTER DELETE ON "LicenseAssignment"
WHEN OLD."removedAt" IS NULL
BEGIN
  UPDATE "LicensesHeld" SET "licenses" = "licenses" - 1
  WHERE "userId" = OLD."userId" AND "productId" = (SELECT s."productId" FROM "Subscription" s WHERE s."id" = OLD."subscriptionId");
END;

CREATE TRIGGER "LicenseAssignment_held_update" AFTER UPDATE OF "removedAt", "subscriptionId", "userId" ON "LicenseAssignment"
WHEN (OLD."removedAt" IS NULL) <> (NEW."removedAt" IS NULL) OR OLD."subscriptionId" <> NEW."subscriptionId" OR OLD."userId" <> NEW."userId"
BEGIN
  UPDATE "LicensesHeld" SET "licenses" = "licenses" - 1
  WHERE OLD."removedAt" IS NULL AND "userId" = OLD."userId"
    AND "productId" = (SELECT s."productId" FROM "Subscription" s WHERE s."id" = OLD."subscriptionId");
  INSERT INTO "LicensesHeld" ("userId", "productId", "licenses")
  SELECT NEW."userId", s."productId", 1 FROM "Subscription" s WHERE s."id" = NEW."subscriptionId" AND NEW."removedAt" IS NULL
  ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = "licenses" + 1;
END;

CREATE TRIGGER "Subscription_held_update" AFTER UPDATE OF "productId" ON "Subscription"
WHEN OLD."productId" <> NEW."productId"
BEGIN
  UPDATE "LicensesHeld" SET "licenses" = "licenses" - 1
  WHERE "productId" = OLD."productId"
    AND "userId" IN (SELECT a."userId" FROM "LicenseAssignment" a WHERE a."subscriptionId" = NEW."id" AND a."removedAt" IS NULL);
  INSERT INTO "LicensesHeld" ("userId", "productId", "licenses")
  SELECT a."userId", NEW."productId", 1 FROM "LicenseAssignment" a WHERE a."subscriptionId" = NEW."id" AND a."removedAt" IS NULL
  ON CONFLICT ("userId", "productId") DO UPDATE SET "licenses" = "licenses" + 1;
END;
