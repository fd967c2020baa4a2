// Bot API methods for messages, callbacks and bot settings: each handler validates like Telegram,
// mutates FakeState and returns the `result`, or throws ApiError for the { ok: false } answer.
import type { BotCommand, Chat, Message, User } from "grammy/types";
import { ApiError, badRequest, echoedMarkup, parseReplyMarkup, renderText } from "./formatting.ts";
import type { FakeState, ReplyMarkup } from "./state.ts";
import { commandsKey, isObject, nowSeconds } from "./state.ts";

export type Params = Record<string, unknown>;
export type Handler = (params: Params, signal: AbortSignal) => unknown;

/** A result that Telegram accompanies with a description (setWebhook: "Webhook was set"). */
export class Described {
  constructor(readonly result: unknown, readonly description: string) {}
}

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const CHAT_ACTIONS = new Set([
  "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
  "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
]);
const MEDIA_KINDS = ["photo", "document", "video", "audio", "voice", "animation", "sticker"] as const;
type MediaKind = (typeof MEDIA_KINDS)[number];

// --- parameter readers: JSON bodies carry numbers, form bodies carry strings ---
export function int(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${key} specified`);
  return n;
}

export function str(p: Params, key: string): string | undefined {
  const v = p[key];
  return v === undefined || v === null ? undefined : typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

export function bool(p: Params, key: string): boolean {
  const v = p[key];
  return v === true || v === "true" || v === 1 || v === "1";
}

export function list(p: Params, key: string): unknown[] | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (!Array.isArray(v)) throw badRequest(`can't parse ${key} JSON array`);
  return v;
}

/** Key-order independent comparison, for "message is not modified". */
function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(norm) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm(v[k])])) : v;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Message, callback and bot-settings methods; update delivery lives in delivery.ts. */
export function createMethods(state: FakeState): Record<string, Handler> {
  const botUser: User = { id: state.bot.id, is_bot: true, first_name: state.bot.first_name, username: state.bot.username };
  let nextFileId = 1;

  function targetChat(p: Params): Chat {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    const chat =
      typeof raw === "string" && raw.startsWith("@") ? state.chatByUsername(raw) : state.chat(int(p, "chat_id") ?? NaN);
    if (!chat) throw badRequest("chat not found");
    if (state.isBlocked(chat.id)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return chat;
  }

  /** Validates text/caption with its parse_mode; returns the plain text. */
  function content(raw: string | undefined, parseMode: string | undefined, limit: number, kind: "text" | "caption"): string {
    const plain = renderText(raw ?? "", parseMode);
    if (kind === "text" && plain.trim() === "") throw badRequest("message text is empty");
    if (plain.length > limit) throw badRequest(kind === "text" ? "message is too long" : "message caption is too long");
    return plain;
  }

  function replyTo(chat: Chat, p: Params): Message | undefined {
    const params = isObject(p.reply_parameters) ? p.reply_parameters : undefined;
    const id = params ? int(params, "message_id") : int(p, "reply_to_message_id");
    if (id === undefined) return undefined;
    const target = state.message(chat.id, id);
    const lenient = params ? bool(params, "allow_sending_without_reply") : bool(p, "allow_sending_without_reply");
    if (!target && !lenient) throw badRequest("message to be replied not found");
    return target?.message;
  }

  function send(p: Params, method: string, body: Partial<Message>, text: { raw: string; plain: string; parseMode: string | undefined }, markup: ReplyMarkup | undefined): Message {
    const chat = targetChat(p);
    const reply = replyTo(chat, p);
    const echoed = echoedMarkup(markup);
    const message = {
      message_id: state.nextMessageId(chat.id),
      from: botUser,
      chat,
      date: nowSeconds(),
      ...body,
      ...(reply && { reply_to_message: reply }),
      ...(echoed && { reply_markup: echoed }),
    } as Message;
    state.recordBotMessage(message, {
      text: text.plain, rawText: text.raw, parseMode: text.parseMode, replyMarkup: markup,
      method, at: Date.now(), editedAt: undefined, deleted: false,
    });
    return message;
  }

  function sendMedia(kind: MediaKind): Handler {
    return (p) => {
      targetChat(p);
      const file = p[kind];
      if (file === undefined || file === null || file === "") throw badRequest(`there is no ${kind} in the request`);
      const fileId = typeof file === "string" && !/^(https?|attach):\/\//.test(file) ? file : `fake-${kind}-${nextFileId++}`;
      const meta = { file_id: fileId, file_unique_id: `u${fileId}` };
      const media =
        kind === "photo" ? [{ ...meta, width: 800, height: 600 }]
        : kind === "sticker" ? { ...meta, type: "regular", width: 512, height: 512, is_animated: false, is_video: false }
        : kind === "voice" || kind === "audio" ? { ...meta, duration: 1 }
        : kind === "video" || kind === "animation" ? { ...meta, width: 640, height: 480, duration: 1 }
        : meta;
      const raw = str(p, "caption") ?? "";
      const parseMode = str(p, "parse_mode");
      const plain = kind === "sticker" ? "" : content(raw, parseMode, 1024, "caption");
      const markup = parseReplyMarkup(p.reply_markup);
      return send(p, `send${kind[0]?.toUpperCase()}${kind.slice(1)}`, { [kind]: media, ...(plain && { caption: plain }) }, { raw, plain, parseMode }, markup);
    };
  }

  /** The bot's own message addressed by chat_id + message_id, for edits. */
  function ownMessage(p: Params): { chat: Chat; message: Message; markup: ReplyMarkup | undefined } {
    if (p.inline_message_id !== undefined) throw badRequest("MESSAGE_ID_INVALID");
    const chat = targetChat(p);
    const id = int(p, "message_id");
    if (id === undefined) throw badRequest("message identifier is not specified");
    const stored = state.message(chat.id, id);
    if (!stored) throw badRequest("message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    return { chat, message: stored.message, markup: stored.sent?.replyMarkup };
  }

  /** Applies an edit, or throws "not modified" when nothing visible changes. */
  function applyEdit(
    target: { chat: Chat; message: Message; markup: ReplyMarkup | undefined },
    change: { field: "text" | "caption"; raw: string; plain: string; parseMode: string | undefined } | undefined,
    newMarkup: ReplyMarkup | undefined,
  ): Message {
    const old = target.message as Message & Record<string, unknown>;
    const sent = state.message(target.chat.id, old.message_id)?.sent;
    // Entities aren't modelled: same plain text AND same raw markup text counts as unchanged.
    const sameText = !change || ((old[change.field] ?? "") === change.plain && (sent?.rawText ?? change.plain) === change.raw);
    if (sameText && sameJson(echoedMarkup(target.markup) ?? null, echoedMarkup(newMarkup) ?? null)) throw badRequest(NOT_MODIFIED);
    const { reply_markup: _dropped, ...rest } = old;
    const echoed = echoedMarkup(newMarkup);
    const message = {
      ...rest,
      ...(change && { [change.field]: change.plain }),
      edit_date: nowSeconds(),
      ...(echoed && { reply_markup: echoed }),
    } as Message;
    state.replaceMessage(target.chat.id, old.message_id, message);
    if (sent) {
      if (change) Object.assign(sent, { text: change.plain, rawText: change.raw, parseMode: change.parseMode });
      // Reply keyboards live on the user's client, not on the message: only inline markup is replaced.
      sent.replyMarkup = newMarkup ?? (target.markup && !("inline_keyboard" in target.markup) ? target.markup : undefined);
      sent.editedAt = Date.now();
    }
    state.notify();
    return message;
  }

  function inlineOnly(markup: ReplyMarkup | undefined): ReplyMarkup | undefined {
    if (markup && !("inline_keyboard" in markup)) throw badRequest("inline keyboard expected");
    return markup;
  }

  const methods: Record<string, Handler> = {
    getMe: () => state.bot,
    logOut: () => true,
    close: () => true,

    sendMessage: (p) => {
      targetChat(p);
      const raw = str(p, "text") ?? "";
      const parseMode = str(p, "parse_mode");
      const plain = content(raw, parseMode, 4096, "text");
      const markup = parseReplyMarkup(p.reply_markup);
      return send(p, "sendMessage", { text: plain }, { raw, plain, parseMode }, markup);
    },
    ...Object.fromEntries(MEDIA_KINDS.map((k) => [`send${k[0]?.toUpperCase()}${k.slice(1)}`, sendMedia(k)])),
    sendLocation: (p) => {
      targetChat(p);
      const latitude = Number(p.latitude);
      const longitude = Number(p.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw badRequest("wrong latitude or longitude specified");
      const markup = parseReplyMarkup(p.reply_markup);
      return send(p, "sendLocation", { location: { latitude, longitude } }, { raw: "", plain: "", parseMode: undefined }, markup);
    },
    sendChatAction: (p) => {
      targetChat(p);
      if (!CHAT_ACTIONS.has(str(p, "action") ?? "")) throw badRequest("wrong parameter action in request");
      return true;
    },

    answerCallbackQuery: (p) => {
      const id = str(p, "callback_query_id") ?? "";
      const query = state.callback(id);
      if (!query || query.answered) throw badRequest("query is too old and response timeout expired or query ID is invalid");
      query.answered = true;
      state.callbackAnswers.push({
        callbackQueryId: id, text: str(p, "text"), showAlert: bool(p, "show_alert"), url: str(p, "url"),
        data: query.data, chatId: query.chatId, messageId: query.messageId, at: Date.now(),
      });
      return true;
    },

    editMessageText: (p) => {
      const target = ownMessage(p);
      if (!("text" in target.message)) throw badRequest("there is no text in the message to edit");
      const raw = str(p, "text") ?? "";
      const parseMode = str(p, "parse_mode");
      const plain = content(raw, parseMode, 4096, "text");
      // Like Telegram, an edit without reply_markup removes the inline keyboard.
      return applyEdit(target, { field: "text", raw, plain, parseMode }, inlineOnly(parseReplyMarkup(p.reply_markup)));
    },
    editMessageCaption: (p) => {
      const target = ownMessage(p);
      if ("text" in target.message) throw badRequest("there is no caption in the message to edit");
      const raw = str(p, "caption") ?? "";
      const parseMode = str(p, "parse_mode");
      const plain = content(raw, parseMode, 1024, "caption");
      return applyEdit(target, { field: "caption", raw, plain, parseMode }, inlineOnly(parseReplyMarkup(p.reply_markup)));
    },
    editMessageReplyMarkup: (p) => applyEdit(ownMessage(p), undefined, inlineOnly(parseReplyMarkup(p.reply_markup))),
    deleteMessage: (p) => {
      const chat = targetChat(p);
      const id = int(p, "message_id");
      if (id === undefined || !state.deleteMessage(chat.id, id)) throw badRequest("message to delete not found");
      return true;
    },
    deleteMessages: (p) => {
      const chat = targetChat(p);
      for (const id of list(p, "message_ids") ?? []) state.deleteMessage(chat.id, Number(id));
      return true;
    },

    setMyCommands: (p) => {
      const commands = list(p, "commands");
      if (!commands) throw badRequest("parameter \"commands\" is required");
      if (commands.length > 100) throw badRequest("too many commands specified");
      for (const c of commands) {
        if (!isObject(c) || typeof c.command !== "string" || !/^\/?[a-z0-9_]{1,32}$/.test(c.command)) {
          throw badRequest("BOT_COMMAND_INVALID");
        }
        if (typeof c.description !== "string" || c.description.trim() === "" || c.description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      const normalized = (commands as BotCommand[]).map((c) => ({ command: c.command.replace(/^\//, ""), description: c.description }));
      state.commands[commandsKey(p.scope, str(p, "language_code"))] = normalized;
      return true;
    },
    getMyCommands: (p) => state.commands[commandsKey(p.scope, str(p, "language_code"))] ?? [],
    deleteMyCommands: (p) => {
      delete state.commands[commandsKey(p.scope, str(p, "language_code"))];
      return true;
    },

    getChat: (p) => ({ ...targetChat(p), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} }),
    ...profileMethods(state),
  };

  return methods;
}

/** setMyName/getMyName and friends: stored per language so bots can verify their own setup. */
function profileMethods(state: FakeState): Record<string, Handler> {
  const pairs: [string, string, string, unknown][] = [
    ["Name", "name", "name", ""],
    ["Description", "description", "description", ""],
    ["ShortDescription", "short_description", "short_description", ""],
  ];
  const out: Record<string, Handler> = {};
  for (const [suffix, param, field, empty] of pairs) {
    out[`setMy${suffix}`] = (p) => {
      state.profile[`${suffix}|${str(p, "language_code") ?? ""}`] = str(p, param) ?? empty;
      return true;
    };
    out[`getMy${suffix}`] = (p) => ({ [field]: state.profile[`${suffix}|${str(p, "language_code") ?? ""}`] ?? empty });
  }
  out.setChatMenuButton = (p) => {
    state.profile[`MenuButton|${str(p, "chat_id") ?? ""}`] = isObject(p.menu_button) ? p.menu_button : { type: "default" };
    return true;
  };
  out.getChatMenuButton = (p) => state.profile[`MenuButton|${str(p, "chat_id") ?? ""}`] ?? { type: "default" };
  return out;
}
