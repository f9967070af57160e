-- AlterTable
ALTER TABLE "TakeoverRequest" ADD COLUMN     "completedAt" TIMESTAMP(3),
ADD COLUMN     "completedBy" TEXT;

-- CreateTable
CREATE TABLE "TakeoverStep" (
    "id" TEXT NOT NULL,
    "takeoverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TakeoverStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TakeoverStep_takeoverId_userId_key" ON "TakeoverStep"("takeoverId", "userId");
