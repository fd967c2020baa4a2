import { afterEach, describe, expect, it, vi } from "vitest";
import type { InboundMessage } from "../../../src/channels/types.ts";
import type { WhatsAppChannel, WhatsAppChannelOptions } from "../../../src/channels/whatsapp/channel.ts";
import { createWhatsAppChannel } from "../../../src/channels/whatsapp/channel.ts";
import type { WhatsAppLogger } from "../../../src/channels/whatsapp/logger.ts";
import { FakeWhatsAppClient, incoming, vcard } from "./fake-client.ts";

const ANNA = "79161234567@c.us";
const IVAN = "79035550011@c.us";
const yesNo = { text: "Вы придёте на приём?", options: [{ value: "yes", label: "Да" }, { value: "no", label: "Нет" }] };

const channels: WhatsAppChannel[] = [];
afterEach(async () => {
  for (const channel of channels.splice(0)) await channel.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function memoryLogger() {
  const lines: Array<{ level: string; msg?: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg !== undefined && { msg }) });
  const logger: WhatsAppLogger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

function setup(overrides: Partial<WhatsAppChannelOptions> & { handle?: (m: InboundMessage) => Promise<void> | void } = {}) {
  const client = new FakeWhatsAppClient();
  const received: InboundMessage[] = [];
  const { logger, lines } = memoryLogger();
  const { handle, ...rest } = overrides;
  const channel = createWhatsAppChannel({
    client,
    onInbound: async (message) => {
      received.push(message);
      await handle?.(message);
    },
    logger,
    printQr: false,
    ...rest,
  });
  channels.push(channel);
  const waitFor = async (n: number) => {
    await expect.poll(() => received.length, { timeout: 2000, interval: 5 }).toBeGreaterThanOrEqual(n);
    return received;
  };
  return { client, channel, received, lines, waitFor };
}

async function readyChannel(overrides: Parameters<typeof setup>[0] = {}) {
  const t = setup(overrides);
  await t.channel.start();
  t.client.emitReady();
  return t;
}

describe("session state", () => {
  it("is stopped before start, starting while WhatsApp Web loads", async () => {
    const { channel, client } = setup();
    expect(channel.status()).toEqual({ ok: false, state: "stopped" });
    await channel.start();
    expect(client.initializeCalls).toBe(1);
    expect(channel.status()).toEqual({ ok: false, state: "starting" });
    await channel.start(); // already running: nothing more
    expect(client.initializeCalls).toBe(1);
  });

  it("exposes a QR in status(), to onQr listeners and to the printer, until it is scanned", async () => {
    const printed: string[] = [];
    const { channel, client } = setup({ printQr: (qr) => void printed.push(qr) });
    const seen: string[] = [];
    const unsubscribe = channel.onQr((qr) => void seen.push(qr));
    await channel.start();
    client.emitQr("2@abc,def,ghi");
    expect(channel.status()).toEqual({ ok: false, state: "qr", qr: "2@abc,def,ghi" });
    client.emitQr("2@refreshed");
    expect(channel.status().qr).toBe("2@refreshed");
    unsubscribe();
    client.emitQr("2@third");
    expect(seen).toEqual(["2@abc,def,ghi", "2@refreshed"]);
    expect(printed).toEqual(["2@abc,def,ghi", "2@refreshed", "2@third"]);
    client.emitAuthenticated();
    expect(channel.status()).toEqual({ ok: false, state: "starting" });
    client.emitReady();
    expect(channel.status()).toEqual({ ok: true, state: "ready" });
  });

  it("prints the raw QR text with a one-line explanation by default (no QR renderer is installed)", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const client = new FakeWhatsAppClient();
    const channel = createWhatsAppChannel({ client, onInbound: async () => {} });
    channels.push(channel);
    await channel.start();
    client.emitQr("2@raw-qr-text");
    const output = write.mock.calls.map((call) => String(call[0])).join("");
    expect(output).toMatch(/^WhatsApp: .*Linked devices.*\n2@raw-qr-text\n$/);
  });
});

describe("sending", () => {
  it("refuses with a retryable failure while the session is not ready, without touching the client", async () => {
    const { channel, client } = setup();
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toEqual({
      ok: false,
      reason: "network",
      permanent: false,
      error: "WhatsApp session is not ready",
    });
    await channel.start();
    client.emitQr("2@qr");
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "network", permanent: false });
    expect(client.sent).toEqual([]);
  });

  it("sends once ready: options as a numbered menu with a hint in the message's language", async () => {
    const { channel, client } = await readyChannel();
    expect(channel.sender.channel).toBe("whatsapp");
    const result = await channel.sender.send(ANNA, yesNo);
    expect(result).toEqual({ ok: true, externalMessageId: `true_${ANNA}_OUT1` });
    expect(client.sent).toEqual([{ chatId: ANNA, text: "Вы придёте на приём?\n\n1. Да\n2. Нет\n\nОтветьте цифрой нужного варианта." }]);
    await channel.sender.send(ANNA, { text: "Will you come?", options: [{ value: "yes", label: "Yes" }] });
    expect(client.sent[1]?.text).toBe("Will you come?\n\n1. Yes\n\nReply with the number of your answer.");
  });

  it("asks for the phone number in words, with the clinic's own texts when given", async () => {
    const { channel, client } = await readyChannel({
      texts: { contactRequest: (locale) => `[${locale}] Пришлите номер`, menuHint: () => "Цифрой, пожалуйста" },
    });
    await channel.sender.send(ANNA, { text: "Нам нужен ваш телефон.", requestContact: true });
    await channel.sender.send(ANNA, yesNo);
    expect(client.sent.map((s) => s.text)).toEqual([
      "Нам нужен ваш телефон.\n\n[ru] Пришлите номер",
      "Вы придёте на приём?\n\n1. Да\n2. Нет\n\nЦифрой, пожалуйста",
    ]);
  });

  it("a reply to the menu arrives as the TEXT the patient typed", async () => {
    const { channel, client, waitFor } = await readyChannel();
    await channel.sender.send(ANNA, yesNo);
    client.emitMessage(incoming({ from: ANNA, body: "2" }));
    const [message] = await waitFor(1);
    expect(message?.event).toEqual({ type: "TEXT", text: "2" });
  });

  it("classifies failures: bad recipients for good, a closed session retried and reconnected", async () => {
    vi.useFakeTimers();
    const { channel, client } = await readyChannel({ reconnect: { initialDelayMs: 1000 } });
    expect(await channel.sender.send("+79161234567", { text: "Привет" })).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    expect(await channel.sender.send(ANNA, { text: "  " })).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    client.sendFailures.push(new Error("wid error: invalid wid"), "no chat");
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
    expect(channel.status().state).toBe("ready");

    // Chromium died: whatsapp-web.js says nothing, so the failed send itself triggers a reconnect.
    client.sendFailures.push(Object.assign(new Error("Protocol error (Runtime.callFunctionOn): Session closed."), { name: "ProtocolError" }));
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "network", permanent: false });
    expect(channel.status()).toMatchObject({ ok: false, state: "disconnected", lastError: expect.stringMatching(/Session closed/) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.destroyCalls).toBe(1);
    expect(client.initializeCalls).toBe(2);
    client.emitReady();
    expect(await channel.sender.send(ANNA, { text: "Снова на связи" })).toMatchObject({ ok: true });
  });
});

describe("receiving", () => {
  it("hands over patients' private messages only, with dedupe keys", async () => {
    const { client, received, waitFor } = await readyChannel();
    const text = incoming({ from: ANNA, body: "Здравствуйте" });
    client.emitMessage(text);
    client.emitMessage(incoming({ from: "120363025246125486@g.us", author: ANNA, body: "в группе" }));
    client.emitMessage(incoming({ from: "status@broadcast", isStatus: true }));
    client.emitMessage(incoming({ from: ANNA, fromMe: true, body: "эхо" }));
    client.emitMessage(incoming({ from: ANNA, type: "e2e_notification", body: "" }));
    const card = vcard("Анна", "79161234567", "+7 916 123-45-67");
    client.emitMessage(incoming({ from: ANNA, type: "vcard", body: card, vCards: [card] }));
    client.emitMessage(incoming({ from: ANNA, type: "ptt", body: "", hasMedia: true }));
    client.emitMessage(incoming({ from: IVAN, type: "image", body: "снимок", hasMedia: true }));
    await waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 20)); // nothing else trickles in
    // Chats run side by side: order holds within a chat only.
    const eventsOf = (chatId: string) => received.filter((m) => m.chatId === chatId).map((m) => m.event);
    expect(received).toHaveLength(4);
    expect(eventsOf(ANNA)).toEqual([
      { type: "TEXT", text: "Здравствуйте" },
      { type: "CONTACT", phone: "+79161234567", own: true },
      { type: "MEDIA", kind: "voice" },
    ]);
    expect(eventsOf(IVAN)).toEqual([{ type: "MEDIA", kind: "photo" }]);
    expect(received.find((m) => m.event.type === "TEXT")).toMatchObject({ channel: "whatsapp", dedupeKey: `wa:${text.id._serialized}`, displayName: "Анна" });
  });

  it("looks up the phone of a hidden (@lid) sender, and skips one it cannot find", async () => {
    const { client, received, lines, waitFor } = await readyChannel();
    client.lids.set("179950657237125@lid", ANNA);
    client.emitMessage(incoming({ from: "999@lid", body: "кто я?" }));
    client.emitMessage(incoming({ from: "179950657237125@lid", body: "Добрый день" }));
    await waitFor(1);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ chatId: ANNA, event: { type: "TEXT", text: "Добрый день" } });
    expect(lines.some((l) => l.level === "warn" && /@lid/.test(l.msg ?? ""))).toBe(true);
  });

  it("keeps going after a handler throws, and logs it", async () => {
    const { client, lines, waitFor } = await readyChannel({
      handle: (m) => {
        if (m.event.type === "TEXT" && m.event.text === "boom") throw new Error("router exploded");
      },
    });
    client.emitMessage(incoming({ from: ANNA, body: "boom" }));
    client.emitMessage(incoming({ from: ANNA, body: "после" }));
    client.emitMessage(incoming({ from: IVAN, body: "другой чат" }));
    const received = await waitFor(3);
    expect(received.map((m) => m.event)).toContainEqual({ type: "TEXT", text: "после" });
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", obj: expect.objectContaining({ error: "Error: router exploded" }) }));
  });

  it("handles one chat's messages in order, without holding up other chats", async () => {
    let releaseFirst: () => void = () => {};
    const firstDone = new Promise<void>((resolve) => (releaseFirst = resolve));
    const log: string[] = [];
    const { client, waitFor } = await readyChannel({
      handle: async (m) => {
        const text = m.event.type === "TEXT" ? m.event.text : "";
        log.push(`start ${text}`);
        if (text === "первое") await firstDone;
        log.push(`end ${text}`);
      },
    });
    client.emitMessage(incoming({ from: ANNA, body: "первое" }));
    client.emitMessage(incoming({ from: ANNA, body: "второе" }));
    client.emitMessage(incoming({ from: IVAN, body: "иван" }));
    await expect.poll(() => log).toContain("end иван");
    expect(log).not.toContain("start второе"); // waits for the slow first message of the same chat
    releaseFirst();
    await waitFor(3);
    await expect.poll(() => log.at(-1)).toBe("end второе");
    expect(log.indexOf("end первое")).toBeLessThan(log.indexOf("start второе"));
  });
});

describe("reconnecting", () => {
  it("reconnects after a disconnect with exponential backoff, capped, and is ready again", async () => {
    vi.useFakeTimers();
    const { channel, client } = await readyChannel({ reconnect: { initialDelayMs: 1000, maxDelayMs: 4000 } });
    client.initializeFailures.push(new Error("net::ERR_INTERNET_DISCONNECTED"), new Error("net::ERR_INTERNET_DISCONNECTED"), new Error("net::ERR_NAME_NOT_RESOLVED"));
    client.emitDisconnected("NAVIGATION");
    expect(channel.status()).toMatchObject({ ok: false, state: "disconnected", lastError: "disconnected: NAVIGATION" });
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "network", permanent: false });

    const initializedAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return client.initializeCalls;
    };
    expect(await initializedAfter(999)).toBe(1);
    expect(await initializedAfter(1)).toBe(2); // 1 s: fails
    expect(channel.status()).toMatchObject({ state: "disconnected", lastError: expect.stringMatching(/ERR_INTERNET_DISCONNECTED/) });
    expect(await initializedAfter(1999)).toBe(2);
    expect(await initializedAfter(1)).toBe(3); // 2 s: fails
    expect(await initializedAfter(3999)).toBe(3);
    expect(await initializedAfter(1)).toBe(4); // 4 s: fails
    expect(await initializedAfter(3999)).toBe(4);
    expect(await initializedAfter(1)).toBe(5); // capped at 4 s: succeeds
    // Each attempt closed the previous browser first (4), and each failed one its own leftovers (3).
    expect(client.destroyCalls).toBe(7);
    expect(channel.status().state).toBe("starting");
    client.emitReady();
    expect(channel.status()).toMatchObject({ ok: true, state: "ready" });
    expect(await channel.sender.send(ANNA, { text: "Снова на связи" })).toEqual({ ok: true, externalMessageId: expect.any(String) });

    // A success resets the backoff.
    client.emitDisconnected("CONFLICT");
    expect(await initializedAfter(1000)).toBe(6);
  });

  it("starts a fresh client from createClient for each reconnect and ignores the old one", async () => {
    vi.useFakeTimers();
    const fresh: FakeWhatsAppClient[] = [];
    const { channel, client, received } = await readyChannel({
      reconnect: { initialDelayMs: 500 },
      createClient: () => {
        const next = new FakeWhatsAppClient();
        fresh.push(next);
        return next;
      },
    });
    client.emitDisconnected("UNPAIRED");
    await vi.advanceTimersByTimeAsync(500);
    expect(client.destroyCalls).toBe(1);
    expect(fresh).toHaveLength(1);
    const next = fresh[0]!;
    expect(next.initializeCalls).toBe(1);
    expect(next.listenerCount("message")).toBe(1);
    client.emitReady(); // late events from the replaced client change nothing
    client.emitMessage(incoming({ from: ANNA, body: "старый клиент" }));
    expect(channel.status().state).toBe("starting");
    next.emitQr("2@new-login");
    expect(channel.status()).toMatchObject({ state: "qr", qr: "2@new-login" });
    next.emitReady();
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: true });
    expect(next.sent).toHaveLength(1);
    expect(client.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(received).toHaveLength(0);
  });

  it("a failed start does not throw: it is reported and retried", async () => {
    vi.useFakeTimers();
    const { channel, client } = setup({ reconnect: { initialDelayMs: 2000 } });
    client.initializeFailures.push(new Error("Failed to launch the browser process!"));
    await channel.start();
    expect(channel.status()).toEqual({ ok: false, state: "disconnected", lastError: "initialize: Error: Failed to launch the browser process!" });
    expect(client.destroyCalls).toBe(1); // whatever was launched is closed
    await vi.advanceTimersByTimeAsync(2000);
    expect(client.initializeCalls).toBe(2);
    expect(channel.status().state).toBe("starting");
  });

  it("gives up on an initialize() that hangs and tries again", async () => {
    vi.useFakeTimers();
    const { channel, client } = setup({ reconnect: { initialDelayMs: 1000, initializeTimeoutMs: 30_000 } });
    let hang = true;
    const original = client.initialize.bind(client);
    client.initialize = () => (hang ? ((hang = false), client.initializeCalls++, new Promise<void>(() => {})) : original());
    const started = channel.start();
    await vi.advanceTimersByTimeAsync(30_000);
    await started;
    expect(channel.status()).toMatchObject({ state: "disconnected", lastError: expect.stringMatching(/within 30 s/) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.initializeCalls).toBe(2);
  });

  it("stop() ends reconnect attempts, closes the client and ignores later events", async () => {
    vi.useFakeTimers();
    const { channel, client, received } = await readyChannel({ reconnect: { initialDelayMs: 1000 } });
    client.emitDisconnected("NAVIGATION");
    await channel.stop();
    expect(channel.status()).toMatchObject({ ok: false, state: "stopped" });
    expect(client.destroyCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(client.initializeCalls).toBe(1);
    client.emitReady();
    client.emitQr("2@late");
    client.emitMessage(incoming({ from: ANNA }));
    await vi.advanceTimersByTimeAsync(10);
    expect(channel.status().state).toBe("stopped");
    expect(received).toHaveLength(0);
    expect(await channel.sender.send(ANNA, { text: "Привет" })).toMatchObject({ ok: false, reason: "network", permanent: false });
    // It can be started again.
    await channel.start();
    expect(client.initializeCalls).toBe(2);
  });

  it("stop() during a launch closes the browser that launch brings up, and does not reconnect", async () => {
    vi.useFakeTimers();
    const { channel, client } = setup({ reconnect: { initialDelayMs: 1000 } });
    // Like whatsapp-web.js: initialize() stays pending while the page loads; closing the browser fails it.
    let failLaunch: (error: Error) => void = () => {};
    client.initialize = () => {
      client.initializeCalls += 1;
      return new Promise<void>((_, reject) => (failLaunch = reject));
    };
    const originalDestroy = client.destroy.bind(client);
    client.destroy = async () => {
      await originalDestroy();
      failLaunch(new Error("Navigation failed because browser has disconnected!"));
    };
    void channel.start();
    await vi.advanceTimersByTimeAsync(0);
    await channel.stop();
    expect(client.destroyCalls).toBe(2); // once at once, once more after the launch settled
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.initializeCalls).toBe(1);
    expect(channel.status()).toEqual({ ok: false, state: "stopped" });
  });

  it("stop() waits for messages being handled", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const { channel, client, waitFor } = await readyChannel({
      handle: async () => {
        await gate;
        finished = true;
      },
    });
    client.emitMessage(incoming({ from: ANNA }));
    await waitFor(1);
    const stopping = channel.stop();
    setTimeout(release, 20);
    await stopping;
    expect(finished).toBe(true);
  });
});
