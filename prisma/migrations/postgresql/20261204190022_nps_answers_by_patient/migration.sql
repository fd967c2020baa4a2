-- CreateIndex
CREATE INDEX "NpsResponse_patientId_id_idx" ON "NpsResponse"("patientId", "id");
