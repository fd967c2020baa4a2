// Random and malformed updates through CareBot's real grammY bot (long polling against the loopback
// fake Bot API), on the database this run uses. Reproducible: the seed is printed, and
// RELIABILITY_SEED=<seed> replays the same run. 3,000 updates in the suite (about a minute on two
// busy cores); FUZZ_UPDATES=10000 runs the full issue-#8 figure by hand (see docs/reliability.md).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser } from "../support/fake-bot-api/index.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { linkChat } from "../support/fixtures.ts";
import { pushRandomUpdate } from "./support/fuzz-updates.ts";
import type { FuzzKind } from "./support/fuzz-updates.ts";
import { seededRng, seedFromEnv } from "./support/prng.ts";
import { startInProcess, TOKEN } from "./support/service.ts";
import type { InProcessCareBot } from "./support/service.ts";
import { problemsOf } from "./support/telegram-checks.ts";
import { waitUntil } from "./support/wait.ts";

const UPDATES = Number(process.env.FUZZ_UPDATES ?? 3_000);
const WAVE = 500;
/** When the first heap reading is taken: after 2,000 updates, or a third of a shorter run. */
const EARLY = Math.min(2_000, Math.max(WAVE, Math.round(UPDATES / 3 / WAVE) * WAVE));
const CHATS = 120;
/** heapUsed after GC at the end may exceed the level at EARLY by this much (a size bound, generous). */
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe(`fuzz: ${UPDATES} random and malformed updates through the grammY bot (on ${TEST_PROVIDER})`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let carebot: InProcessCareBot;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    process.on("uncaughtException", onUnhandled);
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    carebot = await startInProcess(target, api);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    process.off("uncaughtException", onUnhandled);
    await carebot?.stop();
    await api?.close();
    await target?.drop();
  });

  it("never crashes, answers only with proper messages, and keeps its memory bounded", async () => {
    const seed = seedFromEnv();
    console.log(`fuzz seed: ${seed} (replay with RELIABILITY_SEED=${seed})`);
    const rng = seededRng(seed);
    const prisma = carebot.service.db.prisma;

    // Half the chats belong to the demo clinic's patients already; the rest are strangers.
    const clinic = await prisma.clinic.findFirstOrThrow();
    const patients = await prisma.patient.findMany({ where: { clinicId: clinic.id }, orderBy: { id: "asc" } });
    const users: FakeUser[] = Array.from({ length: CHATS }, (_, i) => fakeUser(9_000_001 + i, { firstName: `Пациент${i}`, languageCode: i % 7 === 0 ? "en" : "ru" }));
    for (const [i, user] of users.entries()) {
      if (i % 2 === 0) await linkChat(prisma, clinic.id, patients[i % patients.length]!.id, String(user.id));
    }
    const ctx = { api, users, phones: patients.flatMap((p) => (p.phone ? [p.phone] : [])) };

    /** Every pushed update confirmed and every reply due now sent. */
    const settle = (what: string) =>
      waitUntil(
        async () =>
          api.pendingUpdates.length === 0 &&
          (await prisma.outbox.count({ where: { status: { in: ["pending", "sending"] }, dueAt: { lte: new Date() } } })) === 0,
        90_000,
        () => `${what}: ${api.pendingUpdates.length} updates unconfirmed`,
      );

    const kinds = new Map<FuzzKind, number>();
    let heapEarly = 0;
    for (let pushed = 0; pushed < UPDATES; ) {
      const n = Math.min(WAVE, UPDATES - pushed);
      for (let i = 0; i < n; i++) {
        const kind = pushRandomUpdate(rng, ctx);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      pushed += n;
      await settle(`after ${pushed} updates`);
      if (process.env.FUZZ_VERBOSE) console.log(`${pushed} updates settled at ${new Date().toISOString()}`);
      if (pushed === EARLY) heapEarly = heapAfterGc();
    }
    const heapEnd = heapAfterGc();

    const sent = api.sent;
    const problems = sent.flatMap(problemsOf);
    const refused = api.calls.filter((c) => c.status >= 400 && /^send/.test(c.method)); // edits of stale buttons may fail: ignorable
    const dead = await prisma.outbox.findMany({ where: { status: "dead" }, select: { lastError: true }, take: 5 });
    const dropped = carebot.log.lines.filter((l) => l.msg === "telegram: handling an update failed");
    const flowErrors = carebot.log.lines.filter((l) => /flow step failed/.test(String(l.msg)));
    // Known and pinned in fuzz-findings.test.ts (a fix outside the adapter): answered politely and escalated meanwhile.
    const known = (l: (typeof flowErrors)[number]) => /no valid phone number/.test(String((l.err as { message?: string } | undefined)?.message));
    console.log(
      `fuzz: ${UPDATES} updates (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}); ${sent.length} messages to ${new Set(sent.map((m) => m.chatId)).size} chats; ` +
        `${api.callbackAnswers.length} presses answered; ${dropped.length} updates given up as poison; ${flowErrors.length} flow errors (${flowErrors.filter(known).length} known); ` +
        `heap after GC ${(heapEarly / 2 ** 20).toFixed(1)} MB at ${EARLY} → ${(heapEnd / 2 ** 20).toFixed(1)} MB at ${UPDATES}`,
    );

    expect(unhandled).toEqual([]);
    expect(carebot.service.channels.describe().join()).toContain("Telegram");
    const health = (await (await fetch(`${carebot.service.url}/health`)).json()) as { components: { telegram: { ok: boolean } } };
    expect(health.components.telegram.ok).toBe(true);
    expect(sent.length).toBeGreaterThan(UPDATES / 10); // the bot did answer, a lot
    expect(problems).toEqual([]);
    expect(refused.map((c) => `${c.method} ${c.status} ${String(c.response)}`)).toEqual([]);
    expect(dead).toEqual([]);
    // Nothing in these updates should defeat the adapter or the router outright.
    expect(dropped.map((l) => l.error)).toEqual([]);
    expect(flowErrors.filter((l) => !known(l)).map((l) => (l.err as { message?: string } | undefined)?.message)).toEqual([]);
    expect(heapEnd - heapEarly).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 300_000);
});
