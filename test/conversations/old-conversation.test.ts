import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { readSession } from "../../src/flows/runtime/session.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

// A conversation row written by older code (its session and the flow definition it started on, in
// their old formats: test/fixtures/formats) carries on after an upgrade of CareBot; one that
// cannot be read even after upgrading ends quietly and the patient's message is answered afresh.

const fixture = (format: string, version: number): Record<string, any> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/formats", format, `v${version}.json`), "utf8"));

describe(`old conversations on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let chat = 7000;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  /** A patient in the middle of the first opt-out flow (format 1), asked to confirm, as it was stored then. */
  async function oldConversation(overrides: { flowDefinition?: unknown; snapshot?: Record<string, unknown> } = {}) {
    const chatId = String(++chat);
    const patient = await createPatient(db, clinicId);
    const identity = await linkChat(db, clinicId, patient.id, chatId);
    const dueAt = new Date(clock.now().getTime() + 86_400_000);
    const session = fixture("session", 1);
    session.timers[0].dueAt = dueAt.toISOString();
    const conversation = await db.conversation.create({
      data: {
        clinicId,
        identityId: identity.id,
        patientId: patient.id,
        flowId: "opt-out",
        flowVersion: 1,
        flowDefinition: (overrides.flowDefinition ?? fixture("flow", 1)) as object,
        snapshot: { ...session, ...overrides.snapshot },
        timerDueAt: dueAt,
        timerEvent: session.timers[0].event,
        startedAt: clock.now(),
      },
    });
    return { chatId, patient, conversation };
  }

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  it("answers the patient of a format-1 conversation from where it stopped", async () => {
    const { chatId, patient, conversation } = await oldConversation();
    const r = createTestRouter(t.db, clock, clinicId);
    // «Да» to the question the old conversation asked, typed rather than tapped.
    await r.text(chatId, "да, больше не присылать");
    expect((await r.outbox(chatId)).map((m) => m.text)).toEqual([
      "Готово: мы больше не будем писать вам первыми. Если передумаете, просто напишите «меню». Берегите себя!",
    ]);
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt).not.toBeNull();
    const after = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(after.status).toBe("closed");
    expect(readSession(after.snapshot).machine.value).toBe("stopped");
  });

  it("fires the timer a format-1 conversation was waiting on (its delay was written in milliseconds)", async () => {
    const { chatId, conversation } = await oldConversation();
    const later = new FixedClock(new Date(clock.now().getTime() + 86_400_000 + 1000).toISOString());
    const r = createTestRouter(t.db, later, clinicId);
    expect(await r.router.fireDueTimers()).toBe(1);
    const after = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(after).toMatchObject({ status: "closed", timerDueAt: null });
    expect(readSession(after.snapshot).machine.value).toBe("kept-silently");
    // The flow ends silently after a day without an answer: nothing is sent.
    expect(await r.outbox(chatId)).toEqual([]);
  });

  const unreadable = [
    { what: "a definition written by a newer CareBot", flowDefinition: { ...fixture("flow", 1), formatVersion: 99 }, key: "opt-out@1#newer" },
    { what: "a definition broken even after upgrading", flowDefinition: { ...fixture("flow", 1), states: "confirm" }, key: "opt-out@1#broken" },
    { what: "a session written by a newer CareBot", snapshot: { v: 99 }, key: "opt-out@1#newer-session" },
  ];
  for (const c of unreadable) {
    it(`closes a conversation with ${c.what} and answers the message with today's flows, without a flow error`, async () => {
      const { chatId, conversation } = await oldConversation({ flowDefinition: c.flowDefinition, snapshot: { definitionKey: c.key, ...c.snapshot } });
      const r = createTestRouter(t.db, clock, clinicId);
      await r.text(chatId, "баланс");
      const sent = await r.outbox(chatId);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.text).toBe("Анна, на вашем счёте 0\u00a0баллов.\nБаллы начисляются после каждого оплаченного приёма — в следующий раз они появятся здесь.");
      const old = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
      expect(old).toMatchObject({ status: "closed", timerDueAt: null, timerEvent: null });
      expect(old.closedAt).toEqual(clock.now());
      const latest = await r.conversation(chatId);
      expect(latest).toMatchObject({ flowId: "bonus-balance" });
      expect(await db.escalation.count({ where: { conversationId: conversation.id } })).toBe(0);
      // Its timer is gone with it: the scheduler has nothing to fire for it.
      const later = new FixedClock(new Date(clock.now().getTime() + 2 * 86_400_000).toISOString());
      expect(await createTestRouter(t.db, later, clinicId).router.fireDueTimers()).toBe(0);
    });
  }

  it("closes unreadable conversations whose timers come due, and still fires the readable ones", async () => {
    const newerDefinition = await oldConversation({ flowDefinition: { ...fixture("flow", 1), formatVersion: 99 }, snapshot: { definitionKey: "opt-out@1#newer-timer" } });
    const newerSession = await oldConversation({ snapshot: { v: 99, definitionKey: "opt-out@1#newer-session-timer" } });
    const readable = await oldConversation();
    const later = new FixedClock(new Date(clock.now().getTime() + 86_400_000 + 1000).toISOString());
    await createTestRouter(t.db, later, clinicId).router.fireDueTimers();
    for (const { conversation } of [newerDefinition, newerSession]) {
      expect(await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ status: "closed", timerDueAt: null });
      expect(await db.escalation.count({ where: { conversationId: conversation.id } })).toBe(0);
    }
    const fired = await db.conversation.findUniqueOrThrow({ where: { id: readable.conversation.id } });
    expect(readSession(fired.snapshot).machine.value).toBe("kept-silently");
  });
});
