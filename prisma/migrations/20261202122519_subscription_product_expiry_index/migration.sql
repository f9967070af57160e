-- CreateIndex
CREATE INDEX "Subscription_productId_status_isSelfService_expiresAt_id_idx" ON "Subscription"("productId", "status", "isSelfService", "expiresAt", "id");
