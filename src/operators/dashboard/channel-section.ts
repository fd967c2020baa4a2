// The dashboard's card about reachability per messenger and messages that moved between them.
import type { Dictionary } from "../i18n.ts";
import type { ConsoleLang } from "../i18n.ts";
import type { ChannelFigures } from "./channel-figures.ts";
import type { Formats } from "./format.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { section, tiles } from "./html.ts";

const TEXT: Dictionary<"title" | "note" | "telegram" | "max" | "whatsapp" | "none" | "blocked" | "moved"> = {
  ru: {
    title: "Доступность пациентов в мессенджерах",
    note: "Пациент с двумя мессенджерами считается в обоих. Блокировки и сообщения, ушедшие в другой мессенджер пациента, — за 30 дней.",
    telegram: "Доступны в Telegram",
    max: "Доступны в MAX",
    whatsapp: "Доступны в WhatsApp",
    none: "Недоступны нигде",
    blocked: "Заблокировали бота",
    moved: "Ушли в другой мессенджер",
  },
  en: {
    title: "Patients' reachability per messenger",
    note: "A patient with two messengers counts in both. Blocks and messages moved to the patient's next messenger: last 30 days.",
    telegram: "Reachable in Telegram",
    max: "Reachable in MAX",
    whatsapp: "Reachable in WhatsApp",
    none: "Reachable nowhere",
    blocked: "Blocked the bot",
    moved: "Moved to another messenger",
  },
};

export function channelSection(c: ChannelFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  return section({
    id: "channels",
    title: t.title,
    note: t.note,
    body: tiles([
      { label: t.telegram, value: f.int(c.reachable.telegram), testid: "channels-telegram" },
      { label: t.max, value: f.int(c.reachable.max), testid: "channels-max" },
      { label: t.whatsapp, value: f.int(c.reachable.whatsapp), testid: "channels-whatsapp" },
      { label: t.none, value: f.int(c.unreachable), testid: "channels-none", tone: c.unreachable > 0 ? "warn" : undefined },
      { label: t.blocked, value: f.int(c.blocked), testid: "channels-blocked" },
      { label: t.moved, value: f.int(c.moved), testid: "channels-moved" },
    ]),
  });
}
