-- CreateTable
CREATE TABLE "SpendDay" (
    "day" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "activeSubscriptions" INTEGER NOT NULL,
    "monthlyMinor" BIGINT NOT NULL,
    "purchasers" INTEGER NOT NULL,

    PRIMARY KEY ("day", "productId", "currency")
);

-- CreateIndex
CREATE INDEX "SpendDay_productId_day_idx" ON "SpendDay"("productId", "day");
