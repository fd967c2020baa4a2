import type { Database, Db, Prisma } from "../../../db/client.ts";

/** How many of the clinic's free future slots a sandbox gets: the flows offer the soonest few. */
export const SANDBOX_SLOT_LIMIT = 2000;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Copies what the flows read about one patient from the clinic's database into the patient's
 * sandbox database, keeping every id: the clinic (its settings), the patient, their visits,
 * follow-ups, appointments, bonus account and ledger, NPS answers, the clinic's free slots
 * from `now` on and its published texts. In a sandbox that already holds a copy, those facts are replaced by the clinic's
 * as they are now (what earlier flows in the preview booked or credited goes); the chat, its
 * conversations, transcript, escalations and outbox stay. Nothing else of the clinic (other
 * patients, their chats, operators) is copied. Referrals are not: the other side of one is
 * another patient.
 */
export async function copyPatientFacts(from: Db, to: Database, input: { clinicId: number; patientId: number; now: Date }): Promise<void> {
  const { clinicId, patientId } = input;
  const [clinic, patient] = await Promise.all([
    from.clinic.findUniqueOrThrow({ where: { id: clinicId } }),
    from.patient.findFirstOrThrow({ where: { id: patientId, clinicId } }),
  ]);
  const [visits, followUps, appointments, account, entries, nps, freeSlots, texts, branches] = await Promise.all([
    from.visit.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.followUp.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.appointment.findMany({ where: { patientId }, orderBy: { id: "asc" }, include: { slot: true } }),
    from.bonusAccount.findUnique({ where: { patientId } }),
    from.bonusEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.npsResponse.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    from.slot.findMany({ where: { clinicId, status: "free", startsAt: { gt: input.now } }, orderBy: { startsAt: "asc" }, take: SANDBOX_SLOT_LIMIT }),
    // The clinic's own published texts, so the preview says what its patients are told.
    from.contentVersion.findMany({ where: { clinicId, kind: "text", status: "published" }, orderBy: { id: "asc" } }),
    // Visits and slots name their branch; its address and review links go into the texts.
    from.branch.findMany({ where: { clinicId }, orderBy: { id: "asc" } }),
  ]);
  // The patient's own appointments hold slots that are no longer free: they come along.
  const slots = new Map(freeSlots.map((s) => [s.id, s]));
  for (const a of appointments) slots.set(a.slot.id, a.slot);

  await to.transaction(async (tx) => {
    // Children before parents: the sandbox enforces foreign keys as the clinic's database does.
    await tx.appointment.deleteMany({});
    await tx.reviewInvite.deleteMany({});
    await tx.npsResponse.deleteMany({});
    await tx.bonusEntry.deleteMany({});
    await tx.bonusAccount.deleteMany({});
    await tx.followUp.deleteMany({});
    await tx.visit.deleteMany({});
    await tx.slot.deleteMany({});
    await tx.contentVersion.deleteMany({ where: { kind: "text" } });
    const clinicRow = { ...clinic, settings: json(clinic.settings) };
    await tx.clinic.upsert({ where: { id: clinicId }, create: clinicRow, update: clinicRow });
    const patientRow = { ...patient, tags: json(patient.tags) };
    await tx.patient.upsert({ where: { id: patientId }, create: patientRow, update: patientRow });
    // Upserted, not deleted: the sandbox's own escalations may name a branch.
    for (const { calendar, ...branch } of branches) {
      // A branch without its own calendar keeps the column empty (the clinic's calendar rules).
      const row = { ...branch, reviewLinks: json(branch.reviewLinks), ...(calendar === null ? {} : { calendar: json(calendar) }) };
      await tx.branch.upsert({ where: { id: branch.id }, create: row, update: row });
    }
    if (visits.length > 0) await tx.visit.createMany({ data: visits });
    if (followUps.length > 0) await tx.followUp.createMany({ data: followUps });
    if (slots.size > 0) await tx.slot.createMany({ data: [...slots.values()] });
    if (appointments.length > 0) await tx.appointment.createMany({ data: appointments.map(({ slot: _slot, ...a }) => a) });
    if (account) await tx.bonusAccount.create({ data: account });
    if (entries.length > 0) await tx.bonusEntry.createMany({ data: entries });
    if (nps.length > 0) await tx.npsResponse.createMany({ data: nps });
    // Authors are the clinic's operators, who are not copied.
    if (texts.length > 0) await tx.contentVersion.createMany({ data: texts.map((v) => ({ ...v, body: json(v.body), authorId: null })) });
  }, { timeout: 30_000 });
}
