// Random and malformed Telegram updates for the fuzz test, drawn from a seeded PRNG. Nothing here
// contains "undefined", "null", "NaN" or "{{", so any such word the patient receives is CareBot's.
import type { FakeBotApi, FakeUser } from "../../support/fake-bot-api/index.ts";
import type { Rng } from "./prng.ts";

const ODD_TEXTS = [
  "", " ", "\n\n\t", "\u200B", "\u200B\u200C\u200D\uFEFF", "\u202Eоперат\u202C", "مرحبا بكم في العيادة", "שלום",
  "👨‍👩‍👧‍👦", "🏳️‍🌈🧑🏽‍⚕️", "\uD800", "\uDFFF", "a\uD83D", "Z̷̢͎a̶̲̓l̷g̷o̵", "١٠", "٣", "𝟗", "Ⅸ", "\u0000", "\u0007bell",
  "<b>bold</b>", "*markdown* _it_ `code`", "&amp; &lt;", "\\", "\"", "'; DROP TABLE \"Patient\";--", "%s %d %n", "${x}", "#{x}",
];
const WORDS = ["меню", "стоп", "оператор", "да", "нет", "баланс", "записаться", "Да", "МЕНЮ", "menu", "stop", "help", "помогите", "спасибо", "привет"];
const NUMBERS = ["0", "1", "5", "7", "9", "10", "11", "-1", "100", "3.5", "1e309", "99999999999999999999999", "0x10", "+7", " 8 "];
const COMMANDS = ["/start", "/menu", "/stop", "/operator", "/help", "/unknown", "/", "/start@other_bot", "/START", "/menu extra words"];
const PAYLOADS = ["ref_", "ref_AAAAAAAA", "ref_💥", "x".repeat(300), "nps_11", "%00", "ref_\uD800"];
const FORGED_DATA = ["", "c:", "n:", "n:11", "n:-1", "n:1000", "n:1e3", "n:NaNx", "c:nps:11", "c:menu:__proto__", "x".repeat(80), "c:" + "я".repeat(40), "garbage"];

function junk(rng: Rng, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCodePoint(rng.chance(0.7) ? rng.int(0x20, 0x7e) : rng.pick([rng.int(0x400, 0x4ff), rng.int(0x1f300, 0x1f6ff), rng.int(0x600, 0x6ff)]));
  return s.replace(/undefined|null|NaN|\{\{|\}\}/gi, "");
}

function text(rng: Rng): string {
  const r = rng.next();
  if (r < 0.2) return rng.pick(ODD_TEXTS);
  if (r < 0.35) return rng.pick(WORDS);
  if (r < 0.5) return rng.pick(NUMBERS);
  if (r < 0.58) return junk(rng, rng.int(4097, 12_000)); // longer than Telegram itself allows
  return junk(rng, rng.int(1, 80));
}

/** Kinds of update the generator makes, for the report. */
export type FuzzKind = "text" | "command" | "contact" | "media" | "press" | "forged-press" | "stale-press" | "raw";

export interface FuzzContext {
  api: FakeBotApi;
  users: FakeUser[];
  /** Phones of the clinic's patients (own contacts link a chat; others' must not). */
  phones: string[];
}

/** Queues one random update at the fake Bot API; returns its kind. */
export function pushRandomUpdate(rng: Rng, ctx: FuzzContext): FuzzKind {
  const { api } = ctx;
  const user = rng.pick(ctx.users);
  const r = rng.next();
  if (r < 0.3) {
    api.sendText(user, text(rng));
    return "text";
  }
  if (r < 0.4) {
    api.sendCommand(user, rng.pick(COMMANDS), rng.chance(0.4) ? rng.pick(PAYLOADS) : undefined);
    return "command";
  }
  if (r < 0.47) {
    const someoneElse = rng.chance(0.5);
    const phone = rng.chance(0.8) ? rng.pick(ctx.phones).replace(/^\+/, rng.chance(0.5) ? "+" : "") : rng.pick(["+0000", "12", "phone", "+7 (999) 000-00-00", ""]);
    api.sendContact(user, someoneElse ? { phone, userId: user.id + 1, firstName: "Чужой" } : { phone });
    return "contact";
  }
  if (r < 0.53) {
    const which = rng.int(0, 4);
    if (which === 0) api.sendSticker(user);
    else if (which === 1) api.sendPhoto(user, rng.chance(0.5) ? { caption: text(rng).slice(0, 1024) } : {});
    else if (which === 2) api.sendVoice(user, { duration: rng.int(0, 4000) });
    else if (which === 3) api.pushUpdate({ message: messageBase(api, user, { location: { latitude: 55.75, longitude: 37.61 } }) });
    else api.pushUpdate({ message: messageBase(api, user, { document: { file_id: "d", file_unique_id: "d", file_name: "анализы.pdf" } }) });
    return "media";
  }
  if (r < 0.78) {
    const withButtons = api.messagesTo(user.id).filter((m) => !m.deleted && m.replyMarkup && "inline_keyboard" in m.replyMarkup);
    const target = withButtons.at(rng.chance(0.8) ? -1 : -rng.int(1, Math.max(1, withButtons.length)));
    const data = target ? (target.replyMarkup as { inline_keyboard: { callback_data?: string }[][] }).inline_keyboard.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : [])) : [];
    if (target && data.length > 0) {
      // A real button: the newest message's (a live press) or an older one's (stale by now).
      api.pressButton(user, target.messageId, rng.pick(data), { force: true });
      return "press";
    }
    const any = api.messagesTo(user.id).at(-1);
    if (any) {
      api.pressButton(user, any.messageId, rng.pick(FORGED_DATA) || "c:x", { force: true });
      return "forged-press";
    }
  }
  if (r < 0.85) {
    // A press under a message that no longer exists or never did, with a query id never issued.
    api.pushUpdate({
      callback_query: {
        id: `stale-${rng.int(1, 1e9)}`,
        from: { id: user.id, is_bot: false, first_name: "Stale" },
        chat_instance: "x",
        data: rng.pick(FORGED_DATA) || "n:5",
        message: messageBase(api, user, { text: "old" }, rng.int(1, 1e6)),
      },
    });
    return "stale-press";
  }
  api.pushUpdate(rawOddity(rng, api, user));
  return "raw";
}

function messageBase(api: FakeBotApi, user: FakeUser, content: object, messageId = 1 + api.messagesTo(user.id).length * 7 + Math.floor(Math.random() * 5)): Record<string, unknown> {
  return {
    message_id: messageId,
    from: { id: user.id, is_bot: false, first_name: user.firstName ?? "X", language_code: "ru" },
    chat: { id: user.id, type: "private", first_name: user.firstName ?? "X" },
    date: Math.floor(Date.now() / 1000),
    ...content,
  };
}

/** Updates Telegram would not send, or sends in shapes CareBot does not expect. */
function rawOddity(rng: Rng, api: FakeBotApi, user: FakeUser): object {
  const base = messageBase(api, user, { text: "привет" }, 900_000 + rng.int(0, 99_999));
  const odd: object[] = [
    { some_future_kind: { anything: [1, 2, 3] } },
    { edited_message: { ...base, edit_date: 1 } },
    { channel_post: { ...base, chat: { id: -100123, type: "channel", title: "Канал" } } },
    { message: { ...base, chat: { id: -42, type: "group", title: "Группа" } } },
    { message: { ...base, from: undefined } },
    { message: { ...base, from: { id: 1, is_bot: true, first_name: "Bot" } } },
    { message: { ...base, text: 12345 } },
    { message: { ...base, text: ["a"] } },
    { message: { ...base, chat: { id: String(user.id), type: "private" } } },
    { message: { ...base, text: undefined } },
    { message: { ...base, text: "/start", entities: [{ type: "bot_command", offset: 5, length: 99 }] } },
    { message: { ...base, contact: { phone_number: 79990001122, first_name: "" } } },
    { message: { ...base, contact: {} } },
    { message: { ...base, from: { id: user.id, is_bot: false, first_name: "X", language_code: 7 } } },
    { callback_query: { id: "no-message", from: { id: user.id, is_bot: false, first_name: "X" }, chat_instance: "x", data: "n:5" } },
    { callback_query: { id: "no-data", from: { id: user.id, is_bot: false, first_name: "X" }, chat_instance: "x", message: base } },
    { callback_query: { id: "game", from: { id: user.id, is_bot: false, first_name: "X" }, chat_instance: "x", game_short_name: "g", message: base } },
    { inline_query: { id: "iq", from: { id: user.id, is_bot: false, first_name: "X" }, query: "q", offset: "" } },
    { my_chat_member: { chat: { id: user.id, type: "private" }, from: { id: user.id }, date: 0 } },
    { message: null },
    { message: "text instead of an object" },
    { message: { ...base, date: -1, message_id: -5 } },
  ];
  return rng.pick(odd);
}
