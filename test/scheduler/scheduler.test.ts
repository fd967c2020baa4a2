import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConversationRouter } from "../../src/conversations/router.ts";
import { createLogger } from "../../src/logger.ts";
import { JOB_KINDS } from "../../src/scheduler/kinds.ts";
import { createScheduler, periodKeyOf, Scheduler } from "../../src/scheduler/scheduler.ts";
import type { SchedulerHost } from "../../src/scheduler/scheduler.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import type { ChannelSender } from "../../src/channels/types.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createTestRouter } from "../support/runtime.ts";
import { clinicHelpers } from "./helpers.ts";

const silent = createLogger({ level: "silent", pretty: false });

describe(`scheduler and its run coordinator, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  /** A CareBot's parts for one clinic, as createCareBot wires them, over the shipped flows. */
  const hostFor = (clinic: { id: number; name: string; timezone: string }, clock: FixedClock, router?: Pick<ConversationRouter, "fireDueTimers" | "events">): SchedulerHost => {
    const test = createTestRouter(t.db, clock, clinic.id);
    return { db: t.db, clinic, flows: test.flows, router: (router ?? test.router) as ConversationRouter, logger: silent };
  };

  it("elects one of two instances per slot: one JobRun, one set of rows, the dispatcher woken", async () => {
    const clinic = await h.clinic();
    for (let i = 0; i < 5; i++) await h.patient(clinic.id, { balance: 100 });
    await h.patient(clinic.id, { balance: 100, optedOut: true });
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const hostA = hostFor(clinic, clock);
    const hostB = hostFor(clinic, clock);
    const a = await createScheduler(hostA, { clock, owner: "instance-a" });
    const b = await createScheduler(hostB, { clock, owner: "instance-b" });
    const woken = { a: vi.fn(), b: vi.fn() };
    hostA.router.events.on("outbox", woken.a);
    hostB.router.events.on("outbox", woken.b);

    const runs = await Promise.all([a.runSlot("balance"), b.runSlot("balance")]);
    expect(runs.map((r) => r.status).sort()).toEqual(["done", "not-elected"]);
    const winner = runs.find((r) => r.status === "done")!;
    expect(winner).toMatchObject({ periodKey: "2026-12-01T11:00", planned: 5, skipped: 1, alreadyQueued: 0, error: null });

    const jobRuns = await h.prisma.jobRun.findMany({ where: { clinicId: clinic.id } });
    expect(jobRuns).toHaveLength(1);
    expect(jobRuns[0]).toMatchObject({
      kind: "balance",
      periodKey: "2026-12-01T11:00",
      owner: winner === runs[0] ? "instance-a" : "instance-b",
      startedAt: new Date("2026-12-01T08:00:00Z"),
      finishedAt: new Date("2026-12-01T08:00:00Z"),
      planned: 5,
      skipped: 1,
      error: null,
      counts: { candidates: 6, optedOut: 1, noReachableChat: 0, alreadyQueued: 0, flow: "bonus-balance" },
    });
    expect(await h.prisma.outbox.count({ where: { clinicId: clinic.id } })).toBe(5);
    // The winner wakes its dispatcher; the loser has nothing to send.
    expect([woken.a.mock.calls.length, woken.b.mock.calls.length]).toEqual(winner === runs[0] ? [1, 0] : [0, 1]);

    // The same slot again (a restart within the minute) is not run twice.
    expect((await a.runSlot("balance")).status).toBe("not-elected");
    // Another slot runs, and finds everything queued.
    clock.set("2026-12-01T08:01:00Z");
    expect(await b.runSlot("balance")).toMatchObject({ status: "done", periodKey: "2026-12-01T11:01", planned: 0, alreadyQueued: 5 });
    expect(await h.prisma.jobRun.count({ where: { clinicId: clinic.id } })).toBe(2);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("keys a slot by the clinic's local minute", () => {
    expect(periodKeyOf(new Date("2026-12-01T08:00:30Z"), "Europe/Moscow")).toBe("2026-12-01T11:00");
    expect(periodKeyOf(new Date("2026-12-01T08:00:30Z"), "Asia/Vladivostok")).toBe("2026-12-01T18:00");
  });

  it("records a failing job and carries on", async () => {
    const clinic = await h.clinic();
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const events = createTestRouter(t.db, clock, clinic.id).router.events;
    const broken = { events, fireDueTimers: async () => Promise.reject(new Error("timers are broken")) };
    const scheduler = await createScheduler(hostFor(clinic, clock, broken), { clock });
    const run = await scheduler.runSlot("timers");
    expect(run).toMatchObject({ status: "failed", error: "timers are broken" });
    expect(await h.prisma.jobRun.findFirstOrThrow({ where: { clinicId: clinic.id, kind: "timers" } })).toMatchObject({ error: "timers are broken", finishedAt: new Date("2026-12-01T08:00:00Z") });
    expect(scheduler.health()).toMatchObject({ jobs: { timers: { last: { status: "failed", error: "timers are broken" } } } });
    // The next minute runs again.
    clock.advance(60_000);
    expect((await scheduler.runSlot("timers")).status).toBe("failed");
    expect(await h.prisma.jobRun.count({ where: { clinicId: clinic.id, kind: "timers" } })).toBe(2);
  });

  it("fires due flow timers every slot and keeps a day of timer runs", async () => {
    const clinic = await h.clinic();
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    let fired = 0;
    const events = createTestRouter(t.db, clock, clinic.id).router.events;
    const router = { events, fireDueTimers: async (limit = 100) => (fired++ === 0 ? limit : 3) };
    const scheduler = await createScheduler(hostFor(clinic, clock, router), { clock });
    expect(await scheduler.runSlot("timers")).toMatchObject({ status: "done", planned: 103 });
    clock.advance(25 * 3600_000);
    await scheduler.runSlot("timers");
    expect((await h.prisma.jobRun.findMany({ where: { clinicId: clinic.id, kind: "timers" } })).map((r) => r.periodKey)).toEqual(["2026-12-02T12:00"]);
  });

  it("plans nothing for a kind no loaded flow declares", async () => {
    const clinic = await h.clinic();
    await h.patient(clinic.id, { balance: 100 });
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const host = hostFor(clinic, clock);
    const catalog = host.flows.catalog();
    const without = { catalog: () => ({ ...catalog, forScheduledKind: () => undefined }) } as unknown as SchedulerHost["flows"];
    const scheduler = await createScheduler({ ...host, flows: without }, { clock });
    expect(await scheduler.runSlot("balance")).toMatchObject({ status: "done", planned: 0, counts: { flow: null } });
    expect(await h.prisma.outbox.count({ where: { clinicId: clinic.id } })).toBe(0);
  });

  it("wires a cron task per job from the clinic's settings, in its time zone, and reports them", async () => {
    const clinic = await h.clinic({ schedules: { birthday: "30 9 * * *", followUp: "61 * * * *" } }, "Asia/Vladivostok");
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const scheduler = await createScheduler(hostFor(clinic, clock), { clock });
    expect(scheduler.schedules).toMatchObject({ balance: "0 11 1 * *", birthday: "30 9 * * *", followup: "61 * * * *", timers: "* * * * *" });
    scheduler.start();
    const health = scheduler.health();
    expect(health).toMatchObject({ ok: false, timezone: "Asia/Vladivostok", jobs: { followup: { invalid: true, next: null } } });
    // The next birthday run is at 09:30 in Vladivostok (23:30 UTC the day before).
    expect((health.jobs as { birthday: { next: string } }).birthday.next).toMatch(/T23:30:00\.000Z$/);
    expect(scheduler.describe()).toContain('followup "61 * * * *" (INVALID: not running)');
    await scheduler.stop();
    expect(scheduler.health()).toMatchObject({ ok: false, jobs: { birthday: { next: null } } });
  });

  it("runs a slot when its cron task fires", async () => {
    const clinic = await h.clinic();
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const calls: number[] = [];
    const events = createTestRouter(t.db, clock, clinic.id).router.events;
    const router = { events, fireDueTimers: async () => (calls.push(Date.now()), 0) };
    // Every second (node-cron's six-field form), so the test does not wait for a minute.
    const schedules = Object.fromEntries(JOB_KINDS.map((k) => [k, k === "timers" ? "* * * * * *" : "0 0 1 1 *"])) as Scheduler["schedules"];
    const scheduler = new Scheduler(hostFor(clinic, clock, router), { clock }, schedules);
    scheduler.start();
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0), { timeout: 5000, interval: 50 });
    await scheduler.stop();
    // Ticks are keyed by the minute of their slot: within one minute only the first one runs.
    const jobRuns = await h.prisma.jobRun.findMany({ where: { clinicId: clinic.id } });
    expect(jobRuns.length).toBe(calls.length);
    expect(new Set(jobRuns.map((r) => r.periodKey)).size).toBe(jobRuns.length);
    for (const r of jobRuns) expect(r).toMatchObject({ kind: "timers", periodKey: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/) });
  });

  it("runs a slot missed while CareBot was down, once, within three days, and only for jobs that ran before", async () => {
    const clinic = await h.clinic();
    for (let i = 0; i < 3; i++) await h.patient(clinic.id, { balance: 100 });
    // The monthly reminder ran on 1 November; the service was down over 1 December 11:00 Moscow.
    await h.prisma.jobRun.create({ data: { clinicId: clinic.id, kind: "balance", periodKey: "2026-11-01T11:00", owner: "earlier", startedAt: new Date("2026-11-01T08:00:00Z") } });
    const clock = new FixedClock("2026-12-02T09:30:00Z");
    const scheduler = await createScheduler(hostFor(clinic, clock), { clock });

    const runs = await scheduler.catchUp();
    // Only the balance reminder had run before: the daily jobs of a fresh installation are not replayed.
    expect(runs).toMatchObject([{ kind: "balance", periodKey: "2026-12-01T11:00", status: "done", planned: 3 }]);
    expect(await scheduler.catchUp()).toEqual([]);
    // Three days and more after the slot, it is left alone.
    const late = await h.clinic();
    await h.patient(late.id, { balance: 100 });
    await h.prisma.jobRun.create({ data: { clinicId: late.id, kind: "balance", periodKey: "2026-11-01T11:00", owner: "earlier", startedAt: new Date("2026-11-01T08:00:00Z") } });
    const lateClock = new FixedClock("2026-12-04T08:30:00Z");
    expect(await (await createScheduler(hostFor(late, lateClock), { clock: lateClock })).catchUp()).toEqual([]);
  });

  it("at start, asks for a slot another instance already has, is told no, and says so in its health", async () => {
    const clinic = await h.clinic();
    await h.prisma.jobRun.create({ data: { clinicId: clinic.id, kind: "balance", periodKey: "2026-11-01T11:00", owner: "earlier", startedAt: new Date("2026-11-01T08:00:00Z") } });
    const clock = new FixedClock("2026-12-02T09:30:00Z");
    const a = await createScheduler(hostFor(clinic, clock), { clock, owner: "a" });
    const b = await createScheduler(hostFor(clinic, clock), { clock, owner: "b" });
    expect(await a.catchUp()).toMatchObject([{ kind: "balance", periodKey: "2026-12-01T11:00", status: "done" }]);
    // Started alongside: the missed slot is a's already.
    expect(await b.catchUp()).toMatchObject([{ kind: "balance", periodKey: "2026-12-01T11:00", status: "not-elected" }]);
    expect(b.health()).toMatchObject({ jobs: { balance: { last: { slot: "2026-12-01T11:00", status: "not-elected" } } } });
    // Its own slot an instance does not ask for again.
    expect(await a.catchUp()).toEqual([]);
    expect(await h.prisma.jobRun.count({ where: { clinicId: clinic.id, kind: "balance" } })).toBe(2);
  });

  it("picks up schedules and scheduled campaigns changed in the clinic's settings", async () => {
    const segment = { id: "everyone", title: "Все пациенты" };
    const clinic = await h.clinic({ segments: [segment] });
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const scheduler = await createScheduler(hostFor(clinic, clock), { clock });
    expect(await scheduler.reload()).toEqual([]);
    expect(scheduler.campaigns).toEqual({});

    const settings = { segments: [segment], schedules: { birthday: "15 9 * * *" }, campaigns: [{ id: "winter", title: "Зима", segment: "everyone", schedule: "0 12 * * 1" }] };
    await h.prisma.clinic.update({ where: { id: clinic.id }, data: { settings } });
    expect((await scheduler.reload()).sort()).toEqual(["birthday", "campaign:winter"]);
    expect(scheduler.schedules.birthday).toBe("15 9 * * *");
    expect(scheduler.campaigns).toEqual({ winter: "0 12 * * 1" });
    expect(scheduler.describe()).toContain('campaign:winter "0 12 * * 1"');
    // Broken settings keep what is in force.
    await h.prisma.clinic.update({ where: { id: clinic.id }, data: { settings: { ...settings, marketingCapDays: -1 } } });
    expect(await scheduler.reload()).toEqual([]);
    expect(scheduler.campaigns).toEqual({ winter: "0 12 * * 1" });
    await h.prisma.clinic.update({ where: { id: clinic.id }, data: { settings: { segments: [segment] } } });
    expect((await scheduler.reload()).sort()).toEqual(["birthday", "campaign:winter"]);
    expect(scheduler.campaigns).toEqual({});
    await scheduler.stop();
  });

  it("runs a scheduled campaign's slot once, and each patient of its segment only ever once", async () => {
    const clinic = await h.clinic({
      segments: [{ id: "everyone", title: "Все пациенты" }],
      campaigns: [{ id: "winter", title: "Зима", segment: "everyone", schedule: "0 12 * * 1", offer: { bonusPoints: 200 } }],
    });
    const first = await h.patient(clinic.id);
    await h.patient(clinic.id);
    const clock = new FixedClock("2026-11-23T09:00:00Z");
    const a = await createScheduler(hostFor(clinic, clock), { clock, owner: "a" });
    const b = await createScheduler(hostFor(clinic, clock), { clock, owner: "b" });
    const [one, two] = await Promise.all([a.runCampaignSlot("winter"), b.runCampaignSlot("winter")]);
    expect([one.status, two.status].sort()).toEqual(["done", "not-elected"]);
    expect(one.planned + two.planned).toBe(2);
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `campaign:winter:${first.id}` } });
    expect(row).toMatchObject({ campaignId: "winter", category: "marketing", payload: { startFlow: "reactivation", context: { campaignId: "winter", offerPoints: 200 } } });
    // Next Monday: a newcomer to the segment is written to; the others are not written to again.
    await h.patient(clinic.id);
    clock.set("2026-11-30T09:00:00Z");
    expect(await a.runCampaignSlot("winter")).toMatchObject({ kind: "campaign:winter", periodKey: "2026-11-30T12:00", status: "done", planned: 1, alreadyQueued: 2 });
    // Other tests here drain the outbox with another clinic's router.
    await h.prisma.outbox.deleteMany({ where: { clinicId: clinic.id } });
  });

  it("queues rows the dispatcher starts as flows on the patient's chat", async () => {
    const clinic = await h.clinic();
    const patient = await h.patient(clinic.id, { balance: 700 });
    const clock = new FixedClock("2026-12-01T08:00:00Z");
    const test = createTestRouter(t.db, clock, clinic.id);
    const sent: { chatId: string; text: string }[] = [];
    const sender: ChannelSender = { channel: "telegram", send: async (chatId, message) => (sent.push({ chatId, text: message.text }), { ok: true }) };
    const dispatcher = new Dispatcher({
      db: t.db,
      clock,
      logger: silent,
      senders: { telegram: sender },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => test.router.startFlow(identityId, flowId, options),
    });
    const scheduler = await createScheduler({ db: t.db, clinic, flows: test.flows, router: test.router, logger: silent }, { clock });
    expect((await scheduler.runSlot("balance")).planned).toBe(1);
    await dispatcher.drain();
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `balance:2026-12:${patient.id}` } });
    expect(row.status).toBe("sent");
    expect(sent.map((m) => m.text).join("\n")).toMatch(/700/);
  });
});
