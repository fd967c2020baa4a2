// Finding branches: by the MIS's code, by id, and the branch a patient belongs to now.
import type { Tx } from "../../db/client.ts";
import { branchOf } from "./branch.ts";
import type { Branch } from "./branch.ts";

/** The MIS named a branch the clinic has not listed (answered 400 with its code). */
export class UnknownBranch extends Error {
  override name = "UnknownBranch";
  constructor(readonly code: string, known: string[]) {
    super(`unknown branch "${code}"${known.length > 0 ? `; the clinic's branches: ${known.join(", ")}` : "; the clinic lists no branches (console: Clinic → Branches)"}`);
  }
}

/** The id of the branch with this code; null for no code; throws UnknownBranch for a code not listed. */
export async function branchIdOfCode(tx: Tx, clinicId: number, code: string | null | undefined): Promise<number | null> {
  if (code === null || code === undefined) return null;
  const row = await tx.branch.findUnique({ where: { clinicId_code: { clinicId, code } }, select: { id: true } });
  if (row) return row.id;
  const known = await tx.branch.findMany({ where: { clinicId }, select: { code: true }, orderBy: { code: "asc" } });
  throw new UnknownBranch(code, known.map((b) => b.code));
}

export async function listBranches(tx: Tx, clinicId: number): Promise<Branch[]> {
  const rows = await tx.branch.findMany({ where: { clinicId }, orderBy: { id: "asc" } });
  return rows.map(branchOf);
}

export async function branchById(tx: Tx, branchId: number | null): Promise<Branch | null> {
  if (branchId === null) return null;
  const row = await tx.branch.findUnique({ where: { id: branchId } });
  return row ? branchOf(row) : null;
}

/** A patient's branch: the branch of their last visit (null when it had none: the clinic itself). */
export async function patientBranchId(tx: Tx, patientId: number): Promise<number | null> {
  const last = await tx.visit.findFirst({ where: { patientId, status: { not: "cancelled" } }, orderBy: [{ startsAt: "desc" }, { id: "desc" }], select: { branchId: true } });
  return last?.branchId ?? null;
}

/**
 * The branch a conversation is about: its visit's, else its appointment's, else the patient's.
 * Flows keep the visit or appointment they talk about in their context (visitId, appointmentId).
 */
export async function branchIdOfContext(tx: Tx, input: { patientId: number | null; visitId?: unknown; appointmentId?: unknown }): Promise<number | null> {
  if (typeof input.visitId === "number") {
    const visit = await tx.visit.findUnique({ where: { id: input.visitId }, select: { branchId: true } });
    if (visit) return visit.branchId;
  }
  if (typeof input.appointmentId === "number") {
    const appointment = await tx.appointment.findUnique({ where: { id: input.appointmentId }, select: { branchId: true } });
    if (appointment) return appointment.branchId;
  }
  return input.patientId === null ? null : patientBranchId(tx, input.patientId);
}
