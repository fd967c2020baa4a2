import type { NpsAnswerRow } from "../../db/queries/nps-answers.ts";
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
 * The row an NPS answer is stored as: its category, the comment trimmed (blank is none). The
 * statement that writes it takes the visit's doctor and service for per-doctor reports
 * (`insertNpsAnswer` in src/db/queries/nps-answers.ts: one statement, it runs on every answer).
 */
export function npsAnswerRow(answer: NpsAnswer): NpsAnswerRow & { visitId: number | null } {
  return {
    clinicId: answer.clinicId,
    patientId: answer.patientId,
    visitId: answer.visitId ?? null,
    score: answer.score,
    category: npsCategory(answer.score),
    comment: answer.comment?.trim() || null,
    now: answer.now,
  };
}
