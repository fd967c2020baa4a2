// Issue #18: a campaign skips every patient without advertising consent (counted in the preview
// and the results), and a consent withdrawn in the chat rules the very next message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/types.ts";
import { campaignDryRun } from "../../src/campaigns/dry-run.ts";
import { findCampaign } from "../../src/campaigns/find.ts";
import { campaignResults } from "../../src/campaigns/results.ts";
import { runCampaign } from "../../src/campaigns/run.ts";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { currentConsents, SKIP_REASONS } from "../../src/domain/consents/index.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";
import { addPatients } from "./helpers.ts";

describe(`campaigns and advertising consent on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let ids: Map<string, number>;
  const clock = new FixedClock("2026-11-24T09:00:00Z"); // 12:00 in Moscow

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db, { segments: [{ id: "all", title: "Все" }], campaigns: [{ id: "spring", title: "Весна", segment: "all" }] })).id;
    ids = await addPatients(db, clinicId, [{ key: "agreed" }, { key: "never", advertisingConsent: false }, { key: "withdraws" }]);
  });
  afterAll(() => t?.dispose());

  const dryRun = async () => {
    const target = await findCampaign(db, clinicId, "spring");
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    return campaignDryRun(t.db, { campaignId: "spring", segment: target.segment, scope: { clinicId, timezone: clinic.timezone, now: clock.now() }, settings: parseClinicSettings(clinic.settings) });
  };

  it("the patient sees each consent with its date, withdraws advertising with a button, and the preview counts them at once", async () => {
    expect(await dryRun()).toMatchObject({ wouldQueue: 3, noAdvertisingConsent: 1 });
    const r = createTestRouter(t.db, clock, clinicId);
    const chatId = `telegram-${clinicId}-withdraws`;
    await r.text(chatId, "мои согласия");
    const [list] = await r.outbox(chatId);
    expect(list!.text).toContain("1. Обработка персональных данных — дано 1 января 2026");
    expect(list!.text).toContain("2. Сообщения о лечении — присылаем (согласие от 1 января 2026)");
    expect(list!.text).toContain("3. Реклама — согласие дано 1 января 2026");
    expect(list!.text).toContain("4. Медицинские сведения в сообщениях — вы его не давали.");
    expect(list!.options!.map((o) => [o.value, o.label])).toEqual([
      ["personal_data:revoke", "Отозвать согласие на данные"],
      ["care_messages:revoke", "Не присылать о лечении"],
      ["advertising:revoke", "Отозвать согласие на рекламу"],
      ["medical:grant", "Даю согласие на медицинские сведения"],
      ["done", "Готово"],
    ]);

    await r.send(chatId, { type: "CHOICE", value: "advertising:revoke" });
    const after = (await r.outbox(chatId)).at(-1)!;
    expect(after.text).toMatch(/^Готово, согласие отозвано\. Это действует уже со следующего сообщения\./);
    expect(after.text).toContain("3. Реклама — отозвано 24 ноября 2026");
    expect(after.options!.find((o) => o.value === "advertising:grant")?.label).toBe("Даю согласие на рекламу");
    const advertising = (await currentConsents(db, ids.get("withdraws")!)).advertising;
    expect(advertising).toMatchObject({ granted: false, at: clock.now(), source: "chat" });
    // The proof names the exact text the patient tapped under.
    expect(advertising!.textVersion).toMatch(/^chat:consents:[0-9a-f]{12}$/);
    expect(await dryRun()).toMatchObject({ noAdvertisingConsent: 2 });
    await r.send(chatId, { type: "CHOICE", value: "done" });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Хорошо, всё остаётся как есть/);
  });

  it("the run queues the segment, the dispatcher sends only to the patient with consent, and the results count the skipped", async () => {
    const router = createTestRouter(t.db, clock, clinicId);
    const sent: string[] = [];
    const dispatcher = new Dispatcher({
      db: t.db,
      clock,
      logger: createLogger({ level: "silent", pretty: false }),
      senders: { telegram: { channel: "telegram", send: async (chatId: string, _m: OutboundMessage) => (sent.push(chatId), { ok: true as const }) } },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => router.router.startFlow(identityId, flowId, options),
    });
    // The consent conversation's own answers went out already; this test follows the campaign alone.
    await db.outbox.updateMany({ where: { campaignId: null }, data: { status: "sent", sentAt: clock.now() } });
    // The chat's conversation about consents is still open: the refusal comes before any wait for it.
    expect(await runCampaign(t.db, await findCampaign(db, clinicId, "spring"), clock.now())).toMatchObject({ queued: 3 });
    await dispatcher.drain();
    const rows = await db.outbox.findMany({ where: { campaignId: "spring" }, include: { patient: { select: { externalId: true } } }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.patient!.externalId, row.status, row.lastError])).toEqual([
      ["agreed", "sent", null],
      ["never", "skipped", SKIP_REASONS.noAdvertisingConsent],
      ["withdraws", "skipped", SKIP_REASONS.noAdvertisingConsent],
    ]);
    expect(sent).toEqual([`telegram-${clinicId}-agreed`]);
    expect(await campaignResults(t.db, clinicId, { id: "spring", title: "Весна", cameBackWithinDays: 60 })).toMatchObject({ queued: 3, reached: 1, skippedNoAdvertisingConsent: 2 });
  });

  it("giving advertising consent back in the chat is recorded from the chat with its text", async () => {
    const r = createTestRouter(t.db, clock, clinicId);
    const chatId = `telegram-${clinicId}-withdraws`;
    clock.advance(60 * 60_000);
    await r.text(chatId, "согласия");
    await r.send(chatId, { type: "CHOICE", value: "advertising:grant" });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Готово, согласие записано\./);
    expect((await currentConsents(db, ids.get("withdraws")!)).advertising).toMatchObject({ granted: true, at: clock.now(), source: "chat" });
    expect(await db.consent.count({ where: { patientId: ids.get("withdraws")!, kind: "advertising" } })).toBe(3);
  });
});
