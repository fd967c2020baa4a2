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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Appointment_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Appointment_followUpId_fkey" FOREIGN KEY ("followUpId") REFERENCES "FollowUp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Appointment_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Appointment" ("clinicId", "createdAt", "followUpId", "id", "patientId", "slotId", "status", "updatedAt") SELECT "clinicId", "createdAt", "followUpId", "id", "patientId", "slotId", "status", "updatedAt" FROM "Appointment";
DROP TABLE "Appointment";
ALTER TABLE "new_Appointment" RENAME TO "Appointment";
CREATE INDEX "Appointment_clinicId_createdAt_idx" ON "Appointment"("clinicId", "createdAt");
CREATE INDEX "Appointment_clinicId_updatedAt_idx" ON "Appointment"("clinicId", "updatedAt");
CREATE INDEX "Appointment_visitId_idx" ON "Appointment"("visitId");
CREATE INDEX "Appointment_clinicId_status_slotId_idx" ON "Appointment"("clinicId", "status", "slotId");
CREATE UNIQUE INDEX "Appointment_slotId_slotBooking_key" ON "Appointment"("slotId", "slotBooking");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
