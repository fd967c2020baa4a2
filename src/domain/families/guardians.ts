// Families: a guardian (a parent, a grown-up child) whose chat reaches patients who have none of
// their own (a child, an elderly parent). One row per tie; a ward may have several guardians.
import { z } from "zod";
import type { Db, Tx } from "../../db/client.ts";

/** How the guardian is related to the ward. */
export const GUARDIAN_RELATIONS = ["parent", "spouse", "child", "relative", "other"] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];
export const guardianRelation = z.enum(GUARDIAN_RELATIONS);

/** Records that `guardianId` looks after `wardId` (once; a second call updates the relation). */
export async function setGuardian(tx: Tx, tie: { clinicId: number; guardianId: number; wardId: number; relation: GuardianRelation }): Promise<void> {
  if (tie.guardianId === tie.wardId) throw new Error("a patient cannot be their own guardian");
  await tx.guardianship.upsert({
    where: { wardId_guardianId: { wardId: tie.wardId, guardianId: tie.guardianId } },
    create: tie,
    update: { relation: tie.relation },
  });
}

/** Whether `guardianId` looks after `wardId`. */
export async function isGuardianOf(db: Tx | Db, guardianId: number, wardId: number): Promise<boolean> {
  return (await db.guardianship.count({ where: { guardianId, wardId } })) > 0;
}

/** The people a guardian looks after, by name. */
export async function wardsOf(db: Tx | Db, guardianId: number) {
  const rows = await db.guardianship.findMany({
    where: { guardianId, ward: { erasedAt: null } },
    select: { relation: true, ward: { select: { id: true, fullName: true, firstName: true } } },
    orderBy: { wardId: "asc" },
  });
  return rows.map((r) => ({ ...r.ward, relation: r.relation }));
}
