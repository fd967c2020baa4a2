// What an operator limited to some branches may see and do: the escalations of those branches
// (an escalation's branch is its visit's or appointment's, else the patient's), and the
// conversations those escalations are about. An operator with no branches works every branch.
import type { Db, Prisma } from "../../db/client.ts";
import { patientsOfBranches } from "../../domain/branches/patients-of.ts";
/** The part of a console operator that says which branches they work (null: every branch). */
type Scoped = { branchIds: number[] | null };

export function escalationsOf(op: Scoped): Prisma.EscalationWhereInput {
  return op.branchIds === null ? {} : { branchId: { in: op.branchIds } };
}

export function conversationsOf(op: Scoped): Prisma.ConversationWhereInput {
  return op.branchIds === null ? {} : { escalations: { some: { branchId: { in: op.branchIds } } } };
}

/**
 * The patients the operator may find, open and write to: an admin and an operator of every branch
 * see the whole network; a branch's operator the patients of their branches (patients-of.ts).
 */
export function patientsOf(op: Scoped & { role: "operator" | "admin" }): Prisma.PatientWhereInput {
  return patientsOfBranches(patientBranchesOf(op));
}

/** The branches whose patients the operator sees; null: every patient of the clinic. */
export function patientBranchesOf(op: Scoped & { role: "operator" | "admin" }): number[] | null {
  return op.role === "admin" ? null : op.branchIds;
}

/** Whether the operator may see this conversation (its clinic is checked by the caller's own query). */
export async function mayOpenConversation(db: Db, op: Scoped & { clinicId: number }, conversationId: number | null): Promise<boolean> {
  if (op.branchIds === null) return true;
  if (conversationId === null) return false;
  return (await db.conversation.count({ where: { id: conversationId, clinicId: op.clinicId, ...conversationsOf(op) } })) > 0;
}

/** Ids of the operator's branches, or null for every branch. */
export function branchIdsOf(rows: { branchId: number }[]): number[] | null {
  return rows.length === 0 ? null : rows.map((r) => r.branchId).sort((a, b) => a - b);
}
