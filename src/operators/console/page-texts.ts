// Every word of the queue page, in Russian and English. The page's HTML takes them directly; its
// script gets the same table as JSON ("{name}" marks a value the script puts in).
import { INTL_LOCALE } from "../../i18n/lang.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import { CHANNEL_LABELS, CONVERSATION_LABELS, PRIORITY_LABELS, REASON_LABELS } from "./labels.ts";

/** What the queue page hands its script (read by src/browser/console.ts). */
export interface ConsolePageData {
  locale: string;
  timezone: string;
  operatorId: number;
  admin: boolean;
  /** The page's words in the operator's language; "{name}" marks a value the script puts in. */
  t: Record<PageTextKey, string>;
  priority: Record<string, string>;
  reason: Record<string, string>;
  conversation: Record<string, string>;
  channel: Record<string, string>;
}

/** Every word's key (the page's script reads its table by them). */
export type PageTextKey =
  | "title" | "queue" | "conversation" | "card" | "views" | "pickOne" | "take" | "takenByYou" | "takenBy" | "handBack"
  | "messagesHint" | "text" | "reply" | "note" | "canned" | "cardHint" | "waTitle" | "waHelp"
  | "connecting" | "online" | "offline" | "reloginNeeded" | "heldBy" | "httpError" | "urgentTitle" | "urgentCount"
  | "queueEmpty" | "overdue" | "inWork" | "ledBy" | "answerBy" | "replyPlaceholder" | "notePlaceholder" | "unlinked"
  | "noMessages" | "fromPatient" | "fromNote" | "fromOperator" | "fromBot" | "none" | "escalations" | "until" | "resolved"
  | "unlinkedCard" | "patient" | "fullName" | "phone" | "points" | "expiring" | "consent" | "consentSince" | "no"
  | "mailings" | "optedOut" | "receives" | "visits" | "followUps" | "missed" | "nps" | "chats" | "unreachable" | "enterText" | "openCard";

export const PAGE_TEXT: Dictionary<PageTextKey> = {
  ru: {
    title: "Консоль операторов",
    queue: "Очередь",
    conversation: "Диалог",
    card: "Карточка",
    views: "Разделы страницы",
    pickOne: "Выберите обращение в очереди",
    take: "Взять диалог",
    takenByYou: "Диалог у вас",
    takenBy: "Ведёт {name}",
    handBack: "Вернуть боту",
    messagesHint: "Здесь появится переписка с пациентом. Сообщения приходят без перезагрузки страницы.",
    text: "Текст",
    reply: "Ответить",
    note: "Заметка",
    canned: "Шаблон ответа…",
    cardHint: "Карточка пациента: визиты, баллы, оценки, чаты.",
    waTitle: "Подключите WhatsApp",
    waHelp: "Откройте WhatsApp на телефоне клиники → «Связанные устройства» → «Привязать устройство» и отсканируйте код.",
    connecting: "подключение…",
    online: "онлайн",
    offline: "нет связи…",
    reloginNeeded: "нужно войти снова",
    heldBy: "Диалог уже ведёт {name}",
    httpError: "ошибка {status}",
    urgentTitle: "({n}) срочно — {title}",
    urgentCount: "новых срочных: {n}",
    queueEmpty: "Очередь пуста: все обращения разобраны.",
    overdue: "просрочено",
    inWork: "в работе",
    ledBy: "ведёт {name}",
    answerBy: "ответить до {time}",
    replyPlaceholder: "Ответ пациенту или заметка",
    notePlaceholder: "Заметка для коллег (ответить можно, взяв диалог)",
    unlinked: "Пациент не привязан",
    noMessages: "Сообщений пока нет.",
    fromPatient: "пациент",
    fromNote: "заметка · {name}",
    fromOperator: "оператор · {name}",
    fromBot: "бот",
    none: "нет",
    escalations: "Обращения",
    until: "до {time}",
    resolved: "Решено",
    unlinkedCard: "Чат не привязан к карточке пациента.",
    patient: "Пациент",
    fullName: "ФИО",
    phone: "Телефон",
    points: "Баллы",
    expiring: "сгорит {n}",
    consent: "Согласие",
    consentSince: "с {time}",
    no: "нет",
    mailings: "Рассылки",
    optedOut: "отказался {time}",
    receives: "получает",
    visits: "Визиты",
    followUps: "Ожидаемые визиты",
    missed: "пропущен",
    nps: "Оценки NPS",
    chats: "Чаты",
    unreachable: "недоступен",
    enterText: "Введите текст",
    openCard: "Открыть карточку пациента",
  },
  en: {
    title: "Operators' console",
    queue: "Queue",
    conversation: "Chat",
    card: "Patient",
    views: "Page sections",
    pickOne: "Pick a request in the queue",
    take: "Take over",
    takenByYou: "You have this chat",
    takenBy: "{name} has it",
    handBack: "Hand back to the bot",
    messagesHint: "The chat with the patient shows here. New messages arrive without reloading the page.",
    text: "Text",
    reply: "Reply",
    note: "Note",
    canned: "Canned reply…",
    cardHint: "The patient's card: visits, points, ratings, chats.",
    waTitle: "Link WhatsApp",
    waHelp: "Open WhatsApp on the clinic's phone → “Linked devices” → “Link a device” and scan the code.",
    connecting: "connecting…",
    online: "online",
    offline: "offline…",
    reloginNeeded: "please log in again",
    heldBy: "{name} already has this chat",
    httpError: "error {status}",
    urgentTitle: "({n}) urgent — {title}",
    urgentCount: "new urgent: {n}",
    queueEmpty: "The queue is empty: every request is handled.",
    overdue: "overdue",
    inWork: "in progress",
    ledBy: "with {name}",
    answerBy: "answer by {time}",
    replyPlaceholder: "A reply to the patient, or a note",
    notePlaceholder: "A note for colleagues (take the chat over to reply)",
    unlinked: "Patient not linked",
    noMessages: "No messages yet.",
    fromPatient: "patient",
    fromNote: "note · {name}",
    fromOperator: "operator · {name}",
    fromBot: "bot",
    none: "none",
    escalations: "Requests",
    until: "by {time}",
    resolved: "Resolved",
    unlinkedCard: "This chat is not linked to a patient's card.",
    patient: "Patient",
    fullName: "Name",
    phone: "Phone",
    points: "Points",
    expiring: "{n} expiring",
    consent: "Consent",
    consentSince: "since {time}",
    no: "no",
    mailings: "Messages",
    optedOut: "opted out {time}",
    receives: "receives",
    visits: "Visits",
    followUps: "Expected visits",
    missed: "missed",
    nps: "NPS ratings",
    chats: "Chats",
    unreachable: "unreachable",
    enterText: "Enter some text",
    openCard: "Open the patient's card",
  },
};

/** What the page's script needs in the page's language (src/browser/console.ts reads it). */
export function consolePageData(lang: ConsoleLang, session: { timezone: string; operatorId: number; admin: boolean }): ConsolePageData {
  return {
    locale: INTL_LOCALE[lang],
    ...session,
    t: PAGE_TEXT[lang],
    priority: PRIORITY_LABELS[lang],
    reason: REASON_LABELS[lang],
    conversation: CONVERSATION_LABELS[lang],
    channel: CHANNEL_LABELS[lang],
  };
}
