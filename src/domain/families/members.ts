// Who shares a family wallet with a patient (bonus.familyWallet): the people they look after,
// the people who look after them, and those people's other wards (brothers and sisters). One
// step out, never further: a grandmother's other grandchildren are not one family's purse.
import type { Db, Tx } from "../../db/client.ts";

/** The patient's family members other than the patient, by id ascending; erased patients are left out. */
export async function familyMembersOf(db: Tx | Db, patientId: number): Promise<number[]> {
  const [guardians, wards] = await Promise.all([
    db.guardianship.findMany({ where: { wardId: patientId, guardian: { erasedAt: null } }, select: { guardianId: true } }),
    db.guardianship.findMany({ where: { guardianId: patientId, ward: { erasedAt: null } }, select: { wardId: true } }),
  ]);
  const guardianIds = guardians.map((g) => g.guardianId);
  const siblings =
    guardianIds.length === 0
      ? []
      : await db.guardianship.findMany({ where: { guardianId: { in: guardianIds }, ward: { erasedAt: null } }, select: { wardId: true } });
  const ids = new Set([...guardianIds, ...wards.map((w) => w.wardId), ...siblings.map((s) => s.wardId)]);
  ids.delete(patientId);
  return [...ids].sort((a, b) => a - b);
}
