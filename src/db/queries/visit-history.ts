// A history import's visits and follow-ups, many rows per statement, and the patients' last
// completed visit raised after them (src/domain/visits/batch-history.ts decides the rows).
import type { Tx, VisitStatus } from "../client.ts";
import { insertRows } from "../insert-rows.ts";
import { enumValue, typedSqlOn } from "../kysely/index.ts";
import type { Provider } from "../kysely/index.ts";

/** A visit as the import books it. */
export interface NewVisit {
  clinicId: number;
  patientId: number;
  externalId: string;
  doctor: string | null;
  service: string | null;
  serviceCategory: string | null;
  isProcedure: boolean;
  amount: number;
  status: VisitStatus;
  startsAt: Date;
  endsAt: Date | null;
  completedAt: Date | null;
  history: boolean;
  misUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewFollowUp {
  clinicId: number;
  patientId: number;
  visitId: number;
  service: string;
  doctor: string | null;
  dueAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const visitColumns = [
  ["clinicId", "int"],
  ["patientId", "int"],
  ["externalId", "text"],
  ["doctor", "text"],
  ["service", "text"],
  ["serviceCategory", "text"],
  ["isProcedure", "bool"],
  ["amount", "int"],
  ["status", { enum: "VisitStatus" }],
  ["startsAt", "time"],
  ["endsAt", "time"],
  ["completedAt", "time"],
  ["history", "bool"],
  ["misUpdatedAt", "time"],
  ["createdAt", "time"],
  ["updatedAt", "time"],
] as const;

const followUpColumns = [["clinicId", "int"], ["patientId", "int"], ["visitId", "int"], ["service", "text"], ["doctor", "text"], ["dueAt", "time"], ["createdAt", "time"], ["updatedAt", "time"]] as const;

/** Books the visits; returns each one's id with its external id (in no particular order). */
export async function insertVisits(tx: Tx, provider: Provider, visits: readonly NewVisit[]): Promise<{ id: number; externalId: string }[]> {
  const inserted = await insertRows<{ id: unknown; externalId: string }>(
    typedSqlOn(tx, provider),
    "Visit",
    visitColumns,
    visits.map((v) => [v.clinicId, v.patientId, v.externalId, v.doctor, v.service, v.serviceCategory, v.isProcedure, v.amount, v.status, v.startsAt, v.endsAt, v.completedAt, v.history, v.misUpdatedAt, v.createdAt, v.updatedAt]),
    ["id", "externalId"],
  );
  return inserted.map((v) => ({ id: Number(v.id), externalId: v.externalId }));
}

export async function insertFollowUps(tx: Tx, provider: Provider, followUps: readonly NewFollowUp[]): Promise<void> {
  await insertRows(
    typedSqlOn(tx, provider),
    "FollowUp",
    followUpColumns,
    followUps.map((f) => [f.clinicId, f.patientId, f.visitId, f.service, f.doctor, f.dueAt, f.createdAt, f.updatedAt]),
    ["id"],
  );
}

/** The patients' last completed visit, raised to their latest visit's own time (never moved back), in one statement per 500. */
export async function raiseLastCompletedVisit(tx: Tx, provider: Provider, { clinicId, now }: { clinicId: number; now: Date }, patientIds: readonly number[]): Promise<void> {
  // In slices: SQLite takes at most 999 parameters in one statement.
  if (patientIds.length > 500) {
    for (let i = 0; i < patientIds.length; i += 500) await raiseLastCompletedVisit(tx, provider, { clinicId, now }, patientIds.slice(i, i + 500));
    return;
  }
  const completed = enumValue(provider, "VisitStatus", "completed");
  await typedSqlOn(tx, provider)
    .updateTable("Patient")
    .set((eb) => ({
      lastCompletedVisitAt: eb.selectFrom("Visit as v").select((v) => v.fn.max("v.completedAt").as("latest")).whereRef("v.patientId", "=", "Patient.id").where("v.status", "=", completed),
      updatedAt: now,
    }))
    .where("clinicId", "=", clinicId)
    .where("id", "in", [...patientIds])
    .where((eb) =>
      eb.or([
        eb("lastCompletedVisitAt", "is", null),
        eb("lastCompletedVisitAt", "<", eb.selectFrom("Visit as v").select((v) => v.fn.max("v.completedAt").as("latest")).whereRef("v.patientId", "=", "Patient.id").where("v.status", "=", completed)),
      ]),
    )
    .execute();
}
