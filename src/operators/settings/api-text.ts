import type { Dictionary } from "../i18n.ts";

/** What the settings' JSON API answers, in the console's language (the page shows these as they are). */
export const API_TEXT: Dictionary<"badBody" | "internal" | "version" | "settingsMissing" | "onlyTheseKeys" | "invalid" | "stale"> = {
  ru: {
    badBody: "запрос не прочитан: {reason}",
    internal: "внутренняя ошибка; подробности в журнале сервиса",
    version: "version: нужна версия, которую вернул GET /console/api/settings",
    settingsMissing: "settings: нужен весь документ настроек",
    onlyTheseKeys: "в запросе ожидаются только «version» и «settings», а не {keys}",
    invalid: "Настройки не сохранены: {problems}.",
    stale: "Пока вы редактировали, настройки сохранил кто-то другой; обновите страницу, чтобы увидеть их версию (ваши изменения не сохранены)",
  },
  en: {
    badBody: "body: {reason}",
    internal: "internal error; see the service log",
    version: "version: must be the version GET /console/api/settings gave",
    settingsMissing: "settings: the whole settings document is required",
    onlyTheseKeys: 'body: only "version" and "settings" are expected, not {keys}',
    invalid: "the settings have {problems}; nothing was saved",
    stale: "someone saved the settings after you opened them; reload to see their version (your changes were not saved)",
  },
};
