-- CreateIndex
CREATE INDEX "Subscription_skuId_idx" ON "Subscription"("skuId");
