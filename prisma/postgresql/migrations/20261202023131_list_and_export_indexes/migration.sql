-- DropIndex
DROP INDEX "LicenseAssignment_subscriptionId_removedAt_assignedAt_idx";

-- DropIndex
DROP INDEX "Subscription_productId_status_purchasedAt_id_idx";

-- DropIndex
DROP INDEX "Subscription_purchaserId_purchasedAt_id_idx";

-- DropIndex
DROP INDEX "Subscription_status_purchasedAt_id_idx";

-- CreateIndex
CREATE INDEX "LicenseAssignment_subscriptionId_removedAt_id_idx" ON "LicenseAssignment"("subscriptionId", "removedAt", "id");

-- CreateIndex
CREATE INDEX "ReminderSent_expiresAt_idx" ON "ReminderSent"("expiresAt");

-- CreateIndex
CREATE INDEX "Subscription_status_isSelfService_purchasedAt_id_idx" ON "Subscription"("status", "isSelfService", "purchasedAt", "id");

-- CreateIndex
CREATE INDEX "Subscription_isSelfService_purchasedAt_id_idx" ON "Subscription"("isSelfService", "purchasedAt", "id");

-- CreateIndex
CREATE INDEX "Subscription_status_isSelfService_expiresAt_id_idx" ON "Subscription"("status", "isSelfService", "expiresAt", "id");

-- CreateIndex
CREATE INDEX "Subscription_selfServiceSpend_idx" ON "Subscription"("status", "isSelfService", "productId", "currency", "unitPriceMinor", "licensesPurchased", "isTrial");

-- CreateIndex
CREATE INDEX "Subscription_productId_status_isSelfService_purchasedAt_id_idx" ON "Subscription"("productId", "status", "isSelfService", "purchasedAt", "id");

-- CreateIndex
CREATE INDEX "Subscription_productId_id_idx" ON "Subscription"("productId", "id");

-- CreateIndex
CREATE INDEX "Subscription_purchaserId_status_isSelfService_purchasedAt_i_idx" ON "Subscription"("purchaserId", "status", "isSelfService", "purchasedAt", "id");
