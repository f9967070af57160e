-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "isSelfService" BOOLEAN NOT NULL DEFAULT true,
    "purchaserId" TEXT,
    "selfServiceSource" TEXT NOT NULL DEFAULT 'local',
    "selfServiceDecidedBy" TEXT,
    "selfServiceDecidedAt" DATETIME,
    "licensesPurchased" INTEGER NOT NULL,
    "licensesAssigned" INTEGER NOT NULL DEFAULT 0,
    "purchasedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "unitPriceMinor" INTEGER,
    "currency" TEXT,
    "isTrial" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "graphId" TEXT,
    "commerceSubscriptionId" TEXT,
    "skuId" TEXT,
    "tenantStatus" TEXT,
    "seenDeletedAt" DATETIME,
    "cancelledAt" DATETIME,
    "cancelledBy" TEXT,
    "cancelReason" TEXT,
    "cancelComment" TEXT,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL DEFAULT 'local',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Subscription_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Subscription_purchaserId_fkey" FOREIGN KEY ("purchaserId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Subscription" ("cancelComment", "cancelReason", "cancelledAt", "cancelledBy", "commerceSubscriptionId", "createdAt", "currency", "expiresAt", "firstSeenAt", "graphId", "id", "isSelfService", "isTrial", "licensesPurchased", "productId", "purchasedAt", "purchaserId", "seenDeletedAt", "selfServiceDecidedAt", "selfServiceDecidedBy", "selfServiceSource", "skuId", "source", "status", "tenantStatus", "unitPriceMinor", "updatedAt") SELECT "cancelComment", "cancelReason", "cancelledAt", "cancelledBy", "commerceSubscriptionId", "createdAt", "currency", "expiresAt", "firstSeenAt", "graphId", "id", "isSelfService", "isTrial", "licensesPurchased", "productId", "purchasedAt", "purchaserId", "seenDeletedAt", "selfServiceDecidedAt", "selfServiceDecidedBy", "selfServiceSource", "skuId", "source", "status", "tenantStatus", "unitPriceMinor", "updatedAt" FROM "Subscription";
DROP TABLE "Subscription";
ALTER TABLE "new_Subscription" RENAME TO "Subscription";
CREATE UNIQUE INDEX "Subscription_graphId_key" ON "Subscription"("graphId");
CREATE INDEX "Subscription_status_isSelfService_purchasedAt_id_idx" ON "Subscription"("status", "isSelfService", "purchasedAt", "id");
CREATE INDEX "Subscription_isSelfService_purchasedAt_id_idx" ON "Subscription"("isSelfService", "purchasedAt", "id");
CREATE INDEX "Subscription_status_isSelfService_expiresAt_id_idx" ON "Subscription"("status", "isSelfService", "expiresAt", "id");
CREATE INDEX "Subscription_selfServiceSpend_idx" ON "Subscription"("status", "isSelfService", "productId", "currency", "unitPriceMinor", "licensesPurchased", "isTrial");
CREATE INDEX "Subscription_productId_status_isSelfService_purchasedAt_id_idx" ON "Subscription"("productId", "status", "isSelfService", "purchasedAt", "id");
CREATE INDEX "Subscription_licensesByPurchaser_idx" ON "Subscription"("productId", "status", "purchaserId", "licensesPurchased", "licensesAssigned");
CREATE INDEX "Subscription_productId_id_idx" ON "Subscription"("productId", "id");
CREATE INDEX "Subscription_purchaserId_status_isSelfService_purchasedAt_id_idx" ON "Subscription"("purchaserId", "status", "isSelfService", "purchasedAt", "id");
CREATE INDEX "Subscription_expiresAt_idx" ON "Subscription"("expiresAt");
CREATE INDEX "Subscription_firstSeenAt_idx" ON "Subscription"("firstSeenAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Subscription.licensesAssigned: the licenses assigned now, counted once here, then kept by
-- the triggers below on every insert, removal (removedAt set), return and delete of a license,
-- whoever writes it (the bot, a sync, an import, SQL by hand). Prisma does not know triggers: a
-- later migration that rebuilds LicenseAssignment (RedefineTables) drops them and must create
-- them again (test/db/counters.test.ts fails otherwise).
UPDATE "Subscription" SET "licensesAssigned" = (
  SELECT count(*) FROM "LicenseAssignment" a WHERE a."subscriptionId" = "Subscription"."id" AND a."removedAt" IS NULL
);

CREATE TRIGGER "LicenseAssignment_count_insert" AFTER INSERT ON "LicenseAssignment"
WHEN NEW."removedAt" IS NULL
BEGIN
  UPDATE "Subscription" SET "licensesAssigned" = "licensesAssigned" + 1 WHERE "id" = NEW."subscriptionId";
END;

CREATE TRIGGER "LicenseAssignment_count_delete" AFTER DELETE ON "LicenseAssignment"
WHEN OLD."removedAt" IS NULL
BEGIN
  UPDATE "Subscription" SET "licensesAssigned" = "licensesAssigned" - 1 WHERE "id" = OLD."subscriptionId";
END;

CREATE TRIGGER "LicenseAssignment_count_update" AFTER UPDATE OF "removedAt", "subscriptionId" ON "LicenseAssignment"
WHEN (OLD."removedAt" IS NULL) <> (NEW."removedAt" IS NULL) OR OLD."subscriptionId" <> NEW."subscriptionId"
BEGIN
  UPDATE "Subscription" SET "licensesAssigned" = "licensesAssigned" - 1 WHERE "id" = OLD."subscriptionId" AND OLD."removedAt" IS NULL;
  UPDATE "Subscription" SET "licensesAssigned" = "licensesAssigned" + 1 WHERE "id" = NEW."subscriptionId" AND NEW."removedAt" IS NULL;
END;
