-- CreateIndex
CREATE INDEX "Outbox_identityId_status_idx" ON "Outbox"("identityId", "status");
