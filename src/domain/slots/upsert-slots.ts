import type { Tx } from "../../db/client.ts";

export interface SlotInput {
  externalId: string;
  doctor: string;
  service: string;
  startsAt: Date;
  endsAt: Date;
}

export interface UpsertSlotsResult {
  created: number;
  /** Existing slots whose doctor, service, times or availability changed. */
  updated: number;
  unchanged: number;
}

/**
 * Free slots from the MIS's schedule, by the MIS's id: new ones are created free; known ones take
 * the new doctor, service and times, and a withdrawn one is free again. A booked slot stays booked:
 * its appointment is the patient's, only the MIS can move it.
 */
export async function upsertSlots(tx: Tx, clinicId: number, slots: SlotInput[]): Promise<UpsertSlotsResult> {
  const existing = await tx.slot.findMany({ where: { clinicId, externalId: { in: slots.map((s) => s.externalId) } } });
  const byId = new Map(existing.map((s) => [s.externalId, s]));
  const result: UpsertSlotsResult = { created: 0, updated: 0, unchanged: 0 };
  const fresh: SlotInput[] = [];
  for (const slot of slots) {
    const known = byId.get(slot.externalId);
    if (!known) {
      fresh.push(slot);
      continue;
    }
    const status = known.status === "booked" ? "booked" : "free";
    const same =
      known.doctor === slot.doctor &&
      known.service === slot.service &&
      known.startsAt.getTime() === slot.startsAt.getTime() &&
      known.endsAt.getTime() === slot.endsAt.getTime() &&
      known.status === status;
    if (same) {
      result.unchanged++;
      continue;
    }
    await tx.slot.update({
      where: { id: known.id },
      data: { doctor: slot.doctor, service: slot.service, startsAt: slot.startsAt, endsAt: slot.endsAt, status },
    });
    result.updated++;
  }
  if (fresh.length > 0) {
    const { count } = await tx.slot.createMany({ data: fresh.map((s) => ({ clinicId, ...s, status: "free" as const })) });
    result.created = count;
  }
  return result;
}
