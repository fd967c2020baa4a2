// `carebot jobs run --wait` follows the delivery of the rows it queued while a dispatcher (here in
// the test, in production the running service) sends them; with nobody sending it says so.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelSender } from "../../src/channels/types.ts";
import { jobsRunCommand } from "../../src/cli/jobs.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createTestRouter } from "../support/runtime.ts";
import { clinicHelpers } from "../scheduler/helpers.ts";

/** A terminal-like stream that keeps what was written. */
function terminal(isTTY: boolean) {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 160;
  return { stream, text: () => text };
}

describe(`carebot jobs run --wait on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  it("draws a bar while the dispatcher sends, then sums up", async () => {
    const clinic = await h.clinic();
    for (let i = 0; i < 12; i++) await h.patient(clinic.id, { balance: 100 + i });
    await h.patient(clinic.id, { balance: 100, chats: ["blocked"] });
    const clock = new FixedClock("2026-11-02T08:00:00Z");
    const test = createTestRouter(t.db, clock, clinic.id);
    const sent: string[] = [];
    const sender: ChannelSender = { channel: "telegram", send: async (chatId) => (sent.push(chatId), { ok: true }) };
    const dispatcher = new Dispatcher({
      db: t.db,
      clock,
      logger: createLogger({ level: "silent", pretty: false }),
      senders: { telegram: sender },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => test.router.startFlow(identityId, flowId, options),
    });
    const out = terminal(true);
    const err = terminal(false);
    let finished = false;
    // 1 November 11:00 in Moscow: the monthly reminder, for the 12 patients with a reachable chat.
    const command = jobsRunCommand(loadConfig({ DATABASE_URL: t.config.url }, ROOT), "balance", { at: "2026-11-01T11:00", wait: true }, { output: out.stream, error: err.stream, stallMs: 10_000 }).finally(() => {
      finished = true;
    });
    while (!finished) {
      await dispatcher.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await command).toBe(0);
    expect(sent).toHaveLength(12);
    const text = out.text();
    expect(text).toMatch(/planned\s+12\n/);
    expect(text).toContain("Sending through the running service's dispatcher");
    expect(text).toMatch(/\r\[#{40}\] 12\/12 {2}sent 12 · skipped 0 · failed 0 · waiting 0 · queued 0/);
    expect(text).toContain("Delivery: sent 12 · skipped 0 · failed 0 · waiting 0 · queued 0.");
  });

  it("says so when nothing is sending, and leaves the rows queued", async () => {
    const clinic = await h.clinic();
    await h.patient(clinic.id, { balance: 300 });
    const out = terminal(false);
    const code = await jobsRunCommand(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), "balance", { at: "2026-11-01T11:00", wait: true }, { output: out.stream, error: terminal(false).stream, stallMs: 300 });
    expect(code).toBe(0);
    expect(out.text()).toContain("sent 0 · skipped 0 · failed 0 · waiting 0 · queued 1\n");
    expect(out.text()).toContain("Nothing was sent for 0 s: is `carebot start` running? The 1 queued row(s) stay queued and go out when it runs.");
    expect(await h.prisma.outbox.count({ where: { clinicId: clinic.id, status: "pending" } })).toBe(1);
  });
});
