-- AlterTable
ALTER TABLE "TakeoverRequest" ADD COLUMN "completedAt" DATETIME;
ALTER TABLE "TakeoverRequest" ADD COLUMN "completedBy" TEXT;

-- CreateTable
CREATE TABLE "TakeoverStep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "takeoverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "TakeoverStep_takeoverId_userId_key" ON "TakeoverStep"("takeoverId", "userId");
