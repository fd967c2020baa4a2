import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { childScriptArgv, ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const TOKEN = "123456:RELIABILITY-TEST-TOKEN-00";
const MESSAGES = 2000;
const BATCH = 50;

interface Setup {
  target: TestDatabase;
  db: Database;
  api: FakeBotApi;
}
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

/** 2,000 patients' chats, each owed one message in the outbox. */
async function setup(): Promise<Setup> {
  const target = await createMigratedTarget();
  const db = openDatabase(target.config);
  const api = await startFakeBotApi({ token: TOKEN });
  cleanups.push(() => target.drop(), () => db.close(), () => api.close());
  const clinicId = (await createClinic(db.prisma)).id;
  const chatIds = Array.from({ length: MESSAGES }, (_, i) => 100_000 + i);
  for (const id of chatIds) api.sendText(fakeUser(id), "здравствуйте"); // the fake knows chats that wrote
  await db.prisma.channelIdentity.createMany({ data: chatIds.map((id) => ({ clinicId, channel: "telegram" as const, externalChatId: String(id) })) });
  const identities = await db.prisma.channelIdentity.findMany({ select: { id: true, externalChatId: true } });
  const now = new Date();
  await db.prisma.outbox.createMany({
    data: identities.map((i) => ({
      clinicId,
      identityId: i.id,
      idempotencyKey: `reliability:${i.externalChatId}`,
      kind: "reminder",
      category: "transactional" as const,
      payload: { message: { text: `Напоминание для ${i.externalChatId}` } },
      dueAt: now,
    })),
  });
  return { target, db, api };
}

function startChild(s: Setup, env: Record<string, string>): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, childScriptArgv("dispatch-child"), {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: s.target.config.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: s.api.apiRoot, BATCH: String(BATCH), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanups.push(async () => child.kill("SIGKILL"));
  const done = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, done };
}

/** How many messages each chat received. */
function receivedPerChat(api: FakeBotApi): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of api.sent) counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
  return counts;
}

describe(`delivery across crashes and processes (${MESSAGES} messages, on ${TEST_PROVIDER})`, () => {
  it("a dispatcher killed with SIGKILL midway and restarted loses nothing, and repeats at most what was in flight", async () => {
    const s = await setup();
    const first = startChild(s, { LEASE_MS: "2000", RATE: "400", OWNER: "first" });
    const deadline = Date.now() + 60_000;
    while (s.api.sent.length < MESSAGES / 3) {
      if (Date.now() > deadline) throw new Error(`the first dispatcher sent only ${s.api.sent.length} in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill("SIGKILL");
    await first.done;
    const atKill = s.api.sent.length;
    const claimedUnconfirmed = await s.db.prisma.outbox.count({ where: { status: "sending" } });

    const second = startChild(s, { LEASE_MS: "2000", RATE: "0", OWNER: "second" });
    expect(await second.done).toBe(0);

    const counts = receivedPerChat(s.api);
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    console.log(`crash test: killed after ${atKill} sends; ${claimedUnconfirmed} rows were claimed and unconfirmed; ${duplicates} chats got their message twice`);
    expect(counts.size).toBe(MESSAGES);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    // Only rows sent but not yet recorded when the process died can repeat: at most one claim's worth.
    expect(duplicates).toBeLessThanOrEqual(Math.min(BATCH, claimedUnconfirmed));
    expect(await s.db.prisma.outbox.count({ where: { status: "sent" } })).toBe(MESSAGES);
  }, 180_000);

  it("two dispatchers in two processes side by side send every message exactly once", async () => {
    const s = await setup();
    const a = startChild(s, { OWNER: "instance-a", RATE: "0" });
    const b = startChild(s, { OWNER: "instance-b", RATE: "0" });
    expect(await Promise.all([a.done, b.done])).toEqual([0, 0]);
    const counts = receivedPerChat(s.api);
    expect(counts.size).toBe(MESSAGES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Both did share the work.
    const byOwner = await s.db.prisma.outbox.groupBy({ by: ["leaseOwner"], _count: { _all: true } });
    expect(byOwner.map((o) => o.leaseOwner).sort()).toEqual(["instance-a", "instance-b"]);
    expect(byOwner.reduce((n, o) => n + o._count._all, 0)).toBe(MESSAGES);
  }, 180_000);
});
