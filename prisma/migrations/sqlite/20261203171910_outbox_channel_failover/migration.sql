-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "movedAt" DATETIME;
ALTER TABLE "Outbox" ADD COLUMN "triedChannels" TEXT;
