// The dashboard's card about the appointment loop: reminders and what patients did with them,
// slots the waitlist filled again, and how often reminded and unreminded visits were missed.
import type { ConsoleLang, Dictionary } from "../i18n.ts";
import type { AppointmentFigures, NoShowFigures } from "./appointment-figures.ts";
import type { Formats } from "./format.ts";
import type { SafeHtml } from "../../web-assets/html.ts";
import { section, tiles } from "./html.ts";

const TEXT: Dictionary<"title" | "note" | "sent" | "confirmed" | "cancelled" | "rescheduled" | "refilled" | "missedReminded" | "missedNotReminded" | "of"> = {
  ru: {
    title: "Запись и напоминания о визитах за 30 дней",
    note: "Неявки — доля пропущенных визитов среди прошедших: с напоминанием и без него.",
    sent: "Напоминаний отправлено",
    confirmed: "Подтвердили",
    cancelled: "Отменили",
    rescheduled: "Перенесли",
    refilled: "Заполнено из листа ожидания",
    missedReminded: "Неявки с напоминанием",
    missedNotReminded: "Неявки без напоминания",
    of: "из",
  },
  en: {
    title: "Appointments and visit reminders, last 30 days",
    note: "No-shows: the share of past visits that were missed, with and without a reminder.",
    sent: "Reminders sent",
    confirmed: "Confirmed",
    cancelled: "Cancelled",
    rescheduled: "Moved",
    refilled: "Filled from the waitlist",
    missedReminded: "No-shows, reminded",
    missedNotReminded: "No-shows, not reminded",
    of: "of",
  },
};

/** "2 из 40 (5 %)", or "—" with no visits. */
function noShows(n: NoShowFigures, lang: ConsoleLang, f: Formats): string {
  if (n.visits === 0) return "—";
  return `${f.int(n.missed)} ${TEXT[lang].of} ${f.int(n.visits)} (${Math.round((100 * n.missed) / n.visits)} %)`;
}

export function appointmentSection(a: AppointmentFigures, lang: ConsoleLang, f: Formats): SafeHtml {
  const t = TEXT[lang];
  return section({
    id: "appointments",
    title: t.title,
    note: t.note,
    body: tiles([
      { label: t.sent, value: f.int(a.remindersSent), testid: "appointments-reminded" },
      { label: t.confirmed, value: f.int(a.confirmed), testid: "appointments-confirmed" },
      { label: t.cancelled, value: f.int(a.cancelled), testid: "appointments-cancelled" },
      { label: t.rescheduled, value: f.int(a.rescheduled), testid: "appointments-rescheduled" },
      { label: t.refilled, value: f.int(a.refilled), testid: "appointments-refilled" },
      { label: t.missedReminded, value: noShows(a.reminded, lang, f), testid: "appointments-no-shows-reminded" },
      { label: t.missedNotReminded, value: noShows(a.notReminded, lang, f), testid: "appointments-no-shows-not-reminded" },
    ]),
  });
}
