-- CreateEnum
CREATE TYPE "PromoReward" AS ENUM ('discount', 'points', 'partial');

-- AlterEnum
ALTER TYPE "BonusEntryKind" ADD VALUE 'promo';

-- CreateTable
CREATE TABLE "LoyaltyLevel" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "holdsUntil" TIMESTAMP(3) NOT NULL,
    "lowerTo" TEXT,
    "lowerNoticeAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyLevel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromoCode" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "reward" "PromoReward" NOT NULL,
    "value" INTEGER NOT NULL,
    "perPatient" INTEGER NOT NULL DEFAULT 1,
    "totalLimit" INTEGER,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "services" JSONB NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromoCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromoRedemption" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "promoCodeId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "visitExternalId" TEXT,
    "via" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromoRedemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GiftCertificate" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "initialAmount" INTEGER NOT NULL,
    "balance" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "buyerPatientId" INTEGER,
    "ownerPatientId" INTEGER,
    "shareToken" TEXT,
    "issueKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GiftCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GiftCertificateEntry" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "certificateId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "patientId" INTEGER,
    "visitExternalId" TEXT,
    "sourceKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GiftCertificateEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyLevel_patientId_key" ON "LoyaltyLevel"("patientId");

-- CreateIndex
CREATE INDEX "LoyaltyLevel_clinicId_level_idx" ON "LoyaltyLevel"("clinicId", "level");

-- CreateIndex
CREATE UNIQUE INDEX "PromoCode_clinicId_code_key" ON "PromoCode"("clinicId", "code");

-- CreateIndex
CREATE INDEX "PromoRedemption_promoCodeId_patientId_idx" ON "PromoRedemption"("promoCodeId", "patientId");

-- CreateIndex
CREATE UNIQUE INDEX "PromoRedemption_clinicId_sourceKey_key" ON "PromoRedemption"("clinicId", "sourceKey");

-- CreateIndex
CREATE INDEX "GiftCertificate_clinicId_ownerPatientId_idx" ON "GiftCertificate"("clinicId", "ownerPatientId");

-- CreateIndex
CREATE UNIQUE INDEX "GiftCertificate_clinicId_code_key" ON "GiftCertificate"("clinicId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "GiftCertificate_clinicId_issueKey_key" ON "GiftCertificate"("clinicId", "issueKey");

-- CreateIndex
CREATE UNIQUE INDEX "GiftCertificate_clinicId_shareToken_key" ON "GiftCertificate"("clinicId", "shareToken");

-- CreateIndex
CREATE INDEX "GiftCertificateEntry_certificateId_idx" ON "GiftCertificateEntry"("certificateId");

-- CreateIndex
CREATE UNIQUE INDEX "GiftCertificateEntry_clinicId_sourceKey_key" ON "GiftCertificateEntry"("clinicId", "sourceKey");
