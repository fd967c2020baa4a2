-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "history" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "misUpdatedAt" TIMESTAMP(3);
