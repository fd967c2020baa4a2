// A data subject's requests: `carebot patients export <id>` prints everything kept about the
// person; `carebot patients erase <id> --yes` removes the person and keeps the ledger's sums.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

describe(`carebot patients export|erase on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let env: Record<string, string>;
  let clinicId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
  });
  afterAll(async () => t?.dispose());

  /** A patient with a chat, a message, a visit and points. */
  async function patientWithHistory() {
    const patient = await createPatient(db, clinicId, { fullName: "Соколова Мария Ивановна", phone: "+79990001122", birthDate: "1990-05-04", balance: 0 });
    const identity = await linkChat(db, clinicId, patient.id, `erase-${patient.id}`);
    await db.message.create({ data: { clinicId, identityId: identity.id, direction: "inbound", text: "У меня болит зуб после пломбы" } });
    await db.bonusEntry.createMany({
      data: [
        { clinicId, accountId: (await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).id, patientId: patient.id, kind: "accrual", amount: 500, remaining: 500, sourceKey: `t:${patient.id}:1` },
        { clinicId, accountId: (await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).id, patientId: patient.id, kind: "redemption", amount: -200, sourceKey: `t:${patient.id}:2` },
      ],
    });
    await db.bonusAccount.update({ where: { patientId: patient.id }, data: { balance: 300 } });
    await db.visit.create({ data: { clinicId, patientId: patient.id, externalId: `MIS-V-${patient.id}`, doctor: "Громов А. С.", service: "Пломба", amount: 450_000, status: "completed", startsAt: new Date("2026-10-01T09:00:00Z"), completedAt: new Date("2026-10-01T10:00:00Z") } });
    return { patient, identity };
  }

  it("export prints JSON of the patient, chats, consents, visits, messages and ledger", async () => {
    const { patient } = await patientWithHistory();
    const res = await runCli(["patients", "export", String(patient.id)], env);
    expect(res.code, res.stderr).toBe(0);
    const data = JSON.parse(res.stdout);
    expect(data.patient).toMatchObject({ id: patient.id, fullName: "Соколова Мария Ивановна", phone: "+79990001122", birthDate: "1990-05-04" });
    expect(data.identities).toHaveLength(1);
    expect(data.consents.map((c: { kind: string; granted: boolean; source: string }) => [c.kind, c.granted, c.source])).toEqual([
      ["personal_data", true, "paper"],
      ["care_messages", true, "paper"],
      ["advertising", true, "paper"],
    ]);
    expect(data.messages.map((m: { text: string }) => m.text)).toEqual(["У меня болит зуб после пломбы"]);
    expect(data.visits).toMatchObject([{ service: "Пломба", amount: 450_000 }]);
    expect(data.ledger.map((e: { amount: number }) => e.amount)).toEqual([500, -200]);
    expect(data.bonusAccount).toMatchObject({ balance: 300 });
  });

  it("erase refuses without --yes, in Russian by default, and changes nothing", async () => {
    const { patient } = await patientWithHistory();
    const res = await runCli(["patients", "erase", String(patient.id)], { ...env, CAREBOT_LANG: "ru" });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("удаление необратимо");
    expect(res.stderr).toContain("повторите с --yes");
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).fullName).toBe("Соколова Мария Ивановна");
    expect((await runCli(["patients", "erase", "Мария"], { ...env, CAREBOT_LANG: "ru" })).stderr).toContain("id пациента — целое число");
  });

  it("erase --yes removes the person and the texts, keeps the ledger's sums and the visit's amount", async () => {
    const { patient, identity } = await patientWithHistory();
    const res = await runCli(["patients", "erase", String(patient.id), "--yes"], { ...env, CAREBOT_LANG: "ru" });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Пациент ${patient.id} удалён`);
    const erased = await db.patient.findUniqueOrThrow({ where: { id: patient.id } });
    expect(erased).toMatchObject({ fullName: "—", firstName: null, phone: null, birthDate: null, birthMonthDay: null, externalId: `erased-${patient.id}` });
    expect(erased.erasedAt).not.toBeNull();
    expect(erased.optedOutAt).not.toBeNull();
    expect(await db.channelIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({ externalChatId: `erased-${identity.id}`, patientId: null, phone: null });
    expect((await db.message.findMany({ where: { identityId: identity.id } })).map((m) => m.text)).toEqual([null]);
    // The ledger and its sum stay, and so do the visit's amount and the consent records.
    const account = await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } });
    expect(account.balance).toBe(300);
    expect((await db.bonusEntry.findMany({ where: { patientId: patient.id } })).reduce((n, e) => n + e.amount, 0)).toBe(300);
    expect(await db.visit.findMany({ where: { patientId: patient.id } })).toMatchObject([{ amount: 450_000, externalId: expect.stringMatching(/^erased-/) }]);
    expect(await db.consent.count({ where: { patientId: patient.id } })).toBe(3);
    expect(JSON.stringify(await db.patient.findUniqueOrThrow({ where: { id: patient.id } }))).not.toMatch(/Соколова|79990001122|1990-05-04/);
    // A second erase says it is done already.
    expect((await runCli(["patients", "erase", String(patient.id), "--yes"], { ...env, CAREBOT_LANG: "ru" })).stdout).toContain("уже удалён");
  });
});
