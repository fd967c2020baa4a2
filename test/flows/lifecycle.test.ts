import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { readSession } from "../../src/flows/runtime/session.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter, SHIPPED } from "../support/runtime.ts";

/** A copy of the shipped flows and texts that a test may edit, as a clinic would. */
function editableCopy() {
  const dir = mkdtempSync(path.join(tmpdir(), "carebot-flows-"));
  cpSync(SHIPPED.flowsDir, path.join(dir, "flows"), { recursive: true });
  cpSync(SHIPPED.templatesDir, path.join(dir, "templates"), { recursive: true });
  return { flowsDir: path.join(dir, "flows"), templatesDir: path.join(dir, "templates"), root: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe(`conversation lifecycle on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let chat = 5000;
  const newChat = async () => {
    const chatId = String(++chat);
    const patient = await createPatient(db, clinicId);
    await linkChat(db, clinicId, patient.id, chatId);
    return { chatId, patient };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  it("survives a restart mid-flow: state and pending timer are in the database, not in memory", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const { chatId, patient } = await newChat();
    const before = createTestRouter(t.db, clock, clinicId);
    await before.text(chatId, "стоп");
    const stored = await before.conversation(chatId);
    expect(stored!.timerDueAt).toEqual(new Date("2026-11-24T08:00:00Z"));

    // "Restart": a new router, new flow service, nothing shared but the database.
    const after = createTestRouter(t.db, clock, clinicId);
    clock.set("2026-11-23T20:00:00Z");
    expect(await after.router.fireDueTimers()).toBe(0);
    await after.text(chatId, "да, больше не присылать");
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt).not.toBeNull();
  });

  it("fires a persisted timer when it is due, after a restart", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const { chatId } = await newChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "стоп");
    const restarted = createTestRouter(t.db, clock, clinicId);
    clock.set("2026-11-24T08:00:01Z");
    expect(await restarted.router.fireDueTimers()).toBe(1);
    const conversation = await restarted.conversation(chatId);
    expect(conversation).toMatchObject({ status: "closed", timerDueAt: null });
    expect(readSession(conversation!.snapshot).machine.value).toBe("kept-silently");
    // Nothing more is said when nobody answered, and the timer never fires twice.
    expect(await restarted.outbox(chatId)).toHaveLength(1);
    expect(await restarted.router.fireDueTimers()).toBe(0);
  });

  it("finishes a conversation on the version it started with while new ones use the edited flow", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const copy = editableCopy();
    try {
      const r = createTestRouter(t.db, clock, clinicId, copy);
      const old = await newChat();
      await r.text(old.chatId, "стоп");

      // The clinic edits the flow: "yes" now leads to a new farewell text, version 2.
      const file = path.join(copy.flowsDir, "opt-out.json");
      const flow = JSON.parse(readFileSync(file, "utf8"));
      flow.version = 2;
      flow.states.stopped.entry[1].params.template = "opt-out.done-v2";
      writeFileSync(file, JSON.stringify(flow, null, 2));
      writeFileSync(path.join(copy.templatesDir, "ru", "opt-out.done-v2.hbs"), "Новая версия: вы отписаны.\n");
      writeFileSync(path.join(copy.templatesDir, "en", "opt-out.done-v2.hbs"), "New version: you are unsubscribed.\n");
      expect(r.flows.reload()).toEqual([]);

      const fresh = await newChat();
      await r.text(fresh.chatId, "стоп");
      await r.text(old.chatId, "да, больше не присылать");
      await r.text(fresh.chatId, "да, больше не присылать");
      expect((await r.outbox(old.chatId)).at(-1)!.text).toContain("мы больше не будем писать вам первыми");
      expect((await r.outbox(fresh.chatId)).at(-1)!.text).toBe("Новая версия: вы отписаны.");
      const versions = await db.conversation.findMany({ where: { identity: { externalChatId: { in: [old.chatId, fresh.chatId] } } }, orderBy: { id: "asc" } });
      expect(versions.map((c) => c.flowVersion)).toEqual([1, 2]);
    } finally {
      copy.cleanup();
    }
  });

  it("keeps serving the last good version when an edit breaks a flow", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const copy = editableCopy();
    try {
      const r = createTestRouter(t.db, clock, clinicId, copy);
      writeFileSync(path.join(copy.flowsDir, "opt-out.json"), '{ "id": "opt-out", ');
      const problems = r.flows.reload();
      expect(problems).toEqual([{ file: "flows/opt-out.json", message: expect.stringMatching(/^invalid JSON at line 1, column \d+/) }]);
      const { chatId } = await newChat();
      await r.text(chatId, "стоп");
      expect((await r.outbox(chatId))[0]!.text).toContain("Вы хотите, чтобы мы больше не присылали");
    } finally {
      copy.cleanup();
    }
  });

  it("picks up an edited text while running (hot reload by watching the folders)", async () => {
    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const copy = editableCopy();
    const r = createTestRouter(t.db, clock, clinicId, copy);
    const { createLogger } = await import("../../src/logger.ts");
    r.flows.watch(createLogger({ level: "silent", pretty: false }), 20);
    try {
      writeFileSync(path.join(copy.templatesDir, "ru", "opt-out.kept.hbs"), "Хорошо, оставляем как есть.\n");
      const deadline = Date.now() + 5000;
      while (r.flows.catalog().templates.render("opt-out.kept", { ...(await import("../../src/flows/templates/index.ts")).sampleView() }) !== "Хорошо, оставляем как есть.") {
        if (Date.now() > deadline) throw new Error("the edit was not picked up within 5 s");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      r.flows.close();
      copy.cleanup();
    }
  });
});
