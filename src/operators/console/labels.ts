// How the console names escalation priorities, reasons and chat states, in both languages. One
// table for the page's script (embedded as JSON) and for the alerts in the operators' chat.
import type { ConsoleLang } from "../i18n.ts";

type Labels = Record<string, string>;

export const PRIORITY_LABELS: Record<ConsoleLang, Labels> = {
  ru: { urgent: "срочно", high: "высокий", normal: "обычный", low: "низкий" },
  en: { urgent: "urgent", high: "high", normal: "normal", low: "low" },
};

export const REASON_LABELS: Record<ConsoleLang, Labels> = {
  ru: {
    operator_request: "просит связаться с человеком",
    nps_detractor: "низкая оценка",
    health_complaint: "жалоба на самочувствие",
    unknown_phone: "неизвестный номер",
    rebook_other_time: "другое время записи",
    unrecognized_input: "бот не понял ответ",
    flow_error: "ошибка сценария",
    new_patient: "новый пациент",
    patient_message: "сообщение пациента",
    booking_request: "хочет записаться",
    visit_unconfirmed: "не подтвердил визит — позвонить",
  },
  en: {
    operator_request: "asks for a person",
    nps_detractor: "low rating",
    health_complaint: "health complaint",
    unknown_phone: "unknown phone number",
    rebook_other_time: "wants another time",
    unrecognized_input: "the bot did not understand",
    flow_error: "flow error",
    new_patient: "new patient",
    patient_message: "patient's message",
    booking_request: "wants to book",
    visit_unconfirmed: "visit not confirmed: call",
  },
};

export const CONVERSATION_LABELS: Record<ConsoleLang, Labels> = {
  ru: { bot: "ведёт бот", operator: "у оператора", closed: "завершён" },
  en: { bot: "bot is talking", operator: "with an operator", closed: "closed" },
};

export const CHANNEL_LABELS: Record<ConsoleLang, Labels> = {
  ru: { telegram: "Telegram", whatsapp: "WhatsApp", web: "веб", max: "MAX" },
  en: { telegram: "Telegram", whatsapp: "WhatsApp", web: "web", max: "MAX" },
};

/** A reason's label, or the code itself for a reason added later than this table. */
export const reasonLabel = (lang: ConsoleLang, reason: string): string => REASON_LABELS[lang][reason] ?? reason;
export const priorityLabel = (lang: ConsoleLang, priority: string): string => PRIORITY_LABELS[lang][priority] ?? priority;
