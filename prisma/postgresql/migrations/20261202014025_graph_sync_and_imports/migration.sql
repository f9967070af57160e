-- AlterTable
ALTER TABLE "LicenseAssignment" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'local';

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "accountEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "goneFromTenantAt" TIMESTAMP(3),
ADD COLUMN     "graphId" TEXT;

-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "commerceSubscriptionId" TEXT,
ADD COLUMN     "graphId" TEXT,
ADD COLUMN     "seenDeletedAt" TIMESTAMP(3),
ADD COLUMN     "selfServiceDecidedAt" TIMESTAMP(3),
ADD COLUMN     "selfServiceDecidedBy" TEXT,
ADD COLUMN     "selfServiceSource" TEXT NOT NULL DEFAULT 'local',
ADD COLUMN     "skuId" TEXT,
ADD COLUMN     "tenantStatus" TEXT,
ALTER COLUMN "expiresAt" DROP NOT NULL,
ALTER COLUMN "unitPriceMinor" DROP NOT NULL,
ALTER COLUMN "currency" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ProductSku" (
    "skuId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "skuPartNumber" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductSku_pkey" PRIMARY KEY ("skuId")
);

-- CreateTable
CREATE TABLE "ProductHolding" (
    "id" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "skuId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "viaGroups" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "ProductHolding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "by" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "accepted" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL,
    "changed" INTEGER NOT NULL,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE UNIQUE INDEX "Person_graphId_key" ON "Person"("graphId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_graphId_key" ON "Subscription"("graphId");

-- AddForeignKey
ALTER TABLE "ProductSku" ADD CONSTRAINT "ProductSku_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductHolding" ADD CONSTRAINT "ProductHolding_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductHolding" ADD CONSTRAINT "ProductHolding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Seeded subscriptions were decided self-service or central by the seed.
UPDATE "Subscription" SET "selfServiceSource" = 'seed' WHERE "source" = 'seed';
