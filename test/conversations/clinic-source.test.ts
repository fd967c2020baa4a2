import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelSender } from "../../src/channels/types.ts";
import type { ConversationRouter } from "../../src/conversations/router.ts";
import { createLogger } from "../../src/logger.ts";
import { saveSettings } from "../../src/operators/settings/store.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { createScheduler } from "../../src/scheduler/scheduler.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const silent = createLogger({ level: "silent", pretty: false });

describe(`one clinic source for the router, the dispatcher and the scheduler, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  it("an admin's saved settings are seen by all three at their next use, with no waiting", async () => {
    const clock = new FixedClock("2026-11-24T19:30:00Z"); // 22:30 in Moscow: quiet hours by default
    const clinic = await createClinic(t.db.prisma);
    const patient = await createPatient(t.db.prisma, clinic.id, { balance: 300 });
    await linkChat(t.db.prisma, clinic.id, patient.id, "source-chat");
    const r = createTestRouter(t.db, clock, clinic.id);
    const sent: string[] = [];
    const sender: ChannelSender = { channel: "telegram", send: async (_chat, message) => (sent.push(message.text), { ok: true, externalMessageId: String(sent.length) }) };
    const dispatcher = new Dispatcher({
      db: t.db, clock, logger: silent, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => r.router.startFlow(identityId, flowId, options),
    });
    const scheduler = await createScheduler({ db: t.db, clinic: { ...clinic }, flows: r.flows, router: r.router as ConversationRouter, logger: silent }, { clock });

    // Before: the shipped defaults — half a bill in points, quiet at night, the balance reminder on the 1st.
    await r.text("source-chat", "/balance");
    expect((await r.outbox("source-chat")).at(-1)!.text).toContain("до 50% стоимости");
    const row = await t.db.prisma.outbox.create({
      data: { clinicId: clinic.id, patientId: patient.id, idempotencyKey: "source-marketing", kind: "start-flow", category: "marketing", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    await dispatcher.drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "pending", lastError: "quiet hours in the patient's time zone" });
    expect(scheduler.schedules.balance).toBe("0 11 1 * *");
    expect(await scheduler.reload()).toEqual([]);

    // The admin saves new rules (the console's store), on a clock that stands still.
    const stored = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinic.id } });
    const document = stored.settings as Record<string, Record<string, unknown>>;
    const saved = await saveSettings(t.db, {
      clinicId: clinic.id,
      version: stored.updatedAt.toISOString(),
      document: {
        ...document,
        bonus: { ...document.bonus, maxBillShare: 0.3 },
        quietHours: { start: "00:00", end: "00:00" },
        schedules: { ...document.schedules, balanceReminder: "0 12 2 * *" },
      },
      by: { operatorId: null, via: "cli" },
      now: clock.now(),
    });
    expect(saved.status).toBe("saved");

    // After: the router's next message, the dispatcher's next pass and the scheduler's next look.
    await r.text("source-chat", "/balance");
    expect((await r.outbox("source-chat")).at(-1)!.text).toContain("до 30% стоимости");
    await t.db.prisma.outbox.update({ where: { id: row.id }, data: { dueAt: clock.now() } });
    await dispatcher.drain();
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent" });
    expect(await scheduler.reload()).toEqual(["balance"]);
    expect(scheduler.schedules.balance).toBe("0 12 2 * *");
    await scheduler.stop();
  });
});
