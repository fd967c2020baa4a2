-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "contentVersionId" INTEGER;

-- CreateIndex
CREATE INDEX "Conversation_clinicId_flowId_status_idx" ON "Conversation"("clinicId", "flowId", "status");
