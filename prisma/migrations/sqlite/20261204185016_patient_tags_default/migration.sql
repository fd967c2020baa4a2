-- Patient.tags had `DEFAULT []`: SQLite reads the bare [] as an empty identifier, so a row
-- inserted without tags (raw SQL, an import, a DBA) stored '' - not JSON - and json_each on it
-- fails. Prisma writes JSON defaults unquoted on SQLite (prisma/orm#26571); this is the quoted
-- default '[]'. SQLite cannot alter a default: the table is rebuilt as Prisma rebuilds tables,
-- and tags that are not valid JSON become '[]' on the way.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Patient" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "firstName" TEXT,
    "phone" TEXT,
    "birthDate" TEXT,
    "birthMonthDay" INTEGER,
    "timezone" TEXT,
    "locale" TEXT,
    "tags" JSONB NOT NULL DEFAULT '[]',
    "source" TEXT,
    "referralCode" TEXT NOT NULL,
    "consentAt" DATETIME,
    "consentSource" TEXT,
    "optedOutAt" DATETIME,
    "optOutSource" TEXT,
    "erasedAt" DATETIME,
    "preferredChannel" TEXT,
    "lastCompletedVisitAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Patient_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Patient" ("birthDate", "birthMonthDay", "clinicId", "consentAt", "consentSource", "createdAt", "erasedAt", "externalId", "firstName", "fullName", "id", "lastCompletedVisitAt", "locale", "optOutSource", "optedOutAt", "phone", "preferredChannel", "referralCode", "source", "tags", "timezone", "updatedAt") SELECT "birthDate", "birthMonthDay", "clinicId", "consentAt", "consentSource", "createdAt", "erasedAt", "externalId", "firstName", "fullName", "id", "lastCompletedVisitAt", "locale", "optOutSource", "optedOutAt", "phone", "preferredChannel", "referralCode", "source", CASE WHEN json_valid("tags") THEN "tags" ELSE '[]' END, "timezone", "updatedAt" FROM "Patient";
-- Beyond Prisma's rebuild: keep AUTOINCREMENT's high-water mark, or the id of the last patient
-- deleted would be given again (ids are in idempotency keys such as balance:{month}:{patient}).
DELETE FROM sqlite_sequence WHERE "name" = 'new_Patient';
INSERT INTO sqlite_sequence ("name", "seq") SELECT 'new_Patient', "seq" FROM sqlite_sequence WHERE "name" = 'Patient';
DROP TABLE "Patient";
ALTER TABLE "new_Patient" RENAME TO "Patient";
CREATE INDEX "Patient_clinicId_phone_idx" ON "Patient"("clinicId", "phone");
CREATE INDEX "Patient_clinicId_birthMonthDay_idx" ON "Patient"("clinicId", "birthMonthDay");
CREATE INDEX "Patient_clinicId_lastCompletedVisitAt_idx" ON "Patient"("clinicId", "lastCompletedVisitAt");
CREATE UNIQUE INDEX "Patient_clinicId_externalId_key" ON "Patient"("clinicId", "externalId");
CREATE UNIQUE INDEX "Patient_clinicId_referralCode_key" ON "Patient"("clinicId", "referralCode");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
