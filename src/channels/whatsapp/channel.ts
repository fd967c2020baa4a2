// CareBot's WhatsApp channel on a WhatsApp Web client: keeps the session up (QR, reconnects with
// backoff), hands patients' messages to the router in order, and sends the outbox's messages (the
// dispatcher paces them: DEFAULT_LIMITS.whatsapp in src/outbox/dispatcher.ts).
// It only translates: no conversation logic, no storage (the login lives in the client's sessionDir).
import type { ChannelSender, InboundHandler, OutboundMessage, SendResult } from "../types.ts";
import { KeyedQueue } from "../../util/keyed-queue.ts";
import type { WhatsAppClient, WhatsAppIncoming } from "./client.ts";
import { classifySendError, describeError, isSessionClosedError, NOT_READY } from "./errors.ts";
import { isPrivateChat, toInboundMessage } from "./inbound.ts";
import type { WhatsAppLogger } from "./logger.ts";
import { silentLogger } from "./logger.ts";
import { renderMessage } from "./render.ts";
import { senderChatOf } from "./sender-chat.ts";
import { defaultContactRequest, defaultMenuHint, guessLocale } from "./texts.ts";

export type WhatsAppChannelState = "starting" | "qr" | "ready" | "disconnected" | "stopped";

export interface WhatsAppChannelStatus {
  ok: boolean;
  state: WhatsAppChannelState;
  /** The QR to scan (WhatsApp → Linked devices), while state is "qr". */
  qr?: string;
  lastError?: string;
}

export interface WhatsAppTexts {
  /** The line under a numbered menu, in the message's guessed language ("ru", "en" or unknown). */
  menuHint(locale?: string): string;
  /** The sentence that asks for the phone number when a message requests the contact. */
  contactRequest(locale?: string): string;
}

export interface WhatsAppReconnectOptions {
  /** First wait after a disconnect or a failed start (default 5 s); doubles after each failure. */
  initialDelayMs?: number;
  /** The longest wait between attempts (default 5 min). */
  maxDelayMs?: number;
  /** An initialize() that takes longer counts as failed (default 3 min): page loads can hang. */
  initializeTimeoutMs?: number;
}

export interface WhatsAppChannelOptions {
  client: WhatsAppClient;
  /**
   * A fresh client for each reconnect (recommended with whatsapp-web.js, whose Client keeps state
   * from its previous page). Without it, `client` itself is destroyed and initialized again.
   */
  createClient?: () => WhatsAppClient;
  onInbound: InboundHandler;
  logger?: WhatsAppLogger;
  reconnect?: WhatsAppReconnectOptions;
  texts?: Partial<WhatsAppTexts>;
  /** Where a new QR is shown besides status() and onQr(): the terminal by default; false for nowhere. */
  printQr?: ((qr: string) => void) | false;
}

export interface WhatsAppChannel {
  readonly channel: "whatsapp";
  readonly sender: ChannelSender;
  /** Starts the client and waits for its first initialize() attempt; never throws (see status()). */
  start(): Promise<void>;
  /** Closes the browser, ends reconnect attempts and waits for messages being handled. */
  stop(): Promise<void>;
  status(): WhatsAppChannelStatus;
  /** Called with every new QR; returns a function that unsubscribes. */
  onQr(fn: (qr: string) => void): () => void;
}

const STOP_GRACE_MS = 10_000; // how long stop() waits for a launch in progress before closing it

export function createWhatsAppChannel(options: WhatsAppChannelOptions): WhatsAppChannel {
  const logger = options.logger ?? silentLogger;
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 5_000;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 5 * 60_000;
  const initializeTimeoutMs = options.reconnect?.initializeTimeoutMs ?? 3 * 60_000;
  const menuHint = options.texts?.menuHint ?? defaultMenuHint;
  const contactRequest = options.texts?.contactRequest ?? defaultContactRequest;
  const printQr = options.printQr === undefined ? printQrToTerminal : options.printQr;
  const qrListeners = new Set<(qr: string) => void>();
  const listening = new WeakSet<WhatsAppClient>();

  let client = options.client;
  let state: WhatsAppChannelState = "stopped";
  let stopped = true;
  let everStarted = false;
  let qr: string | undefined;
  let lastError: string | undefined;
  let failures = 0; // consecutive failed attempts: the backoff exponent
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt: Promise<void> | undefined;

  // One chat's messages in order, from the moment they arrive: finding the sender's phone
  // (senderChatOf) waits on the client before the router's own per-chat queue is reached, so
  // without this a quick "да" could overtake the message before it. Same queue as the router's.
  const queue = new KeyedQueue();

  function setState(next: WhatsAppChannelState): void {
    if (next !== "qr") qr = undefined;
    if (state !== next) logger.info({ state: next }, `whatsapp: ${next}`);
    state = next;
  }

  function noteError(what: string, error: unknown): void {
    lastError = `${what}: ${describeError(error)}`;
  }

  function cancelReconnect(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
  }

  /** Each client gets the listeners once; events from a client that was replaced are ignored. */
  function listen(c: WhatsAppClient): void {
    if (listening.has(c)) return;
    listening.add(c);
    const current = (): boolean => c === client && !stopped;
    c.on("qr", (code) => {
      if (!current()) return;
      cancelReconnect(); // the client is alive and waiting for a scan
      setState("qr");
      qr = code;
      showQr(code);
    });
    c.on("authenticated", () => {
      if (!current()) return;
      setState("starting"); // scanned or restored: chats are loading
    });
    c.on("auth_failure", (message) => {
      if (!current()) return;
      // whatsapp-web.js restarts or destroys the client itself; LocalAuth never reports this.
      lastError = `auth_failure: ${message}`;
      logger.error({ error: lastError }, "whatsapp: authentication failed");
    });
    c.on("ready", () => {
      if (!current()) return;
      cancelReconnect();
      failures = 0;
      setState("ready");
    });
    c.on("disconnected", (reason) => {
      if (!current()) return;
      lastError = `disconnected: ${reason}`;
      scheduleReconnect();
    });
    c.on("message", (message) => {
      if (!current()) return;
      void queue.run(message.from, () => handleMessage(c, message)).catch((error: unknown) => {
        logger.error({ chatId: message.from, error: describeError(error) }, "whatsapp: handling a message failed");
      });
    });
  }

  function showQr(code: string): void {
    if (printQr) {
      try {
        printQr(code);
      } catch (error) {
        logger.warn({ error: describeError(error) }, "whatsapp: printing the QR failed");
      }
    }
    for (const fn of qrListeners) {
      try {
        fn(code);
      } catch (error) {
        logger.warn({ error: describeError(error) }, "whatsapp: a QR listener failed");
      }
    }
  }

  async function handleMessage(c: WhatsAppClient, message: WhatsAppIncoming): Promise<void> {
    const from = await senderChatOf(c, message);
    if (!from) {
      if (message.from.endsWith("@lid")) logger.warn({ from: message.from }, "whatsapp: no phone number known for a hidden (@lid) sender; message skipped");
      return;
    }
    const inbound = toInboundMessage(message, from);
    if (!inbound) {
      logger.debug({ from: message.from, type: message.type }, "whatsapp: message is not patient input");
      return;
    }
    await options.onInbound(inbound);
  }

  /** One initialize() at a time; a failure schedules the next attempt. */
  function connect(fresh: boolean): Promise<void> {
    if (attempt) return attempt;
    const run = async (): Promise<void> => {
      let current = client;
      try {
        if (fresh) {
          await destroyQuietly(client);
          if (options.createClient) client = options.createClient();
          current = client;
        }
        listen(current);
        if (stopped) return;
        setState("starting");
        await withTimeout(current.initialize(), initializeTimeoutMs);
      } catch (error) {
        if (stopped || current !== client) return;
        noteError("initialize", error);
        // A failed initialize() can leave Chromium running: close it before the next try.
        await destroyQuietly(current);
        scheduleReconnect();
      }
    };
    attempt = run().finally(() => {
      attempt = undefined;
    });
    return attempt;
  }

  function scheduleReconnect(): void {
    if (stopped) return;
    setState("disconnected");
    if (timer) return;
    const delayMs = Math.min(initialDelayMs * 2 ** failures, maxDelayMs);
    failures += 1;
    logger.warn({ delayMs, attempt: failures, error: lastError }, "whatsapp: connection lost, reconnecting");
    timer = setTimeout(() => {
      timer = undefined;
      // An attempt still running finishes first; then a fresh one starts.
      void (attempt ?? Promise.resolve()).then(() => (stopped ? undefined : connect(true)));
    }, delayMs);
  }

  async function destroyQuietly(c: WhatsAppClient): Promise<void> {
    try {
      await c.destroy();
    } catch (error) {
      logger.warn({ error: describeError(error) }, "whatsapp: closing the client failed");
    }
  }

  async function start(): Promise<void> {
    if (!stopped) return;
    stopped = false;
    const restart = everStarted;
    everStarted = true;
    await connect(restart);
  }

  async function stop(): Promise<void> {
    if (stopped && state === "stopped") return;
    stopped = true;
    cancelReconnect();
    setState("stopped");
    const inFlight = attempt;
    await destroyQuietly(client);
    if (inFlight) {
      // The browser may still have been launching when destroy() ran: let it appear, then close it.
      await settleWithin(inFlight, STOP_GRACE_MS);
      await destroyQuietly(client);
    }
    await queue.idle();
  }

  async function send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    if (!isPrivateChat(chatId)) {
      return { ok: false, reason: "bad_request", permanent: true, error: `not a WhatsApp private chat id: "${chatId}"` };
    }
    const locale = guessLocale(message.text);
    const text = renderMessage(message, { hint: menuHint(locale), contactRequest: contactRequest(locale) });
    if (!text) return { ok: false, reason: "bad_request", permanent: true, error: "the message is empty" };
    // Fail fast while the session is down: the dispatcher retries later instead of queueing here.
    if (state !== "ready") return { ...NOT_READY };
    try {
      const sent = await client.sendMessage(chatId, text);
      if (!sent) return { ok: false, reason: "bad_request", permanent: true, error: "WhatsApp Web found no chat for this id" };
      return { ok: true, externalMessageId: sent.id._serialized };
    } catch (error) {
      const failure = classifySendError(error);
      logger.warn({ chatId, reason: failure.reason, error: failure.error }, "whatsapp: send failed");
      // A closed browser is not reported by whatsapp-web.js (it emits no "disconnected"): reconnect.
      if (isSessionClosedError(error)) {
        noteError("send", error);
        scheduleReconnect();
      }
      return failure;
    }
  }

  return {
    channel: "whatsapp",
    sender: { channel: "whatsapp", send },
    start,
    stop,
    status: () => ({
      ok: state === "ready",
      state,
      ...(state === "qr" && qr !== undefined && { qr }),
      ...(lastError !== undefined && { lastError }),
    }),
    onQr(fn) {
      qrListeners.add(fn);
      return () => {
        qrListeners.delete(fn);
      };
    },
  };
}

/** No QR renderer is installed (qrcode-terminal is not a dependency): print the QR's text itself. */
function printQrToTerminal(qr: string): void {
  process.stdout.write(
    `WhatsApp: link this number in WhatsApp → Linked devices; paste the text below into any QR generator (or open the console's status page) and scan it:\n${qr}\n`,
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timeout = setTimeout(() => reject(new Error(`initialize() did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timeout));
}

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timeout = setTimeout(resolve, ms);
  });
  await Promise.race([promise.catch(() => {}), waited]);
  clearTimeout(timeout);
}
