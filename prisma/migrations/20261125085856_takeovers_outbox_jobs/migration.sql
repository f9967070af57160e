-- CreateTable
CREATE TABLE "PolicyChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "changedBy" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TakeoverRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subscriptionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetSubscriptionId" TEXT,
    "reason" TEXT,
    "comment" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "requestedBy" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "rejectReason" TEXT,
    "executedAt" DATETIME,
    "failureReason" TEXT,
    "usersAffected" INTEGER,
    "approvalChannel" TEXT,
    "approvalTs" TEXT,
    "purchaserNotice" TEXT
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "resultChannel" TEXT,
    "resultTs" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "summary" TEXT
);

-- CreateTable
CREATE TABLE "JobState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReminderSent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subscriptionId" TEXT NOT NULL,
    "thresholdDays" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "sentAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PolicyChange_productId_at_idx" ON "PolicyChange"("productId", "at");

-- CreateIndex
CREATE INDEX "PolicyChange_at_idx" ON "PolicyChange"("at");

-- CreateIndex
CREATE INDEX "TakeoverRequest_status_requestedAt_idx" ON "TakeoverRequest"("status", "requestedAt");

-- CreateIndex
CREATE INDEX "TakeoverRequest_subscriptionId_status_idx" ON "TakeoverRequest"("subscriptionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "JobRun_job_status_slot_idx" ON "JobRun"("job", "status", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_slot_key" ON "JobRun"("job", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderSent_subscriptionId_thresholdDays_expiresAt_key" ON "ReminderSent"("subscriptionId", "thresholdDays", "expiresAt");
