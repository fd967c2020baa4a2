-- CreateIndex
CREATE INDEX "BonusEntry_clinicId_createdAt_idx" ON "BonusEntry"("clinicId", "createdAt");

-- CreateIndex
CREATE INDEX "Outbox_clinicId_status_sentAt_idx" ON "Outbox"("clinicId", "status", "sentAt");
