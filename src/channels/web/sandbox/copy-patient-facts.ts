import type { Database, Db, Prisma } from "../../../db/client.ts";

/** How many of the clinic's free future slots a sandbox gets: the flows offer the soonest few. */
export const SANDBOX_SLOT_LIMIT = 2000;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Copies what the flows read about one patient from the clinic's database into an empty sandbox
 * database, keeping every id: the clinic (its settings), the patient, their visits, follow-ups,
 * appointments, bonus account and ledger, NPS answers, and the clinic's free slots from `now`
 * on. Nothing else of the clinic (other patients, conversations, outbox, operators) is copied.
 * Referrals are not copied: the other side of one is another patient.
 */
export async function copyPatientFacts(from: Db, to: Database, input: { clinicId: number; patientId: number; now: Date }): Promise<void> {
  const { clinicId, patientId } = input;
  const [clinic, patient] = await Promise.all([
    from.clinic.findUniqueOrThrow({ where: { id: clinicId } }),
    from.patient.findFirstOrThrow({ where: { id: patientId, clinicId } }),
  ]);
  const [visits, followUps, appointments, account, entries, nps, freeSlots] = await Promise.all([
    from.visit.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.followUp.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.appointment.findMany({ where: { patientId }, orderBy: { id: "asc" }, include: { slot: true } }),
    from.bonusAccount.findUnique({ where: { patientId } }),
    from.bonusEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.npsResponse.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.slot.findMany({ where: { clinicId, status: "free", startsAt: { gt: input.now } }, orderBy: { startsAt: "asc" }, take: SANDBOX_SLOT_LIMIT }),
  ]);
  // The patient's own appointments hold slots that are no longer free: they come along.
  const slots = new Map(freeSlots.map((s) => [s.id, s]));
  for (const a of appointments) slots.set(a.slot.id, a.slot);

  await to.transaction(async (tx) => {
    await tx.clinic.create({ data: { ...clinic, settings: json(clinic.settings) } });
    await tx.patient.create({ data: { ...patient, tags: json(patient.tags) } });
    if (visits.length > 0) await tx.visit.createMany({ data: visits });
    if (followUps.length > 0) await tx.followUp.createMany({ data: followUps });
    if (slots.size > 0) await tx.slot.createMany({ data: [...slots.values()] });
    if (appointments.length > 0) await tx.appointment.createMany({ data: appointments.map(({ slot: _slot, ...a }) => a) });
    if (account) await tx.bonusAccount.create({ data: account });
    if (entries.length > 0) await tx.bonusEntry.createMany({ data: entries });
    if (nps.length > 0) await tx.npsResponse.createMany({ data: nps });
  }, { timeout: 30_000 });
}
