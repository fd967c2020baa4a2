import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// The database, not the code, is the last line against double accruals and double sends.
describe(`uniqueness keys on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let patientId: number;
  let accountId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await db.clinic.create({ data: { slug: "c", name: "Клиника", timezone: "Europe/Moscow", settings: {} } });
    clinicId = clinic.id;
    const patient = await db.patient.create({ data: { clinicId, externalId: "P1", fullName: "Иванова Анна", referralCode: "ABC234" } });
    patientId = patient.id;
    accountId = (await db.bonusAccount.create({ data: { clinicId, patientId } })).id;
  });
  afterAll(() => t.dispose());

  const unique = expect.objectContaining({ code: "P2002" });

  it("books a ledger entry once per source key", async () => {
    const entry = { clinicId, accountId, patientId, kind: "accrual" as const, amount: 125, remaining: 125, sourceKey: "visit:V1" };
    await db.bonusEntry.create({ data: entry });
    await expect(db.bonusEntry.create({ data: entry })).rejects.toEqual(unique);
    // An interactive transaction that replays the entry rolls back whole: the balance moves once.
    await expect(
      db.$transaction(async (tx) => {
        await tx.bonusAccount.update({ where: { id: accountId }, data: { balance: { increment: 125 } } });
        await tx.bonusEntry.create({ data: entry });
      }),
    ).rejects.toEqual(unique);
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { id: accountId } })).balance).toBe(0);
    expect(await db.bonusEntry.count({ where: { sourceKey: "visit:V1" } })).toBe(1);
  });

  it("lets another clinic use the same source key", async () => {
    const other = await db.clinic.create({ data: { slug: "c2", name: "Другая", timezone: "Europe/Moscow", settings: {} } });
    const p = await db.patient.create({ data: { clinicId: other.id, externalId: "P1", fullName: "Петров Иван", referralCode: "ABC234" } });
    const a = await db.bonusAccount.create({ data: { clinicId: other.id, patientId: p.id } });
    await db.bonusEntry.create({ data: { clinicId: other.id, accountId: a.id, patientId: p.id, kind: "accrual", amount: 1, sourceKey: "visit:V1" } });
  });

  it("queues an outbox message once per idempotency key", async () => {
    const row = { clinicId, patientId, idempotencyKey: `balance:2026-12:${patientId}`, kind: "balance", category: "marketing" as const, payload: { flow: "bonus-balance" }, dueAt: new Date() };
    await db.outbox.create({ data: row });
    await expect(db.outbox.create({ data: row })).rejects.toEqual(unique);
    expect(await db.outbox.count({ where: { idempotencyKey: row.idempotencyKey } })).toBe(1);
  });

  it("gives one slot to one appointment and one referral to a referee", async () => {
    const slot = await db.slot.create({ data: { clinicId, externalId: "S1", doctor: "Д", service: "С", startsAt: new Date(), endsAt: new Date() } });
    await db.appointment.create({ data: { clinicId, patientId, slotId: slot.id } });
    await expect(db.appointment.create({ data: { clinicId, patientId, slotId: slot.id } })).rejects.toEqual(unique);

    const friend = await db.patient.create({ data: { clinicId, externalId: "P2", fullName: "Смирнов Олег", referralCode: "XYZ789" } });
    await db.referral.create({ data: { clinicId, code: "ABC234", referrerId: patientId, refereeId: friend.id } });
    await expect(db.referral.create({ data: { clinicId, code: "ABC234", referrerId: patientId, refereeId: friend.id } })).rejects.toEqual(unique);
  });

  it("ignores an inbound update delivered twice", async () => {
    const identity = await db.channelIdentity.create({ data: { clinicId, channel: "telegram", externalChatId: "42" } });
    const message = { clinicId, identityId: identity.id, direction: "inbound" as const, text: "баланс", dedupeKey: "tg:1001" };
    await db.message.create({ data: message });
    await expect(db.message.create({ data: message })).rejects.toEqual(unique);
    // Outbound messages carry no key and never collide.
    await db.message.createMany({ data: [{ ...message, dedupeKey: null, direction: "outbound" }, { ...message, dedupeKey: null, direction: "outbound" }] });
  });

  it("refuses rows that point at nothing", async () => {
    await expect(db.visit.create({ data: { clinicId, patientId: 999_999, externalId: "V", doctor: "Д", service: "С", amount: 1, status: "completed", startsAt: new Date() } })).rejects.toThrow();
  });
});
