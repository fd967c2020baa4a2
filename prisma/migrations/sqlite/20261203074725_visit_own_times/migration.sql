-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Visit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "doctor" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "serviceCategory" TEXT,
    "isProcedure" BOOLEAN NOT NULL DEFAULT false,
    "amount" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME,
    "completedAt" DATETIME,
    "history" BOOLEAN NOT NULL DEFAULT false,
    "misUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Visit_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Visit_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Visit" ("amount", "clinicId", "completedAt", "createdAt", "doctor", "externalId", "id", "isProcedure", "patientId", "service", "serviceCategory", "startsAt", "status", "updatedAt") SELECT "amount", "clinicId", "completedAt", "createdAt", "doctor", "externalId", "id", "isProcedure", "patientId", "service", "serviceCategory", "startsAt", "status", "updatedAt" FROM "Visit";
DROP TABLE "Visit";
ALTER TABLE "new_Visit" RENAME TO "Visit";
CREATE INDEX "Visit_patientId_status_startsAt_idx" ON "Visit"("patientId", "status", "startsAt");
CREATE INDEX "Visit_clinicId_status_completedAt_idx" ON "Visit"("clinicId", "status", "completedAt");
CREATE UNIQUE INDEX "Visit_clinicId_externalId_key" ON "Visit"("clinicId", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
