// Which patients a branch's staff look after. Patients are the network's, so a patient belongs to
// every branch that has seen them, booked them or is answering them: a visit there (any status:
// a missed or cancelled one is still the desk's call to make), an appointment there, or an open
// escalation filed under it. A patient shared by two branches is in both.
import type { Prisma } from "../../db/client.ts";

/** A Patient filter for the branches (null: every branch, no filter). */
export function patientsOfBranches(branchIds: readonly number[] | null): Prisma.PatientWhereInput {
  if (branchIds === null) return {};
  const inBranches = { branchId: { in: [...branchIds] } };
  return {
    OR: [
      { visits: { some: inBranches } },
      { appointments: { some: inBranches } },
      { escalations: { some: { ...inBranches, status: { in: ["open", "taken"] } } } },
    ],
  };
}
