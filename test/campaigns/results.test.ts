import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { TEST_PROVIDER } from "../support/db.ts";
import { json, startMisApi } from "../api/mis/setup.ts";
import type { MisApi } from "../api/mis/setup.ts";
import { addPatients } from "./helpers.ts";

const T0 = Date.parse("2026-10-01T09:00:00Z");
const DAY = 86_400_000;
const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000);

describe(`campaign results on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  let db: Db;
  let slot = 0;

  beforeAll(async () => {
    api = await startMisApi({
      settings: {
        segments: [{ id: "everyone", title: "Все" }],
        campaigns: [
          { id: "winter-return", title: "Давно не виделись", segment: "everyone", cameBackWithinDays: 60 },
          { id: "other", title: "Другая", segment: "everyone" },
          { id: "untouched", title: "Ещё не запускали", segment: "everyone" },
        ],
      },
    });
    db = api.db;
    const clinicId = api.clinicId;
    const ids = await addPatients(db, clinicId, ["a", "b", "c", "d", "e", "f", "g"].map((key) => ({ key, chat: key === "c" ? "unreachable-and-whatsapp" : "telegram" })));
    const id = (key: string) => ids.get(key)!;

    const row = (campaignId: string, key: string, status: "sent" | "pending" | "skipped", sentAt: Date | null) =>
      db.outbox.create({
        data: {
          clinicId,
          idempotencyKey: `campaign:${campaignId}:${id(key)}`,
          patientId: id(key),
          kind: "start-flow",
          category: "marketing",
          campaignId,
          payload: { startFlow: "reactivation", context: { campaignId, offerText: null } },
          dueAt: at(-1),
          status,
          sentAt,
        },
      });
    const message = async (key: string, direction: "inbound" | "outbound", when: Date, channel: "telegram" | "whatsapp" = "telegram") => {
      const identity = await db.channelIdentity.findFirstOrThrow({ where: { patientId: id(key), channel } });
      await db.message.create({ data: { clinicId, identityId: identity.id, direction, text: "…", createdAt: when } });
    };
    const appointment = async (key: string, when: Date) => {
      const s = await db.slot.create({ data: { clinicId, externalId: `S-${++slot}`, doctor: "Д", service: "Приём", startsAt: at(100), endsAt: at(100, 1), status: "booked" } });
      await db.appointment.create({ data: { clinicId, patientId: id(key), slotId: s.id, createdAt: when } });
    };
    const visit = (key: string, when: Date, amount: number, status: "completed" | "scheduled" = "completed") =>
      db.visit.create({
        data: { clinicId, patientId: id(key), externalId: `V-${++slot}`, doctor: "Д", service: "Приём", amount, status, startsAt: when, completedAt: status === "completed" ? when : null },
      });

    // a: replied, booked, came back twice within the window, and once after it.
    await row("winter-return", "a", "sent", at(0));
    await message("a", "inbound", at(0, 1));
    await appointment("a", at(2));
    await visit("a", at(10), 500_000);
    await visit("a", at(50), 200_000);
    await visit("a", at(61), 999_999);
    // b: everything before the message, or not by the patient, or too late.
    await row("winter-return", "b", "sent", at(0));
    await message("b", "inbound", at(0, -1));
    await message("b", "outbound", at(0, 2));
    await appointment("b", at(-3));
    await visit("b", at(-5), 400_000);
    await visit("b", at(61), 700_000);
    await visit("b", at(20), 800_000, "scheduled");
    // c: sent later; wrote from their other messenger; came back on the window's last day.
    await row("winter-return", "c", "sent", at(5));
    await message("c", "inbound", at(6), "whatsapp");
    await appointment("c", at(7));
    await visit("c", at(65), 300_000);
    // d: not sent yet; e: skipped (opted out): not reached, whatever they did.
    await row("winter-return", "d", "pending", null);
    await message("d", "inbound", at(1));
    await visit("d", at(3), 100_000);
    await row("winter-return", "e", "skipped", null);
    await visit("e", at(3), 100_000);
    // f: another campaign's patient.
    await row("other", "f", "sent", at(0));
    await message("f", "inbound", at(1));
    await appointment("f", at(1));
    await visit("f", at(3), 50_000);
    // g: reached, nothing since.
    await row("winter-return", "g", "sent", at(0));
  });
  afterAll(() => api?.close());

  it("counts reached, replied, booked, came back and their revenue", async () => {
    expect(json(await api.get("/api/campaigns/winter-return/results"), 200)).toEqual({
      campaignId: "winter-return",
      title: "Давно не виделись",
      queued: 6,
      skippedNoAdvertisingConsent: 0,
      reached: 4,
      replied: 2,
      booked: 2,
      cameBack: 2,
      revenue: 1_000_000,
      cameBackWithinDays: 60,
    });
    expect(json(await api.get("/api/campaigns/other/results"), 200)).toMatchObject({ queued: 1, reached: 1, replied: 1, booked: 1, cameBack: 1, revenue: 50_000 });
    expect(json(await api.get("/api/campaigns/untouched/results"), 200)).toMatchObject({ queued: 0, reached: 0, replied: 0, booked: 0, cameBack: 0, revenue: 0 });
  });

  it("asks for the API token, 404s an unknown campaign, 422s a malformed id", async () => {
    expect((await api.get("/api/campaigns/winter-return/results", null)).statusCode).toBe(401);
    expect((await api.get("/api/campaigns/winter-return/results", "wrong-token-0123456789")).statusCode).toBe(401);
    expect(json(await api.get("/api/campaigns/nope/results"), 404)).toEqual({ error: 'no campaign "nope" in the clinic\'s settings (campaigns: winter-return, other, untouched)' });
    expect(json(await api.get("/api/campaigns/Not%20An%20Id/results"), 422)).toMatchObject({ fields: { id: expect.stringContaining("must be a campaign id") } });
  });
});
