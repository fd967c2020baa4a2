// Reading and setting which branches each staff member works (OperatorBranch rows).
import type { Database } from "../../db/client.ts";
import { audit } from "../audit.ts";
import type { StaffBranches } from "./team-card.ts";

export async function loadStaffBranches(db: Database, clinicId: number): Promise<StaffBranches> {
  const [operators, branches] = await Promise.all([
    db.prisma.operator.findMany({ where: { clinicId, disabledAt: null }, orderBy: { displayName: "asc" }, select: { id: true, displayName: true, branches: { select: { branchId: true } } } }),
    db.prisma.branch.findMany({ where: { clinicId }, orderBy: { id: "asc" }, select: { id: true, name: true } }),
  ]);
  return { operators: operators.map((o) => ({ id: o.id, displayName: o.displayName, branchIds: o.branches.map((b) => b.branchId) })), branches };
}

/** Only the clinic's own operators and branches are touched, whatever the post names. */
export async function saveStaffBranches(db: Database, input: { clinicId: number; by: number; now: Date; choices: Map<number, number[]> }): Promise<void> {
  await db.transaction(async (tx) => {
    const operators = new Set((await tx.operator.findMany({ where: { clinicId: input.clinicId, id: { in: [...input.choices.keys()] } }, select: { id: true } })).map((o) => o.id));
    const branches = new Set((await tx.branch.findMany({ where: { clinicId: input.clinicId }, select: { id: true } })).map((b) => b.id));
    for (const [operatorId, chosen] of input.choices) {
      if (!operators.has(operatorId)) continue;
      const ids = [...new Set(chosen.filter((id) => branches.has(id)))];
      await tx.operatorBranch.deleteMany({ where: { operatorId } });
      for (const branchId of ids) await tx.operatorBranch.create({ data: { operatorId, branchId } });
      await audit(tx, { clinicId: input.clinicId, operatorId: input.by, action: "operator.branches", target: `operator:${operatorId}`, details: { branchIds: ids }, at: input.now });
    }
  });
}
