import type { TypedSql } from "../../db/kysely/index.ts";
import { insertNpsAnswer } from "../../db/queries/nps-answers.ts";
import { npsCategory } from "./category.ts";

export interface NpsAnswer {
  clinicId: number;
  patientId: number;
  score: number;
  comment?: string | null;
  /** The visit the survey was about; one answer per visit (a second answer replaces the first). */
  visitId?: number | null;
  now: Date;
}

/**
 * Records an NPS answer with the visit's doctor, service and category, for per-doctor reports.
 * One statement (src/db/queries/nps-answers.ts): it runs on the survey's every answer.
 */
export async function recordNpsAnswer(q: TypedSql, answer: NpsAnswer): Promise<{ id: number }> {
  const id = await insertNpsAnswer(q, {
    clinicId: answer.clinicId,
    patientId: answer.patientId,
    visitId: answer.visitId ?? null,
    score: answer.score,
    category: npsCategory(answer.score),
    comment: answer.comment?.trim() || null,
    now: answer.now,
  });
  return { id };
}
