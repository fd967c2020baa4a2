-- DropIndex
DROP INDEX "Appointment_slotId_key";

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "callTaskAt" TIMESTAMP(3),
ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "movedToId" INTEGER,
ADD COLUMN     "slotBooking" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "visitId" INTEGER;

-- CreateIndex
CREATE INDEX "Appointment_clinicId_updatedAt_idx" ON "Appointment"("clinicId", "updatedAt");

-- CreateIndex
CREATE INDEX "Appointment_visitId_idx" ON "Appointment"("visitId");

-- CreateIndex
CREATE INDEX "Appointment_clinicId_status_slotId_idx" ON "Appointment"("clinicId", "status", "slotId");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_slotId_slotBooking_key" ON "Appointment"("slotId", "slotBooking");

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE SET NULL ON UPDATE CASCADE;
