// A patient's NPS answer, written and read back on the survey's hot path (the NPS flow's score
// and the promoter's review links): prepared typed queries, each one round trip. An answer about a
// visit takes the visit's doctor, service and category in the same statement (INSERT … SELECT),
// and a second answer about the same visit replaces the first (one answer per visit).
import { enumParam, int, preparedQuery, text, timeParam } from "../kysely/index.ts";
import type { TypedSql } from "../kysely/index.ts";

export type NpsCategoryName = "promoter" | "passive" | "detractor";

export interface NpsAnswerRow {
  clinicId: number;
  patientId: number;
  score: number;
  category: NpsCategoryName;
  comment: string | null;
  now: Date;
}

const withoutVisit = preparedQuery((db, p: NpsAnswerRow) =>
  db
    .insertInto("NpsResponse")
    .values({ clinicId: p.clinicId, patientId: p.patientId, score: p.score, category: p.category, comment: p.comment, doctor: null, service: null, serviceCategory: null, createdAt: p.now })
    .returning("id"),
);

/** No row back when the visit is not the patient's (or is gone): the answer is then kept without it. */
const aboutVisit = preparedQuery((db, p: NpsAnswerRow & { visitId: number }, provider) =>
  db
    .insertInto("NpsResponse")
    .columns(["clinicId", "patientId", "visitId", "score", "category", "comment", "doctor", "service", "serviceCategory", "createdAt"])
    .expression((eb) =>
      eb
        .selectFrom("Visit as v")
        .select([
          int(provider, p.clinicId).as("clinicId"),
          int(provider, p.patientId).as("patientId"),
          "v.id",
          int(provider, p.score).as("score"),
          enumParam(provider, "NpsCategory", p.category).as("category"),
          text(p.comment as string).as("comment"),
          "v.doctor",
          "v.service",
          "v.serviceCategory",
          timeParam(provider, p.now).as("createdAt"),
        ])
        .where("v.id", "=", p.visitId)
        .where("v.patientId", "=", p.patientId),
    )
    .onConflict((oc) =>
      oc.column("visitId").doUpdateSet((eb) => ({
        score: eb.ref("excluded.score"),
        category: eb.ref("excluded.category"),
        comment: eb.ref("excluded.comment"),
        doctor: eb.ref("excluded.doctor"),
        service: eb.ref("excluded.service"),
        serviceCategory: eb.ref("excluded.serviceCategory"),
      })),
    )
    .returning("id"),
);

/** Records the answer; resolves to its row's id. */
export async function insertNpsAnswer(q: TypedSql, answer: NpsAnswerRow & { visitId: number | null }): Promise<number> {
  const { visitId, ...row } = answer;
  if (visitId !== null) {
    const written = await aboutVisit.executeTakeFirst(q, { ...row, visitId });
    if (written) return written.id;
  }
  return (await withoutVisit.executeTakeFirst(q, row))!.id;
}

const latestOfVisit = preparedQuery((db, p: { clinicId: number; patientId: number; visitId: number }) =>
  db
    .selectFrom("NpsResponse")
    .select(["id", "doctor"])
    .where("clinicId", "=", p.clinicId)
    .where("patientId", "=", p.patientId)
    .where("visitId", "=", p.visitId)
    .orderBy("id", "desc")
    .limit(1),
);

const latestOfPatient = preparedQuery((db, p: { clinicId: number; patientId: number }) =>
  db.selectFrom("NpsResponse").select(["id", "doctor"]).where("clinicId", "=", p.clinicId).where("patientId", "=", p.patientId).orderBy("id", "desc").limit(1),
);

/** The answer just recorded: the visit's, else the patient's latest. */
export function latestNpsAnswer(q: TypedSql, where: { clinicId: number; patientId: number; visitId: number | null }): Promise<{ id: number; doctor: string | null } | undefined> {
  const { visitId, ...patient } = where;
  return visitId !== null ? latestOfVisit.executeTakeFirst(q, { ...patient, visitId }) : latestOfPatient.executeTakeFirst(q, patient);
}

/** The statements, for the benchmark's ceiling (it runs CareBot's own SQL on the raw driver). */
export const npsAnswerStatements = { withoutVisit, aboutVisit, latestOfVisit, latestOfPatient };
