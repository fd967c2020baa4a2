-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "movedAt" TIMESTAMP(3),
ADD COLUMN     "triedChannels" TEXT;
