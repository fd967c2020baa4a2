import type { Dictionary } from "../i18n.ts";

/**
 * What the console's API answers when it refuses, in the console's language: a ConsoleProblem
 * names one of these keys (its values fill the `{name}` places). The page shows them as they are.
 */
export const PROBLEM_TEXT: Dictionary<"noConversation" | "heldBy" | "takeOverFirst" | "noEscalation" | "adminLinksWhatsapp" | "tooManyStreams" | "badBody" | "internal" | "text" | "id" | "anotherOperator"> = {
  ru: {
    noConversation: "такого разговора нет",
    heldBy: "разговор ведёт {holder}",
    takeOverFirst: "сначала возьмите разговор себе",
    noEscalation: "такого обращения нет",
    adminLinksWhatsapp: "подключить WhatsApp может только администратор",
    tooManyStreams: "открыто уже {max} окон консоли с обновлениями: закройте одну из вкладок",
    badBody: "запрос не прочитан: {reason}",
    internal: "внутренняя ошибка; подробности в журнале сервиса",
    text: "текст сообщения",
    id: "номер",
    anotherOperator: "другой оператор",
  },
  en: {
    noConversation: "no such conversation",
    heldBy: "the conversation is held by {holder}",
    takeOverFirst: "take the conversation over first",
    noEscalation: "no such escalation",
    adminLinksWhatsapp: "only an admin links WhatsApp",
    tooManyStreams: "at most {max} live-update streams per session are open: close another console tab",
    badBody: "body: {reason}",
    internal: "internal error; see the service log",
    text: "text",
    id: "id",
    anotherOperator: "another operator",
  },
};

export type ProblemKey = keyof (typeof PROBLEM_TEXT)["en"];
