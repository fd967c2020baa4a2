// An in-memory stand-in for whatsapp-web.js's Client: the edge CareBot cannot reach in tests.
// Tests play WhatsApp's side (emit qr/ready/disconnected/message) and read what was sent.
import { EventEmitter } from "node:events";
import type { WhatsAppClient, WhatsAppIncoming, WhatsAppSentMessage } from "../../../src/channels/whatsapp/client.ts";

export interface SentText {
  chatId: string;
  text: string;
}

export class FakeWhatsAppClient implements WhatsAppClient {
  private readonly events = new EventEmitter();
  readonly sent: SentText[] = [];
  initializeCalls = 0;
  destroyCalls = 0;
  /** Makes the next initialize() calls reject, one error each. */
  readonly initializeFailures: Error[] = [];
  /** Makes the next sendMessage() calls reject (or resolve to nothing for `"no chat"`), one each. */
  readonly sendFailures: Array<Error | string | "no chat"> = [];
  /** Hidden (@lid) senders this client can map to a phone wid. */
  readonly lids = new Map<string, string>();
  private nextId = 1;

  on(event: string, fn: (...args: never[]) => void): void {
    this.events.on(event, fn as (...args: unknown[]) => void);
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    const failure = this.initializeFailures.shift();
    if (failure) throw failure;
  }

  async sendMessage(chatId: string, text: string): Promise<WhatsAppSentMessage | undefined> {
    const failure = this.sendFailures.shift();
    if (failure === "no chat") return undefined;
    if (failure !== undefined) throw failure;
    this.sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_OUT${this.nextId++}` } };
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  async getContactLidAndPhone(userIds: string[]): Promise<Array<{ lid?: string; pn?: string }>> {
    return userIds.map((lid) => ({ lid, ...(this.lids.has(lid) && { pn: this.lids.get(lid) }) }));
  }

  // WhatsApp's side
  emitQr(qr: string): void {
    this.events.emit("qr", qr);
  }
  emitAuthenticated(): void {
    this.events.emit("authenticated");
  }
  emitReady(): void {
    this.events.emit("ready");
  }
  emitDisconnected(reason: string): void {
    this.events.emit("disconnected", reason);
  }
  emitMessage(message: WhatsAppIncoming): void {
    this.events.emit("message", message);
  }
  listenerCount(event: string): number {
    return this.events.listenerCount(event);
  }
}

let counter = 0;

/** A patient's incoming message as whatsapp-web.js delivers it; override any field. */
export function incoming(fields: Partial<WhatsAppIncoming> & { from?: string } = {}): WhatsAppIncoming {
  const from = fields.from ?? "79161234567@c.us";
  counter += 1;
  return {
    id: { _serialized: `false_${from}_3EB0${counter.toString().padStart(4, "0")}`, fromMe: false },
    from,
    body: "Здравствуйте",
    type: "chat",
    fromMe: false,
    timestamp: 1_760_000_000 + counter,
    isStatus: false,
    hasMedia: false,
    vCards: [],
    rawData: { notifyName: "Анна" },
    ...fields,
  };
}

/** A vCard as WhatsApp sends a shared contact. */
export function vcard(name: string, waid: string | undefined, display: string): string {
  const tel = waid ? `item1.TEL;waid=${waid}:${display}` : `TEL;type=CELL:${display}`;
  return ["BEGIN:VCARD", "VERSION:3.0", `N:;${name};;;`, `FN:${name}`, tel, "item1.X-ABLabel:Mobile", "END:VCARD"].join("\n");
}
