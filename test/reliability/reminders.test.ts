// Visit reminders from real `carebot start` processes (scheduler on) sharing one database and the
// fake Bot API: two processes at once send each reminder once, and a process killed after planning
// but before anything reached the patient loses nothing across a restart.
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import { syncVisitAppointment } from "../../src/domain/appointments/visit-appointment.ts";
import { periodKeyOf } from "../../src/scheduler/scheduler.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser } from "../support/fake-bot-api/index.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { startChildCareBot } from "./support/child-service.ts";
import type { ChildCareBot } from "./support/child-service.ts";
import type { Cleanup } from "./support/scenario.ts";
import { TOKEN } from "./support/service.ts";
import { waitUntil } from "./support/wait.ts";

const PATIENTS = 6;
const ZONE = "Europe/Moscow";
const REMINDER = "о вашем визите";

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

interface World {
  /** The test's one connection (opening one per poll would take ~130 ms of CPU from CareBot's processes each time). */
  db: Database;
  api: FakeBotApi;
  users: FakeUser[];
  start(): Promise<ChildCareBot>;
}

/**
 * A clinic with no quiet hours (the test runs at any hour) whose reminder job runs every minute,
 * and PATIENTS patients with a visit the MIS posted yesterday, starting within the next two hours
 * (due its two-hours-before reminder now). The reminder job ran before (a JobRun of an hour ago),
 * so each process that starts runs the slot missed since at once instead of waiting for a minute;
 * one that finds the slot taken by the other asks for it all the same and is told no (not-elected).
 */
async function world(): Promise<World> {
  const target = await createMigratedTarget();
  cleanups.push(() => target.drop());
  const db = openDatabase(target.config);
  cleanups.push(() => db.close());
  const api = await startFakeBotApi({ token: TOKEN, webhookMaxAttempts: 10_000, webhookRetryDelayMs: 200 });
  cleanups.push(() => api.close());
  const users = Array.from({ length: PATIENTS }, (_, i) => fakeUser(790_000 + i, { firstName: `Пациентка${i}`, languageCode: "ru" }));
  await prepare(db, api, users);
  return {
    db,
    api,
    users,
    start: async () => {
      // Webhook mode: two processes polling one bot would take each other's long poll (409); reminders go out either way.
      const carebot = await startChildCareBot({ databaseUrl: target.config.url, api, mode: "webhook", env: { SEED_DEMO: "0", SCHEDULER_ENABLED: "1" } });
      cleanups.push(() => carebot.kill("SIGKILL"));
      return carebot;
    },
  };
}

async function prepare(db: Database, api: FakeBotApi, users: FakeUser[]): Promise<void> {
  const clinic = await createClinic(db.prisma, { quietHours: { start: "00:00", end: "00:00" }, schedules: { visitReminders: "* * * * *" } }, ZONE);
  const yesterday = new Date(Date.now() - 24 * 3_600_000);
  for (const [i, user] of users.entries()) {
    const patient = await createPatient(db.prisma, clinic.id, { fullName: `Смирнова Пациентка${i} Ивановна` });
    await linkChat(db.prisma, clinic.id, patient.id, String(user.id));
    api.knowChat(user);
    const visit = await db.prisma.visit.create({
      data: {
        clinicId: clinic.id,
        patientId: patient.id,
        externalId: `REM-${i}`,
        doctor: "Громов А. С.",
        service: "Лечение кариеса",
        amount: 0,
        status: "scheduled",
        startsAt: new Date(Date.now() + (60 + 5 * i) * 60_000),
      },
    });
    await db.prisma.$transaction((tx) => syncVisitAppointment(tx, { clinicId: clinic.id, visitId: visit.id, now: yesterday }));
  }
  // Posted yesterday: not a booking "just made" that the planner lets rest.
  await db.prisma.appointment.updateMany({ data: { createdAt: yesterday } });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await db.prisma.jobRun.create({ data: { clinicId: clinic.id, kind: "reminder", periodKey: periodKeyOf(anHourAgo, ZONE), owner: "earlier", startedAt: anHourAgo } });
}

/** The reminders planned (start-flow rows; the messages their flows queue carry keys derived from them), and every outbox row of the patients' chats not yet sent. */
async function outboxState(db: Database) {
  const reminders = await db.prisma.outbox.findMany({ where: { kind: "start-flow", idempotencyKey: { startsWith: "visit-reminder:" } }, select: { idempotencyKey: true, status: true } });
  const unsent = await db.prisma.outbox.findMany({ where: { status: { in: ["pending", "sending"] } }, select: { id: true, kind: true, status: true, idempotencyKey: true } });
  return { reminders, unsent };
}

/** The reminder job's last slot on one process, from its /health: "done", "not-elected" (another process had it) or absent. */
async function lastReminderSlot(carebot: ChildCareBot): Promise<string | undefined> {
  const health = (await (await fetch(`${carebot.url}/health`)).json()) as { components?: { scheduler?: { jobs?: { reminder?: { last?: { status?: string } } } } } };
  return health.components?.scheduler?.jobs?.reminder?.last?.status;
}

const reminderTexts = (api: FakeBotApi, user: FakeUser): string[] => api.messagesTo(user.id).map((m) => m.text ?? "").filter((t) => t.includes(REMINDER));

describe(`visit reminders from running CareBot processes (on ${TEST_PROVIDER})`, () => {
  it("two processes on one database send each reminder once", async () => {
    const { api, users, db, start } = await world();
    const [first, second] = await Promise.all([start(), start()]);

    await waitUntil(() => users.every((u) => reminderTexts(api, u).length > 0), 90_000, () => `a reminder in every chat; got ${users.map((u) => reminderTexts(api, u).length).join(",")}`);
    // Both processes have been through a reminder slot (one ran it, or each ran its own minute) and the outbox is drained.
    await waitUntil(async () => (await lastReminderSlot(first)) && (await lastReminderSlot(second)), 90_000, "a reminder slot on both processes");
    await waitUntil(async () => (await outboxState(db)).unsent.length === 0, 60_000, async () => `the outbox drained; left ${JSON.stringify((await outboxState(db)).unsent)}`);

    const { reminders } = await outboxState(db);
    console.log(`two processes: reminder slot ${await lastReminderSlot(first)} on one, ${await lastReminderSlot(second)} on the other; ${api.sent.length} messages sent`);
    expect(reminders).toHaveLength(PATIENTS);
    expect(reminders.every((r) => r.status === "sent" && r.idempotencyKey!.endsWith(":h2"))).toBe(true);
    for (const u of users) {
      const texts = reminderTexts(api, u);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain("врач Громов А. С.");
      expect(api.messagesTo(u.id)).toHaveLength(1);
    }
    expect(first.child.exitCode).toBeNull();
    expect(second.child.exitCode).toBeNull();
  }, 240_000);

  it("a process killed after planning, before the reminders reached anyone: after a restart each is sent, once", async () => {
    const { api, users, db, start } = await world();
    // Telegram refuses every message for now: whatever the process plans cannot reach a patient.
    api.failNext("sendMessage", { status: 500 }, 1_000_000);
    const doomed = await start();
    await waitUntil(async () => (await outboxState(db)).reminders.length === PATIENTS, 90_000, "the reminders planned");
    await waitUntil(() => api.calls.some((c) => c.method === "sendMessage" && c.status === 500), 60_000, "an attempt to send");
    await doomed.kill("SIGKILL");
    expect(users.map((u) => api.messagesTo(u.id).length)).toEqual(users.map(() => 0));

    // What the dead process had claimed comes back after its lease; the test expires the lease instead of waiting a minute.
    await db.prisma.outbox.updateMany({ where: { status: "sending" }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    // The restart comes in a later minute as far as the schedule knows: the dead process's slots move
    // a minute back, so the restarted one runs the current slot at once (plans again) instead of at
    // the next cron minute. Oldest first, so no two rows meet on one minute.
    const claimed = await db.prisma.jobRun.findMany({ where: { kind: "reminder", owner: { not: "earlier" } }, orderBy: { periodKey: "asc" } });
    for (const run of claimed) {
      const minuteEarlier = DateTime.fromFormat(run.periodKey, "yyyy-MM-dd'T'HH:mm", { zone: ZONE }).minus({ minutes: 1 }).toFormat("yyyy-MM-dd'T'HH:mm");
      await db.prisma.jobRun.update({ where: { id: run.id }, data: { periodKey: minuteEarlier } });
    }
    api.clearFaults();

    const restarted = await start();
    await waitUntil(() => users.every((u) => reminderTexts(api, u).length > 0), 90_000, () => `a reminder in every chat; got ${users.map((u) => reminderTexts(api, u).length).join(",")}`);
    await waitUntil(async () => (await lastReminderSlot(restarted)) !== undefined, 90_000, "the restarted process planning again");
    expect(await lastReminderSlot(restarted)).toBe("done");
    await waitUntil(async () => (await outboxState(db)).unsent.length === 0, 60_000, async () => `the outbox drained; left ${JSON.stringify((await outboxState(db)).unsent)}`);

    const { reminders } = await outboxState(db);
    expect(reminders).toHaveLength(PATIENTS);
    expect(reminders.every((r) => r.status === "sent")).toBe(true);
    for (const u of users) {
      expect(reminderTexts(api, u)).toHaveLength(1);
      expect(api.messagesTo(u.id)).toHaveLength(1);
    }
    expect(restarted.child.exitCode).toBeNull();
  }, 240_000);
});
