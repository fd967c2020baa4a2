-- AlterTable
ALTER TABLE "Patient" ADD COLUMN "erasedAt" DATETIME;

-- CreateTable
CREATE TABLE "Consent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clinicId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "at" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "textVersion" TEXT NOT NULL,
    "note" TEXT,
    "supersededAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Consent_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Consent_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Consent_patientId_kind_supersededAt_idx" ON "Consent"("patientId", "kind", "supersededAt");

-- Carry the old columns over (written by hand: docs/consents.md, "Before the Consent table").
-- Patient.consentAt was one general consent to be written to by the clinic, given on the
-- registration form, in the chat (a referred friend, «Снова получать сообщения») or by the MIS.
-- It becomes a personal-data consent and a care-messages consent at that time, with the text
-- version "legacy" (the text shown then is unknown). It does NOT become an advertising consent:
-- 38-FZ art. 18 asks for a separate consent the sender can prove, and a general one is not that.
-- Patient.optedOutAt («стоп») stays what it was (nothing of CareBot's own initiative is sent) and
-- is also recorded as the withdrawal of care messages and advertising at that time.
INSERT INTO "Consent" ("clinicId", "patientId", "kind", "granted", "at", "source", "textVersion", "note", "supersededAt")
SELECT "clinicId", "id", 'personal_data', 1, "consentAt", CASE WHEN "consentSource" IN ('chat', 'telegram', 'whatsapp', 'web') THEN 'chat' WHEN "consentSource" IN ('mis', 'import', 'console') THEN "consentSource" ELSE 'paper' END, 'legacy', 'Patient.consentSource: ' || COALESCE("consentSource", '-'), NULL
FROM "Patient" WHERE "consentAt" IS NOT NULL;

INSERT INTO "Consent" ("clinicId", "patientId", "kind", "granted", "at", "source", "textVersion", "note", "supersededAt")
SELECT "clinicId", "id", 'care_messages', 1, "consentAt", CASE WHEN "consentSource" IN ('chat', 'telegram', 'whatsapp', 'web') THEN 'chat' WHEN "consentSource" IN ('mis', 'import', 'console') THEN "consentSource" ELSE 'paper' END, 'legacy', 'Patient.consentSource: ' || COALESCE("consentSource", '-'),
       CASE WHEN "optedOutAt" IS NOT NULL AND "optedOutAt" >= "consentAt" THEN "optedOutAt" ELSE NULL END
FROM "Patient" WHERE "consentAt" IS NOT NULL;

INSERT INTO "Consent" ("clinicId", "patientId", "kind", "granted", "at", "source", "textVersion", "note", "supersededAt")
SELECT "clinicId", "id", 'care_messages', 0, "optedOutAt", CASE WHEN "optOutSource" IN ('chat', 'telegram', 'whatsapp', 'web') THEN 'chat' WHEN "optOutSource" IN ('mis', 'import', 'console') THEN "optOutSource" ELSE 'paper' END, 'legacy', 'Patient.optOutSource: ' || COALESCE("optOutSource", '-'),
       CASE WHEN "consentAt" IS NOT NULL AND "consentAt" > "optedOutAt" THEN "consentAt" ELSE NULL END
FROM "Patient" WHERE "optedOutAt" IS NOT NULL;

INSERT INTO "Consent" ("clinicId", "patientId", "kind", "granted", "at", "source", "textVersion", "note", "supersededAt")
SELECT "clinicId", "id", 'advertising', 0, "optedOutAt", CASE WHEN "optOutSource" IN ('chat', 'telegram', 'whatsapp', 'web') THEN 'chat' WHEN "optOutSource" IN ('mis', 'import', 'console') THEN "optOutSource" ELSE 'paper' END, 'legacy', 'Patient.optOutSource: ' || COALESCE("optOutSource", '-'), NULL
FROM "Patient" WHERE "optedOutAt" IS NOT NULL;
