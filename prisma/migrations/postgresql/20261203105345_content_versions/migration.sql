-- CreateEnum
CREATE TYPE "ContentKind" AS ENUM ('flow', 'text');

-- CreateEnum
CREATE TYPE "ContentVersionStatus" AS ENUM ('draft', 'published', 'retired');

-- CreateTable
CREATE TABLE "ContentVersion" (
    "id" SERIAL NOT NULL,
    "clinicId" INTEGER NOT NULL,
    "kind" "ContentKind" NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "status" "ContentVersionStatus" NOT NULL DEFAULT 'draft',
    "authorId" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "ContentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ContentVersion_clinicId_kind_status_idx" ON "ContentVersion"("clinicId", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ContentVersion_clinicId_kind_key_version_key" ON "ContentVersion"("clinicId", "kind", "key", "version");

-- AddForeignKey
ALTER TABLE "ContentVersion" ADD CONSTRAINT "ContentVersion_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentVersion" ADD CONSTRAINT "ContentVersion_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Operator"("id") ON DELETE SET NULL ON UPDATE CASCADE;
