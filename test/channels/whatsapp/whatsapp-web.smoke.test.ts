// The real whatsapp-web.js Client driving Debian's Chromium. There is no network here, so WhatsApp
// Web never loads and nobody can log in: "up" means puppeteer launched Chromium, talks to it over
// DevTools, opened the page and tried to navigate to web.whatsapp.com (a navigation error offline,
// a QR where the network is open). Then destroy() must leave no Chromium process behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../../../src/channels/whatsapp/channel.ts";
import { createWhatsAppWebClient } from "../../../src/channels/whatsapp/client.ts";
import { describeError } from "../../../src/channels/whatsapp/errors.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`whatsapp-web.js smoke test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => T | null | undefined, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > until) return undefined;
    await sleep(50);
  }
}

/** Pids of live processes whose command line mentions `needle` (Chromium gets the profile dir as a flag). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** "S", "R", ... or "Z" (exited, not yet reaped); undefined once the process is gone. */
function stateOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state = "", ppid = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The browser and every process it started (zygotes, renderers, GPU and network helpers). */
function processTree(root: number): number[] {
  const all = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
  const tree = [root];
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) {
      const parent = stateOf(pid)?.ppid;
      if (parent !== undefined && tree.includes(parent) && !tree.includes(pid)) {
        tree.push(pid);
        grew = true;
      }
    }
  }
  return tree;
}

// A zombie has exited and holds nothing; Chromium's zygotes are re-parented to PID 1, which reaps them.
const running = (pid: number): boolean => {
  const state = stateOf(pid)?.state;
  return state !== undefined && state !== "Z";
};

describe("whatsapp-web.js with Debian's Chromium (offline)", () => {
  it.skipIf(!hasChromium)(
    "initialize() launches Chromium and reaches WhatsApp Web's navigation; destroy() leaves no process",
    async () => {
      const sessionDir = mkdtempSync(join(tmpdir(), "carebot-wa-smoke-"));
      const client = createWhatsAppWebClient({ sessionDir, chromiumPath: CHROMIUM, headless: true });
      const qrs: string[] = [];
      client.on("qr", (qr) => void qrs.push(qr));
      let outcome = "pending";
      const initialized = client.initialize().then(
        () => (outcome = "initialized"),
        (error: unknown) => (outcome = `failed: ${describeError(error)}`),
      );
      try {
        const browser = await waitFor(() => client.pupBrowser, 20_000);
        expect(browser, `Chromium did not start within 20 s (initialize: ${outcome})`).toBeDefined();
        expect(browser!.connected).toBe(true);
        expect(await browser!.version()).toMatch(/Chrom/);
        const pid = browser!.process()?.pid;
        expect(pid).toBeTypeOf("number");
        expect(processesMentioning(sessionDir)).toContain(pid);
        await sleep(500); // let Chromium start its helpers, so they are counted too
        const tree = processTree(pid!);

        // Offline the navigation fails within seconds; online a QR shows up. Either proves the page was driven.
        await Promise.race([initialized, waitFor(() => qrs[0], 15_000)]);
        console.info(`whatsapp-web.js smoke: initialize ${outcome}; QRs seen: ${qrs.length}`);
        expect(client.pupPage).toBeDefined();
        expect(outcome === "pending" ? qrs.length > 0 : /initialized|web\.whatsapp\.com|net::ERR_/.test(outcome)).toBe(true);

        await client.destroy();
        await initialized;
        expect(tree.length).toBeGreaterThan(1);
        expect(await waitFor(() => !tree.some(running), 5_000), `still running: ${tree.filter(running).join(", ")}`).toBe(true);
        expect(processesMentioning(sessionDir)).toEqual([]);
        // Everything the client wrote stays in the session directory: LocalAuth's profile, nothing in the repo.
        expect(existsSync(join(sessionDir, "session"))).toBe(true);
      } finally {
        await client.destroy().catch(() => {});
        rmSync(sessionDir, { recursive: true, force: true });
      }
    },
    30_000,
  );
  it.skipIf(!hasChromium)(
    "the channel on the real client: an offline start is reported, Chromium is closed, stop() ends the retries",
    async () => {
      const sessionDir = mkdtempSync(join(tmpdir(), "carebot-wa-smoke-"));
      const client = createWhatsAppWebClient({ sessionDir, chromiumPath: CHROMIUM, headless: true });
      const channel = createWhatsAppChannel({ client, onInbound: async () => {}, printQr: false, reconnect: { initialDelayMs: 60_000 } });
      try {
        await channel.start();
        const status = channel.status();
        console.info(`whatsapp-web.js smoke: channel after start: ${JSON.stringify(status)}`);
        if (status.state === "disconnected") {
          // Offline: initialize() failed; the channel closed the Chromium that whatsapp-web.js left running.
          expect(status.lastError).toMatch(/^initialize: .*net::ERR_/);
          expect(client.pupBrowser?.connected).toBe(false);
        } else {
          expect(["starting", "qr"]).toContain(status.state); // a machine that can reach WhatsApp
        }
        expect(await channel.sender.send("79161234567@c.us", { text: "Привет" })).toMatchObject({ ok: false, reason: "network", permanent: false });
        await channel.stop();
        expect(channel.status().state).toBe("stopped");
        expect(client.pupBrowser?.connected).toBe(false);
        expect(await waitFor(() => processesMentioning(sessionDir).length === 0, 5_000), "Chromium outlived stop()").toBe(true);
      } finally {
        await channel.stop();
        rmSync(sessionDir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
