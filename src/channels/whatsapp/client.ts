// CareBot's own view of a WhatsApp Web client: only what the channel uses, typed strictly.
// whatsapp-web.js's typings are loose (a catch-all `on(string, any)`, a sendMessage that can
// resolve to nothing), so the channel depends on this interface and tests use a double of it.
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Client, Message } from "whatsapp-web.js";

/** The part of whatsapp-web.js's Message that CareBot reads. */
export interface WhatsAppIncoming {
  id: { _serialized: string; fromMe?: boolean };
  /** The chat: "79161234567@c.us" (private), "…@g.us" (group), "status@broadcast", "…@lid" (hidden number). */
  from: string;
  /** In groups, the participant who wrote. */
  author?: string;
  /** Text, or a media message's caption; for a contact card, the vCard itself. */
  body: string;
  /** "chat", "image", "ptt", "vcard"... (whatsapp-web.js's MessageTypes). */
  type: string;
  fromMe: boolean;
  /** Unix seconds. */
  timestamp: number;
  isStatus?: boolean;
  hasMedia?: boolean;
  vCards?: string[];
  /** WhatsApp Web's own message object; the sender's push name is `notifyName` there. */
  rawData?: object;
}

/** What a send resolves to: whatsapp-web.js resolves to nothing when WhatsApp Web finds no chat. */
export interface WhatsAppSentMessage {
  id: { _serialized: string };
}

export interface WhatsAppClient {
  on(event: "qr", fn: (qr: string) => void): void;
  on(event: "ready", fn: () => void): void;
  on(event: "authenticated", fn: () => void): void;
  on(event: "auth_failure", fn: (message: string) => void): void;
  on(event: "disconnected", fn: (reason: string) => void): void;
  on(event: "message", fn: (message: WhatsAppIncoming) => void): void;
  /** Launches the browser and opens WhatsApp Web; resolves once a QR is shown or the session is restored. */
  initialize(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<WhatsAppSentMessage | undefined>;
  /** Closes the browser. Safe to call when it is already closed. */
  destroy(): Promise<void>;
  /** Maps a hidden "…@lid" sender to its phone wid "…@c.us" (whatsapp-web.js ≥ 1.34). */
  getContactLidAndPhone?(userIds: string[]): Promise<Array<{ lid?: string; pn?: string }>>;
}

// Compile-time proof that the real library fits CareBot's interfaces (no runtime effect).
const _clientFits: (client: Client) => WhatsAppClient = (client) => client;
const _messageFits: (message: Message) => WhatsAppIncoming = (message) => message;

export interface WhatsAppWebClientOptions {
  /** Where the login (LocalAuth) and the cached WhatsApp Web page are kept; keep it across restarts. */
  sessionDir: string;
  /** Debian's Chromium (/usr/bin/chromium): puppeteer's own download is disabled in this repo. */
  chromiumPath: string;
  headless?: boolean;
}

// Fewer background connections and services: less to go wrong on a server, nothing to sync.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

// Loaded on first use so importing the channel does not load puppeteer.
const require = createRequire(import.meta.url);

/** A real whatsapp-web.js Client driving Chromium; nothing starts until initialize(). */
export function createWhatsAppWebClient(options: WhatsAppWebClientOptions): Client {
  const wwebjs = require("whatsapp-web.js") as typeof import("whatsapp-web.js");
  return new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ dataPath: options.sessionDir }),
    // The library caches WhatsApp Web's page in ./.wwebjs_cache by default: keep it with the session instead.
    webVersionCache: { type: "local", path: join(options.sessionDir, "web-cache") },
    puppeteer: { headless: options.headless ?? true, executablePath: options.chromiumPath, args: [...CHROMIUM_ARGS] },
  });
}
