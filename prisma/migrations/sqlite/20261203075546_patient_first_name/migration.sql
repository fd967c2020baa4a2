-- AlterTable
ALTER TABLE "Patient" ADD COLUMN "firstName" TEXT;
