// The settings form: which field edits which part of the document, how its text becomes JSON
// (the kind), and what a clinic manager reads beside it. The page renders this table; its script
// fills and collects the fields by `path` and puts each server error next to the field it names.
import type { ConsoleLang, Dictionary } from "../i18n.ts";

/**
 * number: a number, sent as typed when it is not one (the server names the problem);
 * text / optional-text: a string (an empty optional one is left out); time: "HH:MM";
 * cron: five fields with a human hint; list-text / list-number: comma-separated;
 * pairs: "name = number" per line (an object); json: a JSON editor (segments, campaigns, replies).
 */
export type FieldKind = "number" | "text" | "optional-text" | "time" | "cron" | "list-text" | "list-number" | "pairs" | "json";

const FIELDS = {
  address: "text",
  phone: "text",
  reviewUrl: "optional-text",
  telegramBot: "optional-text",
  "bonus.accrualPercent": "number",
  "bonus.categoryPercent": "pairs",
  "bonus.excludedCategories": "list-text",
  "bonus.welcomeBonus": "number",
  "bonus.birthdayGift": "number",
  "bonus.birthdayGiftValidDays": "number",
  "bonus.referrerReward": "number",
  "bonus.refereeReward": "number",
  "bonus.expiryMonths": "number",
  "bonus.maxBillShare": "number",
  "quietHours.start": "time",
  "quietHours.end": "time",
  marketingCapDays: "number",
  "birthdayWindow.daysBefore": "number",
  "birthdayWindow.daysAfter": "number",
  npsDelayMinutes: "number",
  "followUp.maxAttempts": "number",
  "followUp.gapDays": "list-number",
  "sla.urgentMinutes": "number",
  "sla.highHours": "number",
  "sla.normalHours": "number",
  "sla.lowHours": "number",
  "sla.bookingHours": "number",
  "calendar.week": "json",
  "calendar.holidays": "list-text",
  "calendar.workdays": "list-text",
  "schedules.balanceReminder": "cron",
  "schedules.bonusExpiry": "cron",
  "schedules.birthday": "cron",
  "schedules.careCheckin": "cron",
  "schedules.followUp": "cron",
  "schedules.timers": "cron",
  cannedReplies: "json",
  segments: "json",
  campaigns: "json",
} as const satisfies Record<string, FieldKind>;

export type FieldPath = keyof typeof FIELDS;
export type SectionId = "clinic" | "bonus" | "messages" | "sla" | "calendar" | "schedules" | "lists";

export const SECTIONS: readonly { id: SectionId; fields: readonly FieldPath[] }[] = [
  { id: "clinic", fields: ["address", "phone", "reviewUrl", "telegramBot"] },
  {
    id: "bonus",
    fields: [
      "bonus.accrualPercent",
      "bonus.maxBillShare",
      "bonus.expiryMonths",
      "bonus.welcomeBonus",
      "bonus.birthdayGift",
      "bonus.birthdayGiftValidDays",
      "bonus.referrerReward",
      "bonus.refereeReward",
      "bonus.excludedCategories",
      "bonus.categoryPercent",
    ],
  },
  {
    id: "messages",
    fields: ["quietHours.start", "quietHours.end", "marketingCapDays", "npsDelayMinutes", "birthdayWindow.daysBefore", "birthdayWindow.daysAfter", "followUp.maxAttempts", "followUp.gapDays"],
  },
  { id: "sla", fields: ["sla.urgentMinutes", "sla.highHours", "sla.normalHours", "sla.lowHours", "sla.bookingHours"] },
  { id: "calendar", fields: ["calendar.week", "calendar.holidays", "calendar.workdays"] },
  {
    id: "schedules",
    fields: ["schedules.balanceReminder", "schedules.bonusExpiry", "schedules.birthday", "schedules.careCheckin", "schedules.followUp", "schedules.timers"],
  },
  { id: "lists", fields: ["cannedReplies", "segments", "campaigns"] },
];

export const kindOf = (path: FieldPath): FieldKind => FIELDS[path];

/** The element id of a field's input: "f-bonus-accrualPercent". */
export const fieldId = (path: string): string => `f-${path.replace(/\./g, "-")}`;

export const SECTION_TITLES: Dictionary<SectionId> = {
  ru: { clinic: "Клиника", bonus: "Бонусная программа", messages: "Сообщения пациентам", sla: "Сроки ответа операторов", calendar: "Рабочий календарь", schedules: "Расписания рассылок", lists: "Сегменты, кампании и шаблоны ответов" },
  en: { clinic: "Clinic", bonus: "Bonus programme", messages: "Messages to patients", sla: "Operators' response times", calendar: "Working calendar", schedules: "Message schedules", lists: "Segments, campaigns and canned replies" },
};

export const SECTION_INTROS: Dictionary<SectionId> = {
  ru: {
    clinic: "Контакты, которые бот называет пациентам.",
    bonus: "1 балл = 1 рубль. Суммы бонусов — в баллах.",
    messages: "Тихие часы и ограничение частоты касаются рекламных сообщений; напоминания о здоровье приходят всегда.",
    sla: "Срочные жалобы считаются в минутах круглосуточно, остальные — в рабочих часах клиники.",
    calendar: "По этому календарю бот обещает пациентам, когда им ответят: выходные и праздники не считаются. По умолчанию — пятидневка с 9 до 20 и федеральные праздники России.",
    schedules: "Формат cron: минута, час, день месяца, месяц, день недели — по часовому поясу клиники ({tz}). Под каждым полем — как CareBot его понял.",
    lists: "Списки в формате JSON. Кампания ссылается на сегмент по его id. Ошибки показываются с номером записи.",
  },
  en: {
    clinic: "The contacts the bot gives patients.",
    bonus: "1 point = 1 rouble. Rewards are in points.",
    messages: "Quiet hours and the frequency cap apply to marketing messages; care messages always go out.",
    sla: "Urgent complaints count calendar minutes, day and night; the others count the clinic's business hours.",
    calendar: "What the bot counts when it promises patients an answer: days off and holidays do not count. By default a five-day week, 9 to 20, and Russia's federal holidays.",
    schedules: "Cron format: minute, hour, day of month, month, weekday — in the clinic's time zone ({tz}). Under each field: how CareBot reads it.",
    lists: "Lists in JSON. A campaign names its segment by id. Errors show the item's number.",
  },
};

export const LABELS: Dictionary<FieldPath> = {
  ru: {
    address: "Адрес",
    phone: "Телефон",
    reviewUrl: "Ссылка для отзыва",
    telegramBot: "Telegram-бот клиники",
    "bonus.accrualPercent": "Начисление, % от оплаты",
    "bonus.categoryPercent": "Свой процент для категорий услуг",
    "bonus.excludedCategories": "Категории без начисления",
    "bonus.welcomeBonus": "Приветственный бонус",
    "bonus.birthdayGift": "Подарок ко дню рождения",
    "bonus.birthdayGiftValidDays": "Подарок действует, дней",
    "bonus.referrerReward": "Награда за приглашённого друга",
    "bonus.refereeReward": "Бонус приглашённому",
    "bonus.expiryMonths": "Срок жизни баллов, месяцев",
    "bonus.maxBillShare": "Доля счёта баллами",
    "quietHours.start": "Тихие часы: с",
    "quietHours.end": "Тихие часы: до",
    marketingCapDays: "Пауза между рекламой, дней",
    "birthdayWindow.daysBefore": "День рождения: дней до",
    "birthdayWindow.daysAfter": "День рождения: дней после",
    npsDelayMinutes: "Опрос NPS: через минут",
    "followUp.maxAttempts": "Повторный визит: напоминаний",
    "followUp.gapDays": "Дни между напоминаниями",
    "sla.urgentMinutes": "Срочные (здоровье), минут",
    "sla.highHours": "Высокий приоритет, часов",
    "sla.normalHours": "Обычный приоритет, часов",
    "sla.lowHours": "Низкий приоритет, часов",
    "sla.bookingHours": "Запрос на запись, часов",
    "calendar.week": "Часы работы по дням недели",
    "calendar.holidays": "Праздники",
    "calendar.workdays": "Рабочие выходные",
    "schedules.balanceReminder": "Напоминание о балансе",
    "schedules.bonusExpiry": "Сгорание баллов",
    "schedules.birthday": "Поздравления с днём рождения",
    "schedules.careCheckin": "Самочувствие после визита",
    "schedules.followUp": "Напоминание о повторном визите",
    "schedules.timers": "Таймеры диалогов",
    cannedReplies: "Шаблоны ответов операторов",
    segments: "Сегменты пациентов",
    campaigns: "Кампании",
  },
  en: {
    address: "Address",
    phone: "Phone",
    reviewUrl: "Review link",
    telegramBot: "The clinic's Telegram bot",
    "bonus.accrualPercent": "Accrual, % of the amount paid",
    "bonus.categoryPercent": "Own percentage for service categories",
    "bonus.excludedCategories": "Categories that earn nothing",
    "bonus.welcomeBonus": "Welcome bonus",
    "bonus.birthdayGift": "Birthday gift",
    "bonus.birthdayGiftValidDays": "Gift valid for, days",
    "bonus.referrerReward": "Reward for a referred friend",
    "bonus.refereeReward": "Bonus for the referred friend",
    "bonus.expiryMonths": "Points expire after, months",
    "bonus.maxBillShare": "Share of a bill in points",
    "quietHours.start": "Quiet hours from",
    "quietHours.end": "Quiet hours until",
    marketingCapDays: "Gap between marketing, days",
    "birthdayWindow.daysBefore": "Birthday: days before",
    "birthdayWindow.daysAfter": "Birthday: days after",
    npsDelayMinutes: "NPS survey: after minutes",
    "followUp.maxAttempts": "Follow-up reminders, at most",
    "followUp.gapDays": "Days between reminders",
    "sla.urgentMinutes": "Urgent (health), minutes",
    "sla.highHours": "High priority, hours",
    "sla.normalHours": "Normal priority, hours",
    "sla.lowHours": "Low priority, hours",
    "sla.bookingHours": "Booking request, hours",
    "calendar.week": "Working hours per weekday",
    "calendar.holidays": "Holidays",
    "calendar.workdays": "Worked days off",
    "schedules.balanceReminder": "Balance reminder",
    "schedules.bonusExpiry": "Points expiry warning",
    "schedules.birthday": "Birthday greetings",
    "schedules.careCheckin": "Check-in after a visit",
    "schedules.followUp": "Follow-up visit reminder",
    "schedules.timers": "Conversation timers",
    cannedReplies: "Operators' canned replies",
    segments: "Patient segments",
    campaigns: "Campaigns",
  },
};

/** Hints under the fields that need one (cron fields get a live one instead). */
export const HINTS: Record<ConsoleLang, Partial<Record<FieldPath, string>>> = {
  ru: {
    phone: "В международном формате: +74951234567",
    reviewUrl: "Куда бот зовёт довольных пациентов, например https://yandex.ru/maps/org/…",
    telegramBot: "Имя без @ — для ссылок-приглашений t.me/<бот>",
    "bonus.categoryPercent": "По строке на категорию: hygiene = 10",
    "bonus.excludedCategories": "Через запятую: diagnostics, xray",
    "bonus.maxBillShare": "От 0 до 1: 0.5 — баллами можно оплатить половину счёта",
    "followUp.gapDays": "Через запятую, по одному числу на попытку: 0, 3, 7",
    "followUp.maxAttempts": "Сколько раз напомнить о рекомендованном врачом визите",
    "birthdayWindow.daysBefore": "Окно поздравления вокруг дня рождения",
    npsDelayMinutes: "Через сколько минут после визита спросить оценку",
    marketingCapDays: "Не больше одного рекламного сообщения за столько дней",
    "sla.highHours": "Рабочих часов на ответ",
    "sla.bookingHours": "Пациент просит записать его на время, которого нет в списке",
    "calendar.week": 'null — выходной. Пример: { "mon": { "start": "09:00", "end": "20:00" }, …, "sat": { "start": "10:00", "end": "16:00" }, "sun": null }',
    "calendar.holidays": "Через запятую: 01-01 — каждый год, 2027-05-10 — один раз. Праздник в выходной переносится на следующий рабочий день",
    "calendar.workdays": "Через запятую, даты переноса: 2027-11-06 — рабочая суббота (часы понедельника)",
    cannedReplies: 'Пример: [{ "id": "hours", "title": "Часы работы", "text": "Мы работаем с 9 до 21." }]',
    segments:
      'Пример: [{ "id": "sleeping", "title": "Давно не были", "lastVisitOlderThanMonths": 6 }]. Условия: ageMin, ageMax, tagsAny, sourceIn, lastVisitBefore, lastVisitOlderThanMonths, serviceCategoryAny, openFollowUp, birthdayWithinDays, balanceAtLeast',
    campaigns: 'Пример: [{ "id": "spring", "title": "Весенняя гигиена", "segment": "sleeping", "offer": { "bonusPoints": 300 } }]',
  },
  en: {
    phone: "International format: +74951234567",
    reviewUrl: "Where the bot sends happy patients, e.g. https://yandex.ru/maps/org/…",
    telegramBot: "Username without @, for invitation links t.me/<bot>",
    "bonus.categoryPercent": "One category per line: hygiene = 10",
    "bonus.excludedCategories": "Comma-separated: diagnostics, xray",
    "bonus.maxBillShare": "From 0 to 1: 0.5 — points may pay half the bill",
    "followUp.gapDays": "Comma-separated, one number per attempt: 0, 3, 7",
    "followUp.maxAttempts": "How many times to remind of a visit the doctor recommended",
    "birthdayWindow.daysBefore": "The greeting window around the birthday",
    npsDelayMinutes: "How long after a visit to ask for a score",
    marketingCapDays: "At most one marketing message in this many days",
    "sla.highHours": "Business hours to answer",
    "sla.bookingHours": "A patient asks to be booked at a time the list did not offer",
    "calendar.week": 'null: a day off. Example: { "mon": { "start": "09:00", "end": "20:00" }, …, "sat": { "start": "10:00", "end": "16:00" }, "sun": null }',
    "calendar.holidays": "Comma-separated: 01-01 every year, 2027-05-10 once. A holiday on a day off moves to the next working day",
    "calendar.workdays": "Comma-separated dates of worked days off: 2027-11-06, a working Saturday (Monday's hours)",
    cannedReplies: 'Example: [{ "id": "hours", "title": "Opening hours", "text": "We are open 9 to 21." }]',
    segments:
      'Example: [{ "id": "sleeping", "title": "Not seen lately", "lastVisitOlderThanMonths": 6 }]. Conditions: ageMin, ageMax, tagsAny, sourceIn, lastVisitBefore, lastVisitOlderThanMonths, serviceCategoryAny, openFollowUp, birthdayWithinDays, balanceAtLeast',
    campaigns: 'Example: [{ "id": "spring", "title": "Spring hygiene", "segment": "sleeping", "offer": { "bonusPoints": 300 } }]',
  },
};
