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

    CONSTRAINT "SelfServiceTotal_pkey" PRIMARY KEY ("status","productId","currency","isTrial")
);

-- SelfServiceTotal: self-service subscriptions added up once here, then kept by the triggers
-- below on every insert, change and delete of a subscription, whoever writes it: statement-level
-- triggers with transition tables, so a bulk write adds its changes up once per statement. Prisma
-- does not know triggers: a later migration that re-creates Subscription must create them again
-- (test/db/counters.test.ts fails otherwise).
INSERT INTO "SelfServiceTotal" ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
SELECT "status", "productId", coalesce("currency", ''), "isTrial", count(*), sum("licensesPurchased"),
  sum(CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END),
  sum(CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END)
FROM "Subscription" WHERE "isSelfService" GROUP BY "status", "productId", coalesce("currency", ''), "isTrial";

-- SET search_path FROM CURRENT: the function finds the tables in the schema it was created in,
-- whatever the search_path of the session that fires it. A statement's changes are added up per
-- key (+1 for a row that came, -1 for one that went) and applied in key order (fewer lock waits
-- between concurrent writers). Each branch names only the transition tables its event has.
CREATE FUNCTION "Subscription_total"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH changes AS (SELECT 1 AS sign, * FROM new_rows WHERE "isSelfService")
    INSERT INTO "SelfServiceTotal" AS t ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
    SELECT "status", "productId", coalesce("currency", ''), "isTrial", sum(sign), sum(sign * "licensesPurchased"),
      sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END),
      sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END)
    FROM changes GROUP BY "status", "productId", coalesce("currency", ''), "isTrial"
    HAVING sum(sign) <> 0 OR sum(sign * "licensesPurchased") <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END) <> 0
    ORDER BY "status", "productId", coalesce("currency", ''), "isTrial"
    ON CONFLICT ("status", "productId", "currency", "isTrial") DO UPDATE SET
      "subscriptions" = t."subscriptions" + EXCLUDED."subscriptions", "licenses" = t."licenses" + EXCLUDED."licenses",
      "monthlyMinor" = t."monthlyMinor" + EXCLUDED."monthlyMinor", "unknownPrices" = t."unknownPrices" + EXCLUDED."unknownPrices";
  ELSIF TG_OP = 'DELETE' THEN
    WITH changes AS (SELECT -1 AS sign, * FROM old_rows WHERE "isSelfService")
    INSERT INTO "SelfServiceTotal" AS t ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
    SELECT "status", "productId", coalesce("currency", ''), "isTrial", sum(sign), sum(sign * "licensesPurchased"),
      sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END),
      sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END)
    FROM changes GROUP BY "status", "productId", coalesce("currency", ''), "isTrial"
    HAVING sum(sign) <> 0 OR sum(sign * "licensesPurchased") <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END) <> 0
    ORDER BY "status", "productId", coalesce("currency", ''), "isTrial"
    ON CONFLICT ("status", "productId", "currency", "isTrial") DO UPDATE SET
      "subscriptions" = t."subscriptions" + EXCLUDED."subscriptions", "licenses" = t."licenses" + EXCLUDED."licenses",
      "monthlyMinor" = t."monthlyMinor" + EXCLUDED."monthlyMinor", "unknownPrices" = t."unknownPrices" + EXCLUDED."unknownPrices";
  ELSE
    WITH changes AS (SELECT 1 AS sign, * FROM new_rows WHERE "isSelfService" UNION ALL SELECT -1 AS sign, * FROM old_rows WHERE "isSelfService")
    INSERT INTO "SelfServiceTotal" AS t ("status", "productId", "currency", "isTrial", "subscriptions", "licenses", "monthlyMinor", "unknownPrices")
    SELECT "status", "productId", coalesce("currency", ''), "isTrial", sum(sign), sum(sign * "licensesPurchased"),
      sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END),
      sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END)
    FROM changes GROUP BY "status", "productId", coalesce("currency", ''), "isTrial"
    HAVING sum(sign) <> 0 OR sum(sign * "licensesPurchased") <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NOT NULL AND "currency" IS NOT NULL THEN CAST("unitPriceMinor" AS BIGINT) * "licensesPurchased" ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN "unitPriceMinor" IS NULL OR "currency" IS NULL THEN 1 ELSE 0 END) <> 0
    ORDER BY "status", "productId", coalesce("currency", ''), "isTrial"
    ON CONFLICT ("status", "productId", "currency", "isTrial") DO UPDATE SET
      "subscriptions" = t."subscriptions" + EXCLUDED."subscriptions", "licenses" = t."licenses" + EXCLUDED."licenses",
      "monthlyMinor" = t."monthlyMinor" + EXCLUDED."monthlyMinor", "unknownPrices" = t."unknownPrices" + EXCLUDED."unknownPrices";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Subscription_total_insert" AFTER INSERT ON "Subscription"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "Subscription_total"();

CREATE TRIGGER "Subscription_total_delete" AFTER DELETE ON "Subscription"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "Subscription_total"();

CREATE TRIGGER "Subscription_total_update" AFTER UPDATE ON "Subscription"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "Subscription_total"();
