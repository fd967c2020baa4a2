-- AlterEnum
ALTER TYPE "ConsentKind" ADD VALUE 'medical';

-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "guardianId" INTEGER;

-- CreateTable
CREATE TABLE "Guardianship" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "wardId" INTEGER NOT NULL,
    "relation" TEXT NOT NULL DEFAULT 'parent',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Guardianship_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Guardianship_guardianId_idx" ON "Guardianship"("guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "Guardianship_wardId_guardianId_key" ON "Guardianship"("wardId", "guardianId");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Patient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guardianship" ADD CONSTRAINT "Guardianship_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guardianship" ADD CONSTRAINT "Guardianship_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guardianship" ADD CONSTRAINT "Guardianship_wardId_fkey" FOREIGN KEY ("wardId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
