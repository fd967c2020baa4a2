import type { Dictionary } from "../i18n.ts";

/** Texts the page's script shows as it loads, saves and explains; `{x}` is filled in by the script. */
export const SCRIPT_TEXT: Dictionary<
  | "loading"
  | "loadFailed"
  | "save"
  | "saving"
  | "saved"
  | "savedAt"
  | "unchanged"
  | "dirty"
  | "errorsTitle"
  | "storedProblems"
  | "conflict"
  | "reload"
  | "networkError"
  | "sessionEnded"
  | "jsonError"
  | "pairsError"
  | "item"
  | "cronBad"
  | "cronEveryMinute"
  | "cronEveryN"
  | "cronHourly"
  | "cronAt"
  | "cronDaily"
  | "cronMonthly"
  | "cronWeekly"
  | "cronWeekdays"
  | "cronOther"
  | "weekdays"
> = {
  ru: {
    loading: "Загружаем настройки…",
    loadFailed: "Не удалось загрузить настройки: {e}",
    save: "Сохранить",
    saving: "Сохраняем…",
    saved: "Сохранено.",
    savedAt: "Последнее сохранение: {t}",
    unchanged: "Изменений нет — всё уже сохранено.",
    dirty: "Есть несохранённые изменения",
    errorsTitle: "Не сохранено: исправьте {n} — подробности у полей ниже.",
    storedProblems: "В сохранённых настройках есть ошибки — исправьте их и сохраните.",
    conflict: "Пока вы редактировали, настройки сохранил кто-то другой. Ваши изменения не сохранены: откройте свежую версию и внесите их снова.",
    reload: "Открыть свежую версию",
    networkError: "Нет связи с сервером ({e}). Изменения не сохранены — попробуйте ещё раз.",
    sessionEnded: "Сессия закончилась — войдите снова, изменения не сохранены.",
    jsonError: "ошибка в JSON: {e}",
    pairsError: "строка {n}: напишите «категория = процент»",
    item: "запись {n}",
    cronBad: "нужно пять полей через пробел: минута час день месяц день-недели",
    cronEveryMinute: "каждую минуту",
    cronEveryN: "каждые {n} мин",
    cronHourly: "каждый час в {m} мин",
    cronAt: "в {t}",
    cronDaily: "каждый день",
    cronMonthly: "{d}-го числа каждого месяца",
    cronWeekly: "по {days}",
    cronWeekdays: "по будням",
    cronOther: "минута {mi}, час {h}, день {dom}, месяц {mon}, день недели {dow}",
    weekdays: "воскресеньям,понедельникам,вторникам,средам,четвергам,пятницам,субботам",
  },
  en: {
    loading: "Loading the settings…",
    loadFailed: "Could not load the settings: {e}",
    save: "Save",
    saving: "Saving…",
    saved: "Saved.",
    savedAt: "Last saved: {t}",
    unchanged: "No changes — everything is already saved.",
    dirty: "Unsaved changes",
    errorsTitle: "Not saved: fix {n} — details are next to the fields below.",
    storedProblems: "The saved settings have problems — fix them and save.",
    conflict: "Someone else saved the settings while you were editing. Your changes were not saved: open the fresh version and make them again.",
    reload: "Open the fresh version",
    networkError: "Cannot reach the server ({e}). Nothing was saved — try again.",
    sessionEnded: "Your session has ended — log in again; nothing was saved.",
    jsonError: "JSON error: {e}",
    pairsError: "line {n}: write “category = percent”",
    item: "item {n}",
    cronBad: "needs five space-separated fields: minute hour day month weekday",
    cronEveryMinute: "every minute",
    cronEveryN: "every {n} min",
    cronHourly: "every hour at minute {m}",
    cronAt: "at {t}",
    cronDaily: "every day",
    cronMonthly: "on day {d} of every month",
    cronWeekly: "on {days}",
    cronWeekdays: "on weekdays",
    cronOther: "minute {mi}, hour {h}, day {dom}, month {mon}, weekday {dow}",
    weekdays: "Sundays,Mondays,Tuesdays,Wednesdays,Thursdays,Fridays,Saturdays",
  },
};

/** Texts the server renders into the page. */
export const PAGE_TEXT: Dictionary<"title" | "heading" | "sections"> = {
  ru: { title: "Настройки — CareBot", heading: "Настройки клиники", sections: "Разделы настроек" },
  en: { title: "Settings — CareBot", heading: "Clinic settings", sections: "Settings sections" },
};
