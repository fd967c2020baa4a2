// The MIS's `branch` on a visit: kept on the visit and on the appointments the visit holds (and
// their slots), in the visit's own transaction, so reminders, escalations and reports know it.
import type { Tx } from "../../db/client.ts";

export async function assignVisitBranch(tx: Tx, visitId: number, branchId: number | null): Promise<void> {
  const visit = await tx.visit.findUniqueOrThrow({ where: { id: visitId }, select: { branchId: true } });
  if (visit.branchId !== branchId) await tx.visit.update({ where: { id: visitId }, data: { branchId } });
  const appointments = await tx.appointment.findMany({ where: { visitId }, select: { id: true, slotId: true, branchId: true } });
  for (const a of appointments) {
    if (a.branchId === branchId) continue;
    await tx.appointment.update({ where: { id: a.id }, data: { branchId } });
    await tx.slot.update({ where: { id: a.slotId }, data: { branchId } });
  }
}

/** The MIS's slots with their branch: a booking of the slot in the chat takes the slot's branch. */
export async function assignSlotBranches(tx: Tx, clinicId: number, slots: { externalId: string; branchId: number | null }[]): Promise<void> {
  const byBranch = new Map<number | null, string[]>();
  for (const s of slots) byBranch.set(s.branchId, [...(byBranch.get(s.branchId) ?? []), s.externalId]);
  for (const [branchId, externalIds] of byBranch) {
    await tx.slot.updateMany({ where: { clinicId, externalId: { in: externalIds } }, data: { branchId } });
  }
}
