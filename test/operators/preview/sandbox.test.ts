import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../../src/api/health.ts";
import { buildServer } from "../../../src/api/server.ts";
import type { ChatState } from "../../../src/channels/web/chat-state.ts";
import { PreviewSandboxes } from "../../../src/operators/preview/sandbox/preview-sandboxes.ts";
import { loadConfig } from "../../../src/config.ts";
import { createCareBot } from "../../../src/core.ts";
import type { Db } from "../../../src/db/client.ts";
import { createLogger } from "../../../src/logger.ts";
import { hashPassword } from "../../../src/operators/password.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { ROOT } from "../../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";

const API_TOKEN = "preview-sandbox-api-token-0123456789";
const HYGIENE = "Профессиональная гигиена";
const DOCTOR = "Орлова Ирина Викторовна";

/**
 * Issue 17: the preview runs the real flows, and a whole session of them (a booking, the birthday
 * gift, a low NPS score with a complaint) changes nothing the clinic, its dashboard or its MIS sees.
 */
describe(`the preview's sandbox on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let sandboxes: PreviewSandboxes;
  let cookie = "";
  let annaId = 0;
  let slotIds: number[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow, Anna's birthday

  const post = (url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as object, headers: { cookie } });
  const chat = async (url: string, payload: unknown): Promise<ChatState> => {
    const res = await post(url, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ChatState;
  };
  const lastSaid = (state: ChatState) => state.transcript.filter((m) => m.direction === "outbound").at(-1)!;
  const sandboxDb = async () => (await sandboxes.find(annaId))!.db.prisma;

  /** Everything of the clinic's a preview could have written to, as the clinic, its dashboard and its MIS see it. */
  const clinicData = async () => {
    const byId = { orderBy: { id: "asc" as const } };
    const mis = await app.inject({ method: "GET", url: "/api/appointments?since=2026-01-01T00:00:00Z", headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(mis.statusCode, mis.body).toBe(200);
    const dashboard = await app.inject({ method: "GET", url: "/console/api/dashboard", headers: { cookie } });
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    return {
      slots: await db.slot.findMany(byId),
      appointments: await db.appointment.findMany(byId),
      followUps: await db.followUp.findMany(byId),
      accounts: await db.bonusAccount.findMany(byId),
      ledger: await db.bonusEntry.findMany(byId),
      nps: await db.npsResponse.findMany(byId),
      escalations: await db.escalation.findMany(byId),
      outbox: await db.outbox.findMany(byId),
      conversations: await db.conversation.findMany(byId),
      messages: await db.message.findMany(byId),
      identities: await db.channelIdentity.findMany(byId),
      patients: await db.patient.findMany(byId),
      misAppointments: mis.json() as unknown[],
      dashboard: dashboard.json() as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    const anna = await createPatient(db, clinic.id, { fullName: "Петрова Анна Сергеевна", birthDate: "1990-11-23", balance: 0 });
    annaId = anna.id;
    // What the clinic already has: a visit with a missed follow-up, free slots for it, a booking
    // and an NPS answer of another patient's, an open request in the queue.
    const visit = await db.visit.create({
      data: { clinicId: clinic.id, patientId: anna.id, externalId: "V-1", doctor: DOCTOR, service: "Лечение кариеса", amount: 500_000, status: "completed", startsAt: new Date("2026-09-01T07:00:00Z"), completedAt: new Date("2026-09-01T08:00:00Z") },
    });
    await db.followUp.create({ data: { clinicId: clinic.id, patientId: anna.id, visitId: visit.id, dueAt: new Date("2026-11-01T07:00:00Z"), service: HYGIENE, doctor: DOCTOR, missedAt: new Date("2026-11-02T07:00:00Z") } });
    for (const [i, startsAt] of ["2026-11-26T07:00:00Z", "2026-11-27T07:00:00Z", "2026-11-28T07:00:00Z"].entries()) {
      const start = new Date(startsAt);
      const slot = await db.slot.create({ data: { clinicId: clinic.id, externalId: `S-${i}`, doctor: DOCTOR, service: HYGIENE, startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000) } });
      slotIds.push(slot.id);
    }
    const boris = await createPatient(db, clinic.id, { fullName: "Иванов Борис Петрович" });
    await db.slot.update({ where: { id: slotIds[2]! }, data: { status: "booked" } });
    await db.appointment.create({ data: { clinicId: clinic.id, patientId: boris.id, slotId: slotIds[2]!, createdAt: new Date("2026-11-20T09:00:00Z") } });
    await db.npsResponse.create({ data: { clinicId: clinic.id, patientId: boris.id, score: 9, category: "promoter", createdAt: new Date("2026-11-10T09:00:00Z") } });
    const borisChat = await db.channelIdentity.create({ data: { clinicId: clinic.id, channel: "telegram", externalChatId: "700100", patientId: boris.id, linkedAt: new Date("2026-11-01T00:00:00Z") } });
    await db.escalation.create({
      data: { clinicId: clinic.id, patientId: boris.id, identityId: borisChat.id, reason: "operator_request", priority: "high", summary: "Просит перезвонить", slaDueAt: new Date("2026-11-23T12:00:00Z"), createdAt: new Date("2026-11-23T07:00:00Z") },
    });

    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug, API_TOKEN }, ROOT), t.db, { clock, logger });
    sandboxes = new PreviewSandboxes(carebot);
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot, previewSandboxes: sandboxes });
    await app.ready();
    await db.operator.create({ data: { clinicId: clinic.id, login: "sandbox-staff", passwordHash: await hashPassword("sandbox-staff-password"), displayName: "Ольга", role: "admin" } });
    const login = await app.inject({ method: "POST", url: "/console/login", payload: { login: "sandbox-staff", password: "sandbox-staff-password" } });
    cookie = /carebot_console=[^;]+/.exec(String(login.headers["set-cookie"]))![0];
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("a booking, the birthday gift and NPS 2 with a complaint run for real in the preview and leave the clinic's data as it was", async () => {
    const before = await clinicData();
    expect(before.misAppointments).toHaveLength(1);
    expect(before.escalations).toHaveLength(1);

    const opened = await post("/preview/api/session", { patientId: annaId });
    expect(opened.statusCode, opened.body).toBe(200);
    const { chatId } = opened.json() as { chatId: string };

    // Rebooking the missed follow-up: the free slots are offered, the first is booked (in the sandbox).
    const offer = await chat("/preview/api/start", { chatId, flowId: "rebook-followup" });
    expect(lastSaid(offer).text).toMatch(/^Анна, врач рекомендовала повторный визит: Профессиональная гигиена, Орлова Ирина Викторовна\./);
    expect(lastSaid(offer).options?.map((o) => o.value)).toEqual(expect.arrayContaining([`slot-${slotIds[0]}`, `slot-${slotIds[1]}`]));
    expect(lastSaid(offer).options?.map((o) => o.value)).not.toContain(`slot-${slotIds[2]}`);
    const booked = await chat("/preview/api/send", { chatId, choice: `slot-${slotIds[0]}` });
    expect(lastSaid(booked).text).toMatch(/^Готово, вы записаны: .*Профессиональная гигиена, врач Орлова Ирина Викторовна\./);
    const inSandbox = await sandboxDb();
    expect(await inSandbox.slot.findUniqueOrThrow({ where: { id: slotIds[0]! } })).toMatchObject({ status: "booked" });
    expect(await inSandbox.appointment.count({ where: { patientId: annaId } })).toBe(1);

    // The birthday flow credits the gift (in the sandbox).
    const birthday = await chat("/preview/api/start", { chatId, flowId: "birthday" });
    expect(lastSaid(birthday).text).toMatch(/^Анна, с днём рождения! .*—\s500\sбаллов, они действуют до 7\sдекабря\.$/);
    expect(await (await sandboxDb()).bonusEntry.findMany({ where: { patientId: annaId }, select: { kind: true, amount: true } })).toEqual([{ kind: "birthday", amount: 500 }]);

    // NPS 2 with a complaint: the answer is recorded and the front desk asked to call (in the sandbox).
    const asked = await chat("/preview/api/start", { chatId, flowId: "nps" });
    expect(lastSaid(asked).text).toMatch(/^Анна, спасибо, что были у нас.*от 0 \(точно нет\) до 10/);
    const scored = await chat("/preview/api/send", { chatId, choice: 2 });
    expect(lastSaid(scored).text).toMatch(/^Спасибо за честную оценку\. Что нам стоит улучшить\?/);
    const complained = await chat("/preview/api/send", { chatId, text: "Долго ждала приёма, администратор был невнимателен" });
    expect(lastSaid(complained).text).toMatch(/^Нам очень жаль, что визит оставил неприятное впечатление\. Мы передали ваш отзыв администратору/);
    expect(complained.escalations).toMatchObject([{ reason: "nps_detractor", priority: "high", status: "open" }]);
    const sandboxAfter = await sandboxDb();
    expect(await sandboxAfter.npsResponse.findMany({ where: { patientId: annaId }, select: { score: true, category: true, comment: true } })).toEqual([
      { score: 2, category: "detractor", comment: "Долго ждала приёма, администратор был невнимателен" },
    ]);
    expect(await sandboxAfter.outbox.count()).toBeGreaterThan(0);

    // Skipping the wait fires the sandbox's timers only.
    await chat("/preview/api/timers", { chatId });

    const after = await clinicData();
    expect(after).toEqual(before);
  });

  it("copies only the previewed patient and the clinic: no other patient, chat or request reaches the sandbox", async () => {
    const sandbox = await sandboxDb();
    expect(await sandbox.patient.findMany({ select: { id: true } })).toEqual([{ id: annaId }]);
    expect(await sandbox.escalation.findMany({ select: { reason: true } })).toEqual([{ reason: "nps_detractor" }]);
    expect(await sandbox.channelIdentity.findMany({ select: { channel: true, externalChatId: true } })).toEqual([{ channel: "web", externalChatId: `preview-${annaId}` }]);
    // Boris's booked slot is not offered, nor copied.
    expect(await sandbox.slot.count({ where: { id: slotIds[2]! } })).toBe(0);
  });

  it("says on the page, in Russian like the rest of it, that it is a sandbox", async () => {
    const page = await app.inject({ method: "GET", url: "/preview", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Песочница.");
    expect(page.body).toContain("не попадут ни в данные клиники, ни в сводку, ни в МИС, ни в очередь операторов");
    expect(page.body).not.toContain("Sandbox");
  });
});
