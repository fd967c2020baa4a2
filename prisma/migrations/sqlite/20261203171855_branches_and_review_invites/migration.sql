-- CreateTable
CREATE TABLE "Branch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "calendar" JSONB,
    "reviewLinks" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Branch_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OperatorBranch" (
    "operatorId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,

    PRIMARY KEY ("operatorId", "branchId"),
    CONSTRAINT "OperatorBranch_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "OperatorBranch_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewInvite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "npsResponseId" INTEGER NOT NULL,
    "branchId" INTEGER,
    "site" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "clickedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewInvite_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReviewInvite_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReviewInvite_npsResponseId_fkey" FOREIGN KEY ("npsResponseId") REFERENCES "NpsResponse" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReviewInvite_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Appointment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "slotId" INTEGER NOT NULL,
    "slotBooking" INTEGER NOT NULL DEFAULT 1,
    "followUpId" INTEGER,
    "visitId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'booked',
    "confirmedAt" DATETIME,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "movedToId" INTEGER,
    "callTaskAt" DATETIME,
    "waitlistEntryId" INTEGER,
    "branchId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Appointment_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_followUpId_fkey" FOREIGN KEY ("followUpId") REFERENCES "FollowUp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Appointment_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Appointment_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Appointment_waitlistEntryId_fkey" FOREIGN KEY ("waitlistEntryId") REFERENCES "WaitlistEntry" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Appointment" ("callTaskAt", "cancelReason", "cancelledAt", "clinicId", "confirmedAt", "createdAt", "followUpId", "id", "movedToId", "patientId", "slotBooking", "slotId", "status", "updatedAt", "visitId", "waitlistEntryId") SELECT "callTaskAt", "cancelReason", "cancelledAt", "clinicId", "confirmedAt", "createdAt", "followUpId", "id", "movedToId", "patientId", "slotBooking", "slotId", "status", "updatedAt", "visitId", "waitlistEntryId" FROM "Appointment";
DROP TABLE "Appointment";
ALTER TABLE "new_Appointment" RENAME TO "Appointment";
CREATE INDEX "Appointment_clinicId_createdAt_idx" ON "Appointment"("clinicId", "createdAt");
CREATE INDEX "Appointment_clinicId_updatedAt_idx" ON "Appointment"("clinicId", "updatedAt");
CREATE INDEX "Appointment_visitId_idx" ON "Appointment"("visitId");
CREATE INDEX "Appointment_clinicId_status_slotId_idx" ON "Appointment"("clinicId", "status", "slotId");
CREATE UNIQUE INDEX "Appointment_slotId_slotBooking_key" ON "Appointment"("slotId", "slotBooking");
CREATE TABLE "new_Escalation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER,
    "identityId" INTEGER,
    "conversationId" INTEGER,
    "reason" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "summary" TEXT,
    "details" JSONB,
    "slaDueAt" DATETIME NOT NULL,
    "operatorId" INTEGER,
    "takenAt" DATETIME,
    "resolvedAt" DATETIME,
    "branchId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Escalation_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Escalation_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Escalation_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Escalation_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Escalation_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Escalation_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Escalation" ("clinicId", "conversationId", "createdAt", "details", "id", "identityId", "operatorId", "patientId", "priority", "reason", "resolvedAt", "slaDueAt", "status", "summary", "takenAt", "updatedAt") SELECT "clinicId", "conversationId", "createdAt", "details", "id", "identityId", "operatorId", "patientId", "priority", "reason", "resolvedAt", "slaDueAt", "status", "summary", "takenAt", "updatedAt" FROM "Escalation";
DROP TABLE "Escalation";
ALTER TABLE "new_Escalation" RENAME TO "Escalation";
CREATE INDEX "Escalation_clinicId_status_priority_slaDueAt_idx" ON "Escalation"("clinicId", "status", "priority", "slaDueAt");
CREATE INDEX "Escalation_conversationId_status_idx" ON "Escalation"("conversationId", "status");
CREATE TABLE "new_Slot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "doctor" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'free',
    "branchId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Slot_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Slot_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Slot" ("clinicId", "createdAt", "doctor", "endsAt", "externalId", "id", "service", "startsAt", "status", "updatedAt") SELECT "clinicId", "createdAt", "doctor", "endsAt", "externalId", "id", "service", "startsAt", "status", "updatedAt" FROM "Slot";
DROP TABLE "Slot";
ALTER TABLE "new_Slot" RENAME TO "Slot";
CREATE INDEX "Slot_clinicId_status_service_startsAt_idx" ON "Slot"("clinicId", "status", "service", "startsAt");
CREATE INDEX "Slot_clinicId_startsAt_idx" ON "Slot"("clinicId", "startsAt");
CREATE UNIQUE INDEX "Slot_clinicId_externalId_key" ON "Slot"("clinicId", "externalId");
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
    "branchId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Visit_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Visit_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Visit_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Visit" ("amount", "clinicId", "completedAt", "createdAt", "doctor", "endsAt", "externalId", "history", "id", "isProcedure", "misUpdatedAt", "patientId", "service", "serviceCategory", "startsAt", "status", "updatedAt") SELECT "amount", "clinicId", "completedAt", "createdAt", "doctor", "endsAt", "externalId", "history", "id", "isProcedure", "misUpdatedAt", "patientId", "service", "serviceCategory", "startsAt", "status", "updatedAt" FROM "Visit";
DROP TABLE "Visit";
ALTER TABLE "new_Visit" RENAME TO "Visit";
CREATE INDEX "Visit_patientId_status_startsAt_idx" ON "Visit"("patientId", "status", "startsAt");
CREATE INDEX "Visit_clinicId_status_completedAt_idx" ON "Visit"("clinicId", "status", "completedAt");
CREATE UNIQUE INDEX "Visit_clinicId_externalId_key" ON "Visit"("clinicId", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Branch_clinicId_code_key" ON "Branch"("clinicId", "code");

-- CreateIndex
CREATE INDEX "OperatorBranch_branchId_idx" ON "OperatorBranch"("branchId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewInvite_token_key" ON "ReviewInvite"("token");

-- CreateIndex
CREATE INDEX "ReviewInvite_clinicId_createdAt_idx" ON "ReviewInvite"("clinicId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewInvite_npsResponseId_site_key" ON "ReviewInvite"("npsResponseId", "site");
