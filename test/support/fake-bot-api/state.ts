import { randomBytes } from "node:crypto";
// In-memory "Telegram cloud" of the fake Bot API: update queue, chats, messages and the
// records tests assert on. No HTTP here (server.ts) and no method semantics (methods.ts).
import type {
  BotCommand,
  Chat,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";

/** A simulated Telegram user. Private chats use chat.id === user.id. */
export interface FakeUser {
  id: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

export function fakeUser(id: number, extra: Omit<FakeUser, "id"> = {}): FakeUser {
  return { firstName: `User${id}`, ...extra, id };
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** One message the bot managed to send. Edits and deletions update the entry in place. */
export interface SentMessage {
  chatId: number;
  messageId: number;
  /** What the user sees: plain text with HTML tags / Markdown marks removed (caption for media). */
  text: string;
  /** Exactly what the bot sent (text or caption), before parse_mode processing. */
  rawText: string;
  parseMode: string | undefined;
  /** Current markup (after edits); undefined when none. */
  replyMarkup: ReplyMarkup | undefined;
  /** The method that created it: sendMessage, sendPhoto, ... */
  method: string;
  /** Date.now() when accepted. */
  at: number;
  editedAt: number | undefined;
  deleted: boolean;
  /** The Message object as Telegram would return it now. */
  message: Message;
}

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
  /** HTTP status of the answer; 0 when the fault was a connection reset. */
  status: number;
  /** The result on success, or the error description. */
  response: unknown;
  at: number;
  faulted: boolean;
  /** "webhook-reply" when the bot answered a webhook POST with a method call. */
  via: "http" | "webhook-reply";
}

export interface CallbackAnswer {
  callbackQueryId: string;
  text: string | undefined;
  showAlert: boolean;
  url: string | undefined;
  /** The data of the button that was pressed, and where it was. */
  data: string | undefined;
  chatId: number | undefined;
  messageId: number | undefined;
  at: number;
}

export interface WebhookConfig {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
  maxConnections: number;
}

export interface WebhookDelivery {
  updateId: number;
  url: string;
  attempt: number;
  /** HTTP status from the bot's server; 0 when the request itself failed. */
  status: number;
  error: string | undefined;
  at: number;
}

interface StoredMessage {
  message: Message;
  fromBot: boolean;
  sent: SentMessage | undefined;
}

interface CallbackRecord {
  answered: boolean;
  data: string | undefined;
  chatId: number | undefined;
  messageId: number | undefined;
}

// Kinds Telegram leaves out unless asked for in allowed_updates.
const OPT_IN_KINDS = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function updateKind(update: object): string | undefined {
  return Object.keys(update).find((k) => k !== "update_id");
}

export class FakeState {
  readonly bot: UserFromGetMe;
  readonly sent: SentMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  /** Last setMyCommands per scope/language; key from commandsKey(). */
  readonly commands: Record<string, BotCommand[]> = {};
  readonly webhookDeliveries: WebhookDelivery[] = [];
  /** Updates dropped because allowed_updates excluded their kind. */
  readonly skippedUpdates: Update[] = [];
  /** setMyName / setMyDescription / setChatMenuButton ... keyed by "method|language". */
  readonly profile: Record<string, unknown> = {};
  webhook: WebhookConfig | null = null;
  webhookLastError: { date: number; message: string } | undefined;
  /** Last allowed_updates given to getUpdates/setWebhook; undefined = Telegram's default set. */
  allowedUpdates: string[] | undefined;
  /** Pending (unconfirmed) updates, ascending update_id. */
  queue: Update[] = [];

  private nextUpdateId = 1;
  private nextCallbackId = 1;
  private readonly chats = new Map<number, Chat>();
  private readonly blockedChats = new Set<number>();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly callbacks = new Map<string, CallbackRecord>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly token: string, botUsername: string) {
    const id = Number(token.split(":")[0]);
    this.bot = {
      id: Number.isSafeInteger(id) && id > 0 ? id : 123456,
      is_bot: true,
      first_name: botUsername.replace(/_?bot$/i, "") || "Bot",
      username: botUsername,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  // --- change notification: wakes long polls, webhook delivery and test waiters ---
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  // --- updates ---
  /** Queues any update object; assigns update_id when missing and learns the chats in it. */
  enqueue(raw: object): Update {
    const update = { ...raw } as Update & Record<string, unknown>;
    if (typeof update.update_id !== "number") update.update_id = this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
    this.learnChats(update);
    this.queue.push(update);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    this.notify();
    return update;
  }

  /** getUpdates offset semantics: positive confirms everything below it, negative keeps the last -offset. */
  confirm(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
  }

  /** First `limit` pending updates the bot asked for; unwanted kinds are dropped like Telegram does. */
  deliverable(limit: number): Update[] {
    const allowed = this.allowedUpdates?.length ? new Set(this.allowedUpdates) : undefined;
    this.queue = this.queue.filter((u) => {
      const kind = updateKind(u);
      // Unknown kinds (fuzzing) always pass: only filter kinds Telegram itself filters.
      const wanted = kind === undefined || (allowed ? allowed.has(kind) || !isKnownKind(kind) : !OPT_IN_KINDS.has(kind));
      if (!wanted) this.skippedUpdates.push(u);
      return wanted;
    });
    return this.queue.slice(0, limit);
  }

  /** A private chat the bot may write to without an update first (the user talked to it long ago). */
  knowChat(user: FakeUser): void {
    if (!this.chats.has(user.id)) this.chats.set(user.id, privateChat(user));
  }

  private learnChats(update: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(update)) {
      if (key === "update_id" || !isObject(value)) continue;
      for (const holder of [value, value.message]) {
        if (isObject(holder) && isObject(holder.chat) && typeof holder.chat.id === "number") {
          const chat = holder.chat as unknown as Chat;
          if (!this.chats.has(chat.id)) this.chats.set(chat.id, chat);
          if (typeof holder.message_id === "number") this.rememberUserMessage(holder as unknown as Message);
        }
      }
    }
  }

  private rememberUserMessage(message: Message): void {
    const byId = this.chatMessages(message.chat.id);
    if (byId.has(message.message_id)) return;
    byId.set(message.message_id, { message, fromBot: false, sent: undefined });
    const last = this.lastMessageId.get(message.chat.id) ?? 0;
    this.lastMessageId.set(message.chat.id, Math.max(last, message.message_id));
  }

  // --- chats and messages ---
  chat(id: number): Chat | undefined {
    return this.chats.get(id);
  }

  chatByUsername(username: string): Chat | undefined {
    const name = username.replace(/^@/, "").toLowerCase();
    return [...this.chats.values()].find((c) => "username" in c && c.username?.toLowerCase() === name);
  }

  isBlocked(chatId: number): boolean {
    return this.blockedChats.has(chatId);
  }

  setBlocked(chatId: number, blocked: boolean): void {
    if (blocked) this.blockedChats.add(chatId);
    else this.blockedChats.delete(chatId);
  }

  /** Message ids are per chat and shared by both sides, like private chats in Telegram. */
  nextMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  message(chatId: number, messageId: number): { message: Message; fromBot: boolean; sent: SentMessage | undefined } | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  private chatMessages(chatId: number): Map<number, StoredMessage> {
    let byId = this.messages.get(chatId);
    if (!byId) this.messages.set(chatId, (byId = new Map()));
    return byId;
  }

  /** Stores a message the bot sent and records it in `sent`. */
  recordBotMessage(message: Message, entry: Omit<SentMessage, "message" | "chatId" | "messageId">): SentMessage {
    const sent: SentMessage = { ...entry, chatId: message.chat.id, messageId: message.message_id, message };
    this.chatMessages(message.chat.id).set(message.message_id, { message, fromBot: true, sent });
    this.sent.push(sent);
    this.notify();
    return sent;
  }

  replaceMessage(chatId: number, messageId: number, message: Message): void {
    const stored = this.messages.get(chatId)?.get(messageId);
    if (stored) stored.message = message;
    if (stored?.sent) stored.sent.message = message;
  }

  deleteMessage(chatId: number, messageId: number): boolean {
    const byId = this.messages.get(chatId);
    const stored = byId?.get(messageId);
    if (!byId || !stored) return false;
    byId.delete(messageId);
    if (stored.sent) stored.sent.deleted = true;
    this.notify();
    return true;
  }

  messagesTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  // --- callback queries ---
  newCallbackId(record: CallbackRecord): string {
    // Real ids are long decimal strings; keep them unique and recognisable.
    // Telegram's query ids are unique across all time, not per server run: a fresh fake must not
    // hand out an id an earlier one already did (CareBot dedupes presses by it).
    const id = `${this.bot.id}${String(this.nextCallbackId++).padStart(8, "0")}${randomBytes(4).toString("hex")}`;
    this.callbacks.set(id, record);
    return id;
  }

  callback(id: string): CallbackRecord | undefined {
    return this.callbacks.get(id);
  }

  // --- records ---
  recordCall(call: ApiCall): void {
    this.calls.push(call);
    this.notify();
  }
}

/** Key of `commands`: scope ("default", "chat:42", "chat_member:42:7", "all_private_chats"...) plus "|lang". */
export function commandsKey(scope: unknown, languageCode: string | undefined): string {
  let key = "default";
  if (isObject(scope) && typeof scope.type === "string") {
    key = [scope.type, scope.chat_id, scope.user_id].filter((p) => p !== undefined).join(":");
  }
  return languageCode ? `${key}|${languageCode}` : key;
}

export function toTelegramUser(user: FakeUser): User {
  return {
    id: user.id,
    is_bot: false,
    first_name: user.firstName ?? `User${user.id}`,
    ...(user.lastName !== undefined && { last_name: user.lastName }),
    ...(user.username !== undefined && { username: user.username }),
    ...(user.languageCode !== undefined && { language_code: user.languageCode }),
  };
}

export function privateChat(user: FakeUser): Chat {
  return {
    id: user.id,
    type: "private",
    first_name: user.firstName ?? `User${user.id}`,
    ...(user.lastName !== undefined && { last_name: user.lastName }),
    ...(user.username !== undefined && { username: user.username }),
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isKnownKind(kind: string): boolean {
  return KNOWN_KINDS.has(kind);
}

const KNOWN_KINDS = new Set([
  "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
  "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
  "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
  "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
  "chat_join_request", "chat_boost", "removed_chat_boost",
]);
