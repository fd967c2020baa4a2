import type { WebChatDeps } from "./deps.ts";
import { listClinicPatients, PATIENT_LIST_LIMIT } from "../../domain/patients/list.ts";
import type { PatientListItem } from "../../domain/patients/list.ts";

export { PATIENT_LIST_LIMIT } from "../../domain/patients/list.ts";
export type { PatientListItem } from "../../domain/patients/list.ts";

/** The clinic's patients for the preview's picker (src/domain/patients/list.ts). */
export async function listPatients(carebot: Pick<WebChatDeps, "db" | "clinic">, q = "", limit = PATIENT_LIST_LIMIT): Promise<PatientListItem[]> {
  return listClinicPatients(carebot.db.prisma, carebot.clinic.id, q, limit);
}
