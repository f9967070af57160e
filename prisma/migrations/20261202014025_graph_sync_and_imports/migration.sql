-- CreateTable
CREATE TABLE "ProductSku" (
    "skuId" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "skuPartNumber" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    CONSTRAINT "ProductSku_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductHolding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "skuId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "viaGroups" TEXT,
    "firstSeenAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    CONSTRAINT "ProductHolding_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ProductHolding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "by" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "accepted" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL,
    "changed" INTEGER NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LicenseAssignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subscriptionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "assignedAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    "source" TEXT NOT NULL DEFAULT 'local',
    CONSTRAINT "LicenseAssignment_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LicenseAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_LicenseAssignment" ("assignedAt", "id", "removedAt", "subscriptionId", "userId") SELECT "assignedAt", "id", "removedAt", "subscriptionId", "userId" FROM "LicenseAssignment";
DROP TABLE "LicenseAssignment";
ALTER TABLE "new_LicenseAssignment" RENAME TO "LicenseAssignment";
CREATE INDEX "LicenseAssignment_userId_idx" ON "LicenseAssignment"("userId");
CREATE INDEX "LicenseAssignment_subscriptionId_removedAt_assignedAt_idx" ON "LicenseAssignment"("subscriptionId", "removedAt", "assignedAt");
CREATE UNIQUE INDEX "LicenseAssignment_subscriptionId_userId_key" ON "LicenseAssignment"("subscriptionId", "userId");
CREATE TABLE "new_Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "slackUserId" TEXT,
    "graphId" TEXT,
    "accountEnabled" BOOLEAN NOT NULL DEFAULT true,
    "goneFromTenantAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Person" ("createdAt", "email", "id", "name", "slackUserId") SELECT "createdAt", "email", "id", "name", "slackUserId" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");
CREATE UNIQUE INDEX "Person_graphId_key" ON "Person"("graphId");
CREATE INDEX "Person_name_idx" ON "Person"("name");
CREATE TABLE "new_Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "isSelfService" BOOLEAN NOT NULL DEFAULT true,
    "purchaserId" TEXT,
    "selfServiceSource" TEXT NOT NULL DEFAULT 'local',
    "selfServiceDecidedBy" TEXT,
    "selfServiceDecidedAt" DATETIME,
    "licensesPurchased" INTEGER NOT NULL,
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
INSERT INTO "new_Subscription" ("cancelComment", "cancelReason", "cancelledAt", "cancelledBy", "createdAt", "currency", "expiresAt", "firstSeenAt", "id", "isSelfService", "isTrial", "licensesPurchased", "productId", "purchasedAt", "purchaserId", "source", "status", "unitPriceMinor", "updatedAt") SELECT "cancelComment", "cancelReason", "cancelledAt", "cancelledBy", "createdAt", "currency", "expiresAt", "firstSeenAt", "id", "isSelfService", "isTrial", "licensesPurchased", "productId", "purchasedAt", "purchaserId", "source", "status", "unitPriceMinor", "updatedAt" FROM "Subscription";
DROP TABLE "Subscription";
ALTER TABLE "new_Subscription" RENAME TO "Subscription";
CREATE UNIQUE INDEX "Subscription_graphId_key" ON "Subscription"("graphId");
CREATE INDEX "Subscription_status_purchasedAt_id_idx" ON "Subscription"("status", "purchasedAt", "id");
CREATE INDEX "Subscription_productId_status_purchasedAt_id_idx" ON "Subscription"("productId", "status", "purchasedAt", "id");
CREATE INDEX "Subscription_purchaserId_purchasedAt_id_idx" ON "Subscription"("purchaserId", "purchasedAt", "id");
CREATE INDEX "Subscription_expiresAt_idx" ON "Subscription"("expiresAt");
CREATE INDEX "Subscription_firstSeenAt_idx" ON "Subscription"("firstSeenAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ProductSku_productId_idx" ON "ProductSku"("productId");

-- CreateIndex
CREATE INDEX "ProductHolding_productId_userId_idx" ON "ProductHolding"("productId", "userId");

-- CreateIndex
CREATE INDEX "ProductHolding_userId_idx" ON "ProductHolding"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductHolding_skuId_userId_key" ON "ProductHolding"("skuId", "userId");

-- CreateIndex
CREATE INDEX "ImportRun_sha256_idx" ON "ImportRun"("sha256");

-- CreateIndex
CREATE INDEX "ImportRun_at_idx" ON "ImportRun"("at");

-- Seeded subscriptions were decided self-service or central by the seed.
UPDATE "Subscription" SET "selfServiceSource" = 'seed' WHERE "source" = 'seed';
