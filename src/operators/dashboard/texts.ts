// The dashboard's words in Russian and English (the Dictionary type makes a missing one a compile error).
import type { Dictionary } from "../i18n.ts";

export const TEXT: Dictionary<
  | "title"
  | "asOf"
  | "npsMonthsTitle"
  | "npsMonthsNote"
  | "npsDoctorsTitle"
  | "npsScoresTitle"
  | "npsScoresNote"
  | "noAnswers"
  | "month"
  | "doctor"
  | "responses"
  | "promoters"
  | "passives"
  | "detractors"
  | "nps"
  | "score"
  | "total"
  | "noDoctor"
  | "showTable"
  | "escalationsTitle"
  | "priority"
  | "open"
  | "taken"
  | "overdue"
  | "overdueNow"
  | "resolved30"
  | "resolvedLate30"
  | "medianTake"
  | "medianResolve"
  | "noEscalations"
  | "bonusTitle"
  | "outstanding"
  | "holders"
  | "expiringSoon"
  | "accrued30"
  | "redeemed30"
  | "expired30"
  | "remindersTitle"
  | "remindersNote"
  | "kind"
  | "sent"
  | "skipped"
  | "tooOld"
  | "retrying"
  | "dead"
  | "noReminders"
  | "campaignsTitle"
  | "reached"
  | "replied"
  | "booked"
  | "cameBack"
  | "revenue"
  | "noAdConsent"
  | "noCampaigns"
  | "cameBackNote"
  | "npsScale"
  | "promotersShort"
  | "passivesShort"
  | "detractorsShort"
  | "npsTwelve"
  | "waitingShort"
  | "takenShort"
  | "overdueShort"
  | "sentShort"
  | "skippedShort"
  | "tooOldShort"
  | "retryingShort"
  | "deadShort"
  | "overdueShort2"
> = {
  ru: {
    title: "Показатели клиники",
    asOf: "Данные на",
    npsMonthsTitle: "NPS по месяцам",
    npsMonthsNote: "За 12 месяцев. Над столбцом — NPS, под месяцем — число оценок.",
    npsDoctorsTitle: "NPS по врачам",
    npsScoresTitle: "Распределение оценок",
    npsScoresNote: "Оценки 0–10 за 12 месяцев: 9–10 — промоутеры, 7–8 — нейтральные, 0–6 — критики.",
    noAnswers: "Ещё нет оценок",
    month: "Месяц",
    doctor: "Врач",
    responses: "Оценок",
    promoters: "Промоутеры",
    passives: "Нейтральные",
    detractors: "Критики",
    nps: "NPS",
    score: "Оценка",
    total: "Всего",
    noDoctor: "врач не указан",
    showTable: "Таблица",
    escalationsTitle: "Обращения к операторам",
    priority: "Приоритет",
    open: "Ждут",
    taken: "В работе",
    overdue: "Просрочено",
    overdueNow: "Ждут дольше срока",
    resolved30: "Решено за 30 дней",
    resolvedLate30: "Из них решено с опозданием",
    medianTake: "Медиана до ответа",
    medianResolve: "Медиана до решения",
    noEscalations: "Открытых обращений нет",
    bonusTitle: "Бонусные баллы",
    outstanding: "На счетах пациентов",
    holders: "Пациентов с баллами",
    expiringSoon: "Сгорят в ближайшие 30 дней",
    accrued30: "Начислено за 30 дней",
    redeemed30: "Списано в оплату за 30 дней",
    expired30: "Сгорело за 30 дней",
    remindersTitle: "Напоминания за 30 дней",
    remindersNote: "Отправлено — разговор начат в чате пациента; не отправлено — отказ от рассылок или нет чата; устар. — визит передан слишком поздно (ночная выгрузка, история), спрашивать о нём уже не к месту; повтор — ждёт новой попытки; не доставлено — отправка прекращена.",
    kind: "Вид",
    sent: "Отправлено",
    skipped: "Не отправлено",
    tooOld: "Пропущено как устаревшее",
    retrying: "Повтор",
    dead: "Не доставлено",
    noReminders: "За 30 дней напоминаний не было",
    campaignsTitle: "Кампании",
    reached: "Получили",
    replied: "Ответили",
    booked: "Записались",
    cameBack: "Пришли",
    revenue: "Выручка",
    noAdConsent: "Без согласия на рекламу",
    noCampaigns: "Кампаний пока нет: их настраивают в разделе «Настройки».",
    cameBackNote: "«Пришли» — визит в течение {days} дн. после сообщения.",
    npsScale: "NPS от −100 до +100",
    promotersShort: "Пром.",
    passivesShort: "Нейтр.",
    detractorsShort: "Крит.",
    npsTwelve: "NPS за 12 месяцев",
    waitingShort: "ждут",
    takenShort: "в работе",
    overdueShort: "просрочено",
    sentShort: "Отпр.",
    skippedShort: "Не отпр.",
    tooOldShort: "Устар.",
    retryingShort: "Повт.",
    deadShort: "Не дост.",
    overdueShort2: "Проср.",
  },
  en: {
    title: "Clinic dashboard",
    asOf: "As of",
    npsMonthsTitle: "NPS by month",
    npsMonthsNote: "Last 12 months. NPS above each bar, number of answers below the month.",
    npsDoctorsTitle: "NPS by doctor",
    npsScoresTitle: "Score distribution",
    npsScoresNote: "Scores 0–10 over 12 months: 9–10 promoters, 7–8 passives, 0–6 detractors.",
    noAnswers: "No answers yet",
    month: "Month",
    doctor: "Doctor",
    responses: "Answers",
    promoters: "Promoters",
    passives: "Passives",
    detractors: "Detractors",
    nps: "NPS",
    score: "Score",
    total: "Total",
    noDoctor: "no doctor given",
    showTable: "Table",
    escalationsTitle: "Escalations",
    priority: "Priority",
    open: "Waiting",
    taken: "Taken",
    overdue: "Overdue",
    overdueNow: "Waiting past SLA",
    resolved30: "Resolved in 30 days",
    resolvedLate30: "Of those, resolved late",
    medianTake: "Median time to take",
    medianResolve: "Median time to resolve",
    noEscalations: "No open escalations",
    bonusTitle: "Bonus points",
    outstanding: "Held by patients",
    holders: "Patients holding points",
    expiringSoon: "Expiring in the next 30 days",
    accrued30: "Credited in 30 days",
    redeemed30: "Redeemed in 30 days",
    expired30: "Expired in 30 days",
    remindersTitle: "Reminders in the last 30 days",
    remindersNote: "Sent: the conversation began in the patient's chat; skipped: opted out or no chat; too old: the visit reached CareBot too late to speak of it (a late sync, history); retrying: waiting for another try; dead: given up.",
    kind: "Kind",
    sent: "Sent",
    skipped: "Skipped",
    tooOld: "Skipped as too old",
    retrying: "Retrying",
    dead: "Dead",
    noReminders: "No reminders in the last 30 days",
    campaignsTitle: "Campaigns",
    reached: "Reached",
    replied: "Replied",
    booked: "Booked",
    cameBack: "Came back",
    revenue: "Revenue",
    noAdConsent: "No advertising consent",
    noCampaigns: "No campaigns yet: set them up under Settings.",
    cameBackNote: "“Came back”: a visit within {days} days of the message.",
    npsScale: "NPS from −100 to +100",
    promotersShort: "Prom.",
    passivesShort: "Pass.",
    detractorsShort: "Detr.",
    npsTwelve: "NPS, last 12 months",
    waitingShort: "waiting",
    takenShort: "taken",
    overdueShort: "overdue",
    sentShort: "Sent",
    skippedShort: "Skip.",
    tooOldShort: "Too old",
    retryingShort: "Retry",
    deadShort: "Dead",
    overdueShort2: "Late",
  },
};

export const PRIORITY_TEXT: Dictionary<"urgent" | "high" | "normal" | "low"> = {
  ru: { urgent: "Срочно", high: "Высокий", normal: "Обычный", low: "Низкий" },
  en: { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" },
};

export const REMINDER_TEXT: Dictionary<"balance" | "expiry" | "birthday" | "checkin" | "followup" | "visit-reminder" | "waitlist" | "nps" | "campaign" | "other"> = {
  ru: {
    balance: "Баланс баллов",
    expiry: "Сгорание баллов",
    birthday: "День рождения",
    checkin: "Самочувствие после процедуры",
    followup: "Повторный визит",
    "visit-reminder": "Напоминание о визите",
    waitlist: "Лист ожидания",
    nps: "Опрос NPS",
    campaign: "Кампании",
    other: "Прочие",
  },
  en: {
    balance: "Bonus balance",
    expiry: "Points expiring",
    birthday: "Birthday",
    checkin: "Care check-in",
    followup: "Follow-up visit",
    "visit-reminder": "Visit reminder",
    waitlist: "Waitlist offer",
    nps: "NPS survey",
    campaign: "Campaigns",
    other: "Other",
  },
};
