-- CreateTable
CREATE TABLE "SelfServiceTotal" (
    "status" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "isTrial" BOOLEAN NOT NULL,
    "subscriptions" INTEGER NOT NULL,
    "licenses" INTEGER NOT NULL,
    "monthlyMinor" BIGINT NOT NULL,
    "unknownPrices" INTEGER NOT NULL,

    PRIMARY KEY ("status", "productId", "currency", "isTrial")
);

-- SelfServiceTotal: self-service subscriptions added up once here, then kept by the triggers
-- below on every insert, change and delete of a subscription, whoever writes it. Prisma does not
-- know triggers: a later migration that rebuilds Subscription (RedefineTables) drops them and
-- must create them again (test/db/counters.test.ts fails otherwise).
INSERT INTO "SelfServiceTotal" ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
SELECT "status", "productId", coalesce("currency", ''), "isTrial", count(*), sum("licensesPurchased"),
  sum(CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END),
  sum(CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END)
FROM "Subscription" WHERE "isSelfService" GROUP BY "status", "productId", coalesce("currency", ''), "isTrial";

CREATE TRIGGER "Subscription_total_insert" AFTER INSERT ON "Subscription"
WHEN NEW."isSelfService"
BEGIN
  INSERT INTO "SelfServiceTotal" ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
  VALUES (NEW."status", NEW."productId", coalesce(NEW."currency", ''), NEW."isTrial", 1, NEW."licensesPurchased",
    CASE WHEN NEW."unitPriceMinor" IS NOT NULL AND NEW."currency" IS NOT NULL THEN CAST(NEW."unitPriceMinor" AS BIGINT) * NEW."licensesPurchased" ELSE 0 END,
    CASE WHEN NEW."unitPriceMinor" IS NULL OR NEW."currency" IS NULL THEN 1 ELSE 0 END)
  ON CONFLICT ("status", "productId", "currency", "isTrial") DO UPDATE SET
    "subscriptions" = "subscriptions" + excluded."subscriptions", "licenses" = "licenses" + excluded."licenses",
    "monthlyMinor" = "monthlyMinor" + excluded."monthlyMinor", "unknownPrices" = "unknownPrices" + excluded."unknownPrices";
END;

CREATE TRIGGER "Subscription_total_delete" AFTER DELETE ON "Subscription"
WHEN OLD."isSelfService"
BEGIN
  UPDATE "SelfServiceTotal" SET
    "subscriptions" = "subscriptions" - 1, "licenses" = "licenses" - OLD."licensesPurchased",
    "monthlyMinor" = "monthlyMinor" - CASE WHEN OLD."unitPriceMinor" IS NOT NULL AND OLD."currency" IS NOT NULL THEN CAST(OLD."unitPriceMinor" AS BIGINT) * OLD."licensesPurchased" ELSE 0 END,
    "unknownPrices" = "unknownPrices" - CASE WHEN OLD."unitPriceMinor" IS NULL OR OLD."currency" IS NULL THEN 1 ELSE 0 END
  WHERE "status" = OLD."status" AND "productId" = OLD."productId" AND "currency" = coalesce(OLD."currency", '') AND "isTrial" = OLD."isTrial";
END;

-- Only the columns the totals read: the license counter's updates (licensesAssigned) do not fire it.
CREATE TRIGGER "Subscription_total_update" AFTER UPDATE OF "status", "productId", "currency", "isTrial", "isSelfService", "licensesPurchased", "unitPriceMinor" ON "Subscription"
BEGIN
  UPDATE "SelfServiceTotal" SET
    "subscriptions" = "subscriptions" - 1, "licenses" = "licenses" - OLD."licensesPurchased",
    "monthlyMinor" = "monthlyMinor" - CASE WHEN OLD."unitPriceMinor" IS NOT NULL AND OLD."currency" IS NOT NULL THEN CAST(OLD."unitPriceMinor" AS BIGINT) * OLD."licensesPurchased" ELSE 0 END,
    "unknownPrices" = "unknownPrices" - CASE WHEN OLD."unitPriceMinor" IS NULL OR OLD."currency" IS NULL THEN 1 ELSE 0 END
  WHERE OLD."isSelfService" AND "status" = OLD."status" AND "productId" = OLD."productId" AND "currency" = coalesce(OLD."currency", '') AND "isTrial" = OLD."isTrial";
  INSERT INTO "SelfServiceTotal" ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
  SELECT NEW."status", NEW."productId", coalesce(NEW."currency", ''), NEW."isTrial", 1, NEW."licensesPurchased",
    CASE WHEN NEW."unitPriceMinor" IS NOT NULL AND NEW."currency" IS NOT NULL THEN CAST(NEW."unitPriceMinor" AS BIGINT) * NEW."licensesPurchased" ELSE 0 END,
    CASE WHEN NEW."unitPriceMinor" IS NULL OR NEW."currency" IS NULL THEN 1 ELSE 0 END
  WHERE NEW."isSelfService"
  ON CONFLICT ("status", "productId", "currency", "isTrial") DO UPDATE SET
    "subscriptions" = "subscriptions" + excluded."subscriptions", "licenses" = "licenses" + excluded."licenses",
    "monthlyMinor" = "monthlyMinor" + excluded."monthlyMinor", "unknownPrices" = "unknownPrices" + excluded."unknownPrices";
END;
