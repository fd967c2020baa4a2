import type { Tx } from "../../db/client.ts";

/**
 * Tells every CareBot that the clinic's published content changed: what the router caches per
 * clinic (settings, the clinic's own texts) is keyed by the clinic row's updatedAt, so moving it
 * on (never back, at least by 1 ms) makes the next message read the new versions.
 */
export async function markClinicContentChanged(tx: Tx, clinicId: number, at: Date): Promise<void> {
  const row = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { updatedAt: true } });
  await tx.clinic.update({ where: { id: clinicId }, data: { updatedAt: new Date(Math.max(at.getTime(), row.updatedAt.getTime() + 1)) } });
}
