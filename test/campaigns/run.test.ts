import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/types.ts";
import { findCampaign, UnknownCampaign } from "../../src/campaigns/find.ts";
import { runCampaign } from "../../src/campaigns/run.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";
import { addPatients } from "./helpers.ts";

const NOW = "2026-11-24T09:00:00Z"; // Tuesday, 12:00 in Moscow: not quiet hours
const OFFER = "профессиональная гигиена со скидкой 15 % до конца декабря";

describe(`running a campaign on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock(NOW);

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (
      await createClinic(db, {
        segments: [
          { id: "students", title: "Студенты", tagsAny: ["students"] },
          { id: "sleeping", title: "Не были больше полугода", lastVisitOlderThanMonths: 6 },
        ],
        campaigns: [
          { id: "students-back", title: "Студентам", segment: "students", offer: { text: OFFER } },
          { id: "plain", title: "Без предложения", segment: "sleeping" },
        ],
      })
    ).id;
    await addPatients(db, clinicId, [
      { key: "s-1", tags: ["students"] },
      { key: "s-2", tags: ["students", "vip"], chat: "whatsapp" },
      { key: "s-opted-out", tags: ["students"], optedOut: true },
      { key: "s-web", tags: ["students"], chat: "web" },
      { key: "other", tags: ["family"] },
      { key: "sleepy", fullName: "Соколова Мария Ивановна", lastVisitAt: "2026-03-01T09:00:00Z" },
    ]);
  });
  afterAll(() => t?.dispose());

  const target = (id: string) => findCampaign(db, clinicId, id);
  const rowsOf = (campaignId: string) => db.outbox.findMany({ where: { campaignId }, include: { patient: { select: { externalId: true } } }, orderBy: { id: "asc" } });

  it("finds campaigns by id, and names the known ones for an unknown id", async () => {
    expect((await target("students-back")).segment.id).toBe("students");
    await expect(target("nope")).rejects.toThrow(new UnknownCampaign("nope", ["students-back", "plain"]));
  });

  it("a dry run counts and writes nothing", async () => {
    expect(await runCampaign(t.db, await target("students-back"), clock.now(), { dryRun: true })).toEqual({
      campaignId: "students-back",
      segmentSize: 2,
      queued: 2,
      alreadyQueued: 0,
      dryRun: true,
    });
    expect(await db.outbox.count()).toBe(0);
  });

  it("queues exactly the segment, one start-flow row each, due now; a second run queues nothing", async () => {
    const first = await runCampaign(t.db, await target("students-back"), clock.now());
    expect(first).toMatchObject({ segmentSize: 2, queued: 2, alreadyQueued: 0, dryRun: false });
    const rows = await rowsOf("students-back");
    expect(rows.map((r) => r.patient?.externalId)).toEqual(["s-1", "s-2"]);
    for (const row of rows) {
      expect(row).toMatchObject({
        clinicId,
        idempotencyKey: `campaign:students-back:${row.patientId}`,
        identityId: null,
        kind: "start-flow",
        category: "marketing",
        campaignId: "students-back",
        status: "pending",
        attempts: 0,
        dueAt: new Date(NOW),
        createdAt: new Date(NOW),
        payload: { startFlow: "reactivation", context: { campaignId: "students-back", offerText: OFFER } },
      });
    }

    clock.advance(60_000);
    expect(await runCampaign(t.db, await target("students-back"), clock.now())).toMatchObject({ segmentSize: 2, queued: 0, alreadyQueued: 2 });
    expect(await runCampaign(t.db, await target("students-back"), clock.now(), { dryRun: true })).toMatchObject({ queued: 0, alreadyQueued: 2 });
    expect(await db.outbox.count({ where: { campaignId: "students-back" } })).toBe(2);

    // A patient who joins the segment later is queued by the next run, alone.
    await addPatients(db, clinicId, [{ key: "s-new", tags: ["students"] }]);
    expect(await runCampaign(t.db, await target("students-back"), clock.now())).toMatchObject({ segmentSize: 3, queued: 1, alreadyQueued: 2 });
    expect((await rowsOf("students-back")).map((r) => r.patient?.externalId)).toEqual(["s-1", "s-2", "s-new"]);
  });

  it("carries a null offer when the campaign makes none", async () => {
    expect(await runCampaign(t.db, await target("plain"), clock.now())).toMatchObject({ queued: 1 });
    const [row] = await rowsOf("plain");
    expect(row!.payload).toEqual({ startFlow: "reactivation", context: { campaignId: "plain", offerText: null, offerTextEn: null, offerPoints: null, offerValidDays: null } });
  });

  it("the dispatcher turns a row into the reactivation conversation, offer included", async () => {
    await db.outbox.updateMany({ where: { campaignId: { not: "plain" } }, data: { status: "skipped" } });
    const router = createTestRouter(t.db, clock, clinicId);
    const sent: { chatId: string; message: OutboundMessage }[] = [];
    const sender = (channel: "telegram" | "whatsapp") => ({
      channel,
      send: async (chatId: string, message: OutboundMessage) => {
        sent.push({ chatId, message });
        return { ok: true as const, externalMessageId: `m-${sent.length}` };
      },
    });
    const dispatcher = new Dispatcher({
      db: t.db,
      clock,
      logger: createLogger({ level: "silent", pretty: false }),
      senders: { telegram: sender("telegram"), whatsapp: sender("whatsapp") },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 }, whatsapp: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => router.router.startFlow(identityId, flowId, options),
    });
    await db.outbox.updateMany({ where: { campaignId: "students-back", patient: { externalId: "s-1" } }, data: { status: "pending" } });
    await dispatcher.drain();
    const row = await db.outbox.findFirstOrThrow({ where: { campaignId: "students-back", patient: { externalId: "s-1" } } });
    expect(row.status).toBe("sent");
    expect(row.sentAt).toEqual(clock.now());

    const invite = sent.find((s) => s.chatId === `telegram-${clinicId}-s-1`)?.message.text;
    expect(invite).toContain("Давно вас не видели");
    expect(invite).toContain(OFFER);
    const conversation = await db.conversation.findFirstOrThrow({ where: { patient: { externalId: "s-1" } } });
    expect(conversation.flowId).toBe("reactivation");

    // The row without an offer says nothing of one.
    const plain = sent.find((s) => s.chatId === `telegram-${clinicId}-sleepy`);
    expect(plain?.message.text).toContain("Давно вас не видели");
    expect(plain?.message.text).not.toMatch(/предложение|null|undefined/);
    expect(plain?.message.options?.map((o) => o.label)).toEqual(["Записаться", "Не сейчас", "Больше не присылать"]);
  });
});
