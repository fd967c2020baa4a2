// Saving the clinic page's branches in one transaction: new ones created, known ones updated by
// id, removed ones deleted unless visits, slots, escalations or review invitations name them.
import type { Database, Prisma, Tx } from "../../db/client.ts";
import { clearBranchCalendar } from "../../db/queries/branches.ts";
import type { BranchProblem, CheckedBranch } from "./form.ts";

export type SaveBranchesResult = { ok: true; changed: string[] } | { ok: false; problems: BranchProblem[] };

export async function saveBranches(tx: Tx, provider: Database["provider"], clinicId: number, branches: CheckedBranch[]): Promise<SaveBranchesResult> {
  const problems: BranchProblem[] = [];
  const changed: string[] = [];
  // Removals first, so a code freed by one row may be taken by another.
  for (const b of branches.filter((x) => x.remove && x.id !== null)) {
    const id = b.id!;
    const used = (await tx.visit.count({ where: { branchId: id } })) + (await tx.slot.count({ where: { branchId: id } })) + (await tx.escalation.count({ where: { branchId: id } })) + (await tx.reviewInvite.count({ where: { branchId: id } }));
    if (used > 0) {
      problems.push({ field: `branches.${b.row}.remove`, code: "branch-used" });
      continue;
    }
    await tx.operatorBranch.deleteMany({ where: { branchId: id } });
    await tx.branch.deleteMany({ where: { id, clinicId } });
    changed.push(b.code);
  }
  if (problems.length > 0) return { ok: false, problems };
  for (const b of branches.filter((x) => !x.remove)) {
    const data = {
      code: b.code,
      name: b.name,
      address: b.address,
      phone: b.phone,
      reviewLinks: b.reviewLinks as unknown as Prisma.InputJsonValue,
      calendar: (b.calendar ?? undefined) as Prisma.InputJsonValue | undefined,
    };
    const taken = await tx.branch.findFirst({ where: { clinicId, code: b.code, ...(b.id !== null ? { id: { not: b.id } } : {}) }, select: { id: true } });
    if (taken) {
      problems.push({ field: `branches.${b.row}.code`, code: "code-taken", value: b.code });
      continue;
    }
    if (b.id === null) {
      await tx.branch.create({ data: { clinicId, ...data } });
      changed.push(b.code);
      continue;
    }
    const before = await tx.branch.findFirst({ where: { id: b.id, clinicId } });
    if (!before) continue;
    const same = before.code === b.code && before.name === b.name && before.address === b.address && before.phone === b.phone && JSON.stringify(before.reviewLinks) === JSON.stringify(b.reviewLinks) && JSON.stringify(before.calendar) === JSON.stringify(b.calendar);
    if (same) continue;
    await tx.branch.update({ where: { id: b.id }, data });
    // A branch back on the clinic's calendar stores none (a SQL NULL, which Prisma's JSON field takes only as its own marker).
    if (b.calendar === null && before.calendar !== null) await clearBranchCalendar(tx, provider, b.id);
    changed.push(b.code);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, changed };
}
