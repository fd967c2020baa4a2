// What `carebot flows validate` (and the loader behind it) says about a clinic's flow files, in
// both languages; `{name}` is filled in. zod's own issues come from src/i18n/zod.ts.
import type { Dictionary } from "../../i18n/lang.ts";

export const PROBLEM_TEXT: Dictionary<
  | "noState" | "unknownAction" | "noTemplate" | "undeclaredContext" | "noFlow" | "unknownGuard" | "notDelay" | "noWayOut" | "finalWithTransitions" | "asksWithoutOn" | "unreachable"
  | "noFiles" | "idMismatch" | "unknownEvent" | "unknownField" | "claimed" | "missingRuntimeTemplate"
  | "formatNewer" | "formatInvalid"
> = {
  ru: {
    noState: "нет шага «{target}» (есть: {states})",
    unknownAction: "неизвестное действие «{type}» (есть: {known})",
    noTemplate: "нет текста «{key}» в templates/{locale}",
    undeclaredContext: "текст «{key}» ({locale}) использует context.{name}, которого нет в «context» сценария",
    noFlow: "нет сценария «{flow}»",
    unknownGuard: "неизвестное условие «{type}» (есть: {known})",
    notDelay: "«{delay}» — не задержка (нужна длительность: «PT30M» — 30 минут, «PT2H» — 2 часа, «P1D» — 1 день)",
    noWayOut: "из шага нет выхода, а он не последний (final)",
    finalWithTransitions: "шаг последний (final), но у него есть переходы",
    asksWithoutOn: "шаг задаёт вопрос, но в нём нет «on», чтобы принять ответ",
    unreachable: "до шага не дойти от «{initial}»",
    noFiles: "нет файлов сценариев (*.json)",
    idMismatch: "«{id}» не совпадает с именем файла (ожидается {id}.json)",
    unknownEvent: "неизвестное событие (события: {events})",
    unknownField: "неизвестное поле",
    claimed: "{key} уже занят сценарием «{owner}»",
    missingRuntimeTemplate: "нет {key}.hbs, а CareBot сам его использует",
    formatNewer: "файл записан в формате {found}, а эта версия CareBot читает форматы до {current}: обновите CareBot",
    formatInvalid: "formatVersion — целое число от 1 до {current}",
  },
  en: {
    noState: 'no state "{target}" (states: {states})',
    unknownAction: 'unknown action "{type}" (known: {known})',
    noTemplate: 'no template "{key}" in templates/{locale}',
    undeclaredContext: 'template "{key}" ({locale}) uses context.{name}, which the flow\'s "context" does not declare',
    noFlow: 'no flow "{flow}"',
    unknownGuard: 'unknown guard "{type}" (known: {known})',
    notDelay: '"{delay}" is not a delay (an ISO-8601 duration such as "PT30M", "PT2H", "P1D")',
    noWayOut: "has no way out and is not final",
    finalWithTransitions: "is final but has transitions",
    asksWithoutOn: 'asks a question but has no "on" to take the answer',
    unreachable: 'unreachable from "{initial}"',
    noFiles: "no flow files (*.json)",
    idMismatch: '"{id}" does not match the file name (expected {id}.json)',
    unknownEvent: "unknown event (events: {events})",
    unknownField: "unknown field",
    claimed: '{key} is already used by flow "{owner}"',
    missingRuntimeTemplate: "missing {key}.hbs, which CareBot itself uses",
    formatNewer: "the file is written in flow format {found}, and this CareBot reads formats up to {current}: update CareBot",
    formatInvalid: "formatVersion is a whole number from 1 to {current}",
  },
};
