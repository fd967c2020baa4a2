// Every word the flows page shows, in Russian and English (the script gets its language's half).
import type { Dictionary } from "../i18n.ts";

export const FLOWS_TEXT = {
  ru: {
    title: "Сценарии — CareBot", heading: "Сценарии", loading: "Загрузка…", flow: "Сценарий", description: "Описание", status: "Состояние",
    on: "включён", off: "выключен", version: "Действует", file: "файл", drafts: "Черновики", running: "Идут сейчас", open: "Открыть",
    back: "← Все сценарии", diagram: "Схема", start: "начало", final: "конец", editor: "Изменить", enabled: "Сценарий включён",
    enabledHint: "Выключенный сценарий никто не начнёт; начатые разговоры закончатся как обычно.", triggers: "Как начинается",
    triggerHint: "Снимите галочку, чтобы убрать способ запуска.", command: "команда", keyword: "слово", scheduled: "по расписанию", menu: "пункт главного меню",
    step: "Шаг", question: "Текст", ru: "по-русски", en: "по-английски", buttons: "Кнопки", buttonLabel: "Надпись", remove: "Убрать",
    addButton: "Добавить кнопку", newButtonRu: "Надпись по-русски", newButtonEn: "Надпись по-английски", leadsTo: "Ведёт к шагу", timers: "Таймеры",
    after: "через", days: "дн.", hours: "ч", minutes: "мин", then: "затем шаг", sameText: "этот текст редактируется в шаге",
    saveDraft: "Сохранить черновик", advanced: "Расширенный режим (JSON)", advancedHint: "Весь сценарий целиком. Проверяется теми же правилами, что и «carebot flows validate».",
    saveJson: "Сохранить черновик из JSON", jsonError: "Ошибка в JSON", versions: "Версии", versionCol: "Версия", author: "Автор", created: "Создана",
    state: "Статус", draft: "черновик", published: "действует", retired: "в архиве", fileRow: "0 — файл из поставки", preview: "Проверить черновик",
    publish: "Опубликовать", rollback: "Вернуть", compare: "Сравнить", from: "с версии", to: "по версию", noChanges: "Различий нет.",
    saved: "Черновик сохранён: версия {v}. Проверьте его в песочнице и опубликуйте.", publishedMsg: "Опубликована версия {v}: новые разговоры начнутся по ней.",
    rolledBack: "Возвращено: действует версия {v}.", notSaved: "Не сохранено: исправьте ошибки ({n}).", runningOn: "ещё идут по ней: {n}",
    nowRuns: "Новые разговоры начинаются по версии {v}.", nowFile: "Новые разговоры начинаются по файлу из поставки (версия 0).", confirmPublish: "Опубликовать версию {v}?",
    confirmRollback: "Вернуть версию {v}? Она станет новой опубликованной версией.", errorPrefix: "Ошибка", unsaved: "Есть несохранённые изменения.", none: "—",
    noFlows: "Сценариев нет.", rollbackFile: "Вернуть файл", changes: "Что изменилось", editingDraft: "Ниже — черновик версии {v}: сохранение создаст следующую версию.",
    stepEnd: "Конец разговора", stepBranch: "Развилка без сообщения", stepSilent: "Шаг без сообщения", stepIdHint: "Имя шага в файле сценария (для расширенного режима)",
  },
  en: {
    title: "Flows — CareBot", heading: "Flows", loading: "Loading…", flow: "Flow", description: "Description", status: "State",
    on: "on", off: "off", version: "Live", file: "file", drafts: "Drafts", running: "Running now", open: "Open",
    back: "← All flows", diagram: "Diagram", start: "start", final: "end", editor: "Edit", enabled: "The flow is on",
    enabledHint: "Nobody starts a flow that is off; conversations already started finish as usual.", triggers: "How it starts",
    triggerHint: "Untick to remove a way to start it.", command: "command", keyword: "keyword", scheduled: "scheduled", menu: "main menu entry",
    step: "Step", question: "Text", ru: "in Russian", en: "in English", buttons: "Buttons", buttonLabel: "Label", remove: "Remove",
    addButton: "Add a button", newButtonRu: "Label in Russian", newButtonEn: "Label in English", leadsTo: "Leads to step", timers: "Timers",
    after: "after", days: "days", hours: "h", minutes: "min", then: "then step", sameText: "this text is edited in step",
    saveDraft: "Save draft", advanced: "Advanced mode (JSON)", advancedHint: "The whole flow. Checked by the same rules as “carebot flows validate”.",
    saveJson: "Save draft from JSON", jsonError: "JSON error", versions: "Versions", versionCol: "Version", author: "Author", created: "Created",
    state: "Status", draft: "draft", published: "live", retired: "archived", fileRow: "0 — the shipped file", preview: "Try the draft",
    publish: "Publish", rollback: "Restore", compare: "Compare", from: "from version", to: "to version", noChanges: "No differences.",
    saved: "Draft saved: version {v}. Try it in the sandbox, then publish.", publishedMsg: "Version {v} published: new conversations start on it.",
    rolledBack: "Restored: version {v} is live.", notSaved: "Not saved: fix the problems ({n}).", runningOn: "still running on it: {n}",
    nowRuns: "New conversations start on version {v}.", nowFile: "New conversations start on the shipped file (version 0).", confirmPublish: "Publish version {v}?",
    confirmRollback: "Restore version {v}? It becomes a new published version.", errorPrefix: "Error", unsaved: "There are unsaved changes.", none: "—",
    noFlows: "No flows.", rollbackFile: "Restore the file", changes: "What changed", editingDraft: "Below is draft version {v}: saving makes the next version.",
    stepEnd: "End of the conversation", stepBranch: "A branch with no message", stepSilent: "A step with no message", stepIdHint: "The step's name in the flow file (for the advanced mode)",
  },
} satisfies Dictionary<string>;

export type FlowsText = (typeof FLOWS_TEXT)["ru"];

/** How the diagram names events, guards and what a patient means (the flow files' own words are technical). */
export const EDGE_TEXT = {
  ru: {
    START: "по ссылке", TEXT: "сообщение", CHOICE: "кнопка", NUMBER: "оценка", CONTACT: "номер телефона", MEDIA: "фото или стикер", TIMEOUT: "нет ответа",
    RESUME: "оператор вернул чат", RESULT: "итог", always: "сразу", other: "иначе", button: "кнопка", score: "оценка", means: "смысл", unsure: "не уверены",
    hasBalance: "есть баллы", isLinked: "чат привязан", textMatches: "слова", payloadStartsWith: "ссылка", contextIs: "если",
    redFlag: "тревожные признаки", health: "жалоба на самочувствие", happy: "пациент доволен",
    urgent: "тревожные признаки", complaint: "жалоба", fine: "всё хорошо", yes: "да", no: "нет", dissatisfied: "недоволен", person: "просит человека",
    booking: "запись", stop: "стоп", thanks: "спасибо", question: "вопрос", number: "число", waitlist: "лист ожидания", unknown: "непонятно",
    day: "дн.", hour: "ч", minute: "мин", after: "через",
  },
  en: {
    START: "by link", TEXT: "message", CHOICE: "button", NUMBER: "score", CONTACT: "phone number", MEDIA: "photo or sticker", TIMEOUT: "no answer",
    RESUME: "operator handed back", RESULT: "result", always: "at once", other: "otherwise", button: "button", score: "score", means: "means", unsure: "unsure",
    hasBalance: "has points", isLinked: "chat linked", textMatches: "words", payloadStartsWith: "link", contextIs: "if",
    redFlag: "red flags", health: "a health complaint", happy: "the patient is happy",
    urgent: "red flags", complaint: "complaint", fine: "fine", yes: "yes", no: "no", dissatisfied: "dissatisfied", person: "asks for a person",
    booking: "booking", stop: "stop", thanks: "thanks", question: "question", number: "number", waitlist: "waitlist", unknown: "unclear",
    day: "d", hour: "h", minute: "min", after: "after",
  },
} satisfies Dictionary<string>;
