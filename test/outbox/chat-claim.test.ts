// A step's replies are claimed by their chat (Dispatcher.wake(identityId) → claimChatBatch), not
// found by scanning everything due: what the chat's queue order and the patient's rules still ask.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { claimChatBatch } from "../../src/outbox/claim.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import type { ChannelSender } from "../../src/outbox/channel-sender.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const silent = createLogger({ level: "silent", pretty: false });

describe(`replies claimed by their chat, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let chats = 0;
  const clock = new FixedClock("2026-11-23T10:00:00Z");
  const sent: { chatId: string; text: string }[] = [];
  const sender: ChannelSender = { channel: "telegram", send: async (chatId, message) => (sent.push({ chatId, text: message.text }), { ok: true, externalMessageId: String(sent.length) }) };
  const dispatcher = (owner = "chat-claim") => new Dispatcher({ db: t.db, clock, logger: silent, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } }, owner });

  const chat = async () => {
    const patient = await createPatient(db, clinicId);
    const identity = await linkChat(db, clinicId, patient.id, `claim-${++chats}`);
    return { patient, identity };
  };
  const row = (c: Awaited<ReturnType<typeof chat>>, key: string, text: string, data: { category?: "reply" | "care" | "marketing"; dueAt?: Date; lastError?: string } = {}) =>
    db.outbox.create({
      data: { clinicId, patientId: c.patient.id, identityId: c.identity.id, idempotencyKey: key, kind: "message", category: data.category ?? "reply", payload: { message: { text } }, dueAt: data.dueAt ?? clock.now(), lastError: data.lastError ?? null },
    });
  const status = async (id: number) => (await db.outbox.findUniqueOrThrow({ where: { id } })).status;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  beforeEach(async () => {
    sent.length = 0;
    await db.outbox.updateMany({ where: { status: { in: ["pending", "sending"] } }, data: { status: "skipped" } });
  });
  afterAll(() => t.dispose());

  it("claims the head reply of each chat named, with its chat, and nothing of other chats", async () => {
    const [a, b, other] = [await chat(), await chat(), await chat()];
    const ra = await row(a, "c1-a", "a");
    const rb1 = await row(b, "c1-b1", "b1");
    await row(b, "c1-b2", "b2");
    const ro = await row(other, "c1-o", "o");
    const { rows, more } = await claimChatBatch(t.db, "owner-1", clock.now(), 60_000, [a.identity.id, b.identity.id]);
    expect(rows.map((r) => r.id)).toEqual([ra.id, rb1.id]);
    expect(rows[0]).toMatchObject({ category: "reply", attempts: 1, payload: { message: { text: "a" } }, identity: { id: a.identity.id, channel: "telegram", externalChatId: a.identity.externalChatId, unreachableAt: null, patient: null } });
    expect(more).toEqual([b.identity.id]);
    expect(await status(ro.id)).toBe("pending");
    // Claimed once: a second process naming the same chats gets only what is left behind.
    expect((await claimChatBatch(t.db, "owner-2", clock.now(), 60_000, [a.identity.id, b.identity.id])).rows).toEqual([]);
  });

  it("leaves a reply queued behind a row in retry, and never takes a care or marketing row", async () => {
    const c = await chat();
    const retrying = await row(c, "c2-retry", "first", { dueAt: new Date(clock.now().getTime() + 60_000), lastError: "429" });
    const reply = await row(c, "c2-reply", "second");
    expect((await claimChatBatch(t.db, "owner", clock.now(), 60_000, [c.identity.id])).rows).toEqual([]);
    await db.outbox.update({ where: { id: retrying.id }, data: { status: "skipped" } });
    const d = await chat();
    const care = await row(d, "c2-care", "care", { category: "care" });
    expect((await claimChatBatch(t.db, "owner", clock.now(), 60_000, [c.identity.id, d.identity.id])).rows.map((r) => r.id)).toEqual([reply.id]);
    expect(await status(care.id)).toBe("pending");
  });

  it("a woken chat's replies go out in order, a care row at its head first, each recorded sent", async () => {
    const c = await chat();
    const care = await row(c, "c3-care", "напоминание", { category: "care" });
    const first = await row(c, "c3-r1", "ответ 1");
    const second = await row(c, "c3-r2", "ответ 2");
    const d = dispatcher();
    d.wake(c.identity.id);
    await d.idle();
    expect(sent.filter((s) => s.chatId === c.identity.externalChatId).map((s) => s.text)).toEqual(["напоминание", "ответ 1", "ответ 2"]);
    for (const r of [care, first, second]) expect(await status(r.id)).toBe("sent");
  });

  it("a row no chat's wake announces (a reminder in another chat) goes out with the reply, not at the next poll", async () => {
    const [c, other] = [await chat(), await chat()];
    const reply = await row(c, "c4-reply", "ответ");
    const reminder = await row(other, "c4-care", "напоминание", { category: "care" });
    const d = dispatcher();
    d.wake(c.identity.id);
    await d.idle();
    expect(await status(reply.id)).toBe("sent");
    expect(await status(reminder.id)).toBe("sent");
  });

  it("a steady stream of replies in one chat does not keep a scan's row waiting", async () => {
    const busy = await chat();
    const quiet = await chat();
    const reminder = await row(quiet, "c5-care", "напоминание", { category: "care" });
    let n = 0;
    // Each reply sent in the busy chat is answered at once by another one (a patient typing fast).
    const chatty: ChannelSender = {
      channel: "telegram",
      send: async (chatId, message) => {
        sent.push({ chatId, text: message.text });
        if (chatId === busy.identity.externalChatId && n < 20) {
          await row(busy, `c5-r${++n}`, `ответ ${n}`);
          d.wake(busy.identity.id);
        }
        return { ok: true };
      },
    };
    const d = new Dispatcher({ db: t.db, clock, logger: silent, senders: { telegram: chatty }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } } });
    await row(busy, "c5-r0", "ответ 0");
    d.wake(busy.identity.id);
    d.wake();
    await d.idle();
    const order = sent.map((x) => x.text);
    expect(order.filter((x) => x.startsWith("ответ"))).toHaveLength(21);
    // The scan asked for with the first wake ran after the first round of the busy chat, not after all 21.
    expect(order.indexOf("напоминание")).toBeLessThan(3);
    expect(await status(reminder.id)).toBe("sent");
  });

  it("a patient's message through the router: the reply is sent once, by one of two dispatchers woken for the chat", async () => {
    const c = await chat();
    const r = createTestRouter(t.db, clock, clinicId);
    const [one, two] = [dispatcher("one"), dispatcher("two")];
    r.router.events.on("outbox", (identityId) => {
      one.wake(identityId);
      two.wake(identityId);
    });
    await r.text(c.identity.externalChatId, "меню");
    await Promise.all([one.idle(), two.idle()]);
    const mine = sent.filter((s) => s.chatId === c.identity.externalChatId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text.length).toBeGreaterThan(0);
    const rows = await db.outbox.findMany({ where: { identityId: c.identity.id } });
    expect(rows.map((x) => x.status)).toEqual(["sent"]);
  });
});
