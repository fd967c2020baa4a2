-- CreateIndex
CREATE INDEX "Slot_clinicId_startsAt_idx" ON "Slot"("clinicId", "startsAt");
