import type { Tx } from "../../db/client.ts";
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

/** Records an NPS answer with the visit's doctor, service and category, for per-doctor reports. */
export async function recordNpsAnswer(tx: Tx, answer: NpsAnswer) {
  const category = npsCategory(answer.score);
  const visit = answer.visitId ? await tx.visit.findFirst({ where: { id: answer.visitId, patientId: answer.patientId } }) : null;
  const data = {
    score: answer.score,
    category,
    comment: answer.comment?.trim() || null,
    doctor: visit?.doctor ?? null,
    service: visit?.service ?? null,
    serviceCategory: visit?.serviceCategory ?? null,
  };
  if (visit) {
    return tx.npsResponse.upsert({
      where: { visitId: visit.id },
      create: { clinicId: answer.clinicId, patientId: answer.patientId, visitId: visit.id, createdAt: answer.now, ...data },
      update: data,
    });
  }
  return tx.npsResponse.create({ data: { clinicId: answer.clinicId, patientId: answer.patientId, createdAt: answer.now, ...data } });
}
