// What `carebot import patients|visits` prints, in both languages: progress, the summary, the
// problems of the file and of its rows (also written to FILE.errors.csv).
import { INTL_LOCALE, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { plural } from "../i18n/plural.ts";

export const IMPORT_TEXT: Dictionary<
  | "line" | "cannotRead" | "noSuchFile" | "empty" | "unknownColumn" | "columnTwice" | "headerLacks" | "tooManyFields" | "afterQuote" | "neverClosed"
  | "alreadyOnLine" | "notSaved" | "progressBar" | "progressLine" | "importingPatients" | "importingVisits" | "patientsSummary" | "visitsSummary"
  | "refusedPatients" | "refusedVisits" | "errorsHeader"
> = {
  ru: {
    line: "строка {line}",
    cannotRead: "не удаётся прочитать {file}: {reason}",
    noSuchFile: "такого файла нет",
    empty: "файл пуст: в первой строке нужны названия столбцов, например {columns}",
    unknownColumn: "строка {line}: неизвестный столбец «{name}» (столбцы: {columns})",
    columnTwice: "строка {line}: столбец «{name}» встречается дважды",
    headerLacks: "строка {line}: в заголовке нет {missing} (обязательные: {required})",
    tooManyFields: "полей {fields}, а в заголовке {width} (поле с запятой возьмите в кавычки)",
    afterQuote: "текст после закрывающей кавычки в поле {field} (кавычку внутри поля в кавычках пишут дважды: \"\")",
    neverClosed: "поле в кавычках не закрыто (кавычку внутри поля в кавычках пишут дважды: \"\")",
    alreadyOnLine: "externalId: «{id}» уже есть в строке {first}",
    notSaved: "не удалось сохранить: {reason}",
    progressBar: "{done}/{total} строк",
    progressLine: "загружено строк: {done} из {total}",
    importingPatients: "{clinic}: загружаем пациентов из {file}, строк в файле — {rows}",
    importingVisits: "{clinic}: загружаем визиты из {file} как историю (сообщения никому не уйдут), строк в файле — {rows}",
    patientsSummary: "Загружено: {done} (новых — {created}, обновлено — {updated}); отклонено строк — {refused} из {rows}",
    visitsSummary: "Загружено: {done} (новых — {created}, обновлено — {updated}, без изменений — {unchanged}, устаревших — {outdated}); отклонено строк — {refused} из {rows}",
    refusedPatients: "Отклонённые строки ничего не изменили: исправьте их и загрузите файл ещё раз. Список: {file}",
    refusedVisits: "Отклонённые строки ничего не изменили: исправьте их и загрузите файл ещё раз (записанные визиты второй раз не запишутся). Список: {file}",
    errorsHeader: "строка,externalId,ошибка",
  },
  en: {
    line: "line {line}",
    cannotRead: "cannot read {file}: {reason}",
    noSuchFile: "no such file",
    empty: "the file is empty: it needs a header row such as {columns}",
    unknownColumn: 'line {line}: unknown column "{name}" (the columns are {columns})',
    columnTwice: 'line {line}: column "{name}" appears twice',
    headerLacks: "line {line}: the header lacks {missing} (required: {required})",
    tooManyFields: "has {fields} fields, the header has {width} (quote a field that contains a comma)",
    afterQuote: 'text after the closing quote of field {field} (a quote inside a quoted field is written "")',
    neverClosed: 'a quoted field is never closed (a quote inside a quoted field is written "")',
    alreadyOnLine: 'externalId: "{id}" already appears on line {first}',
    notSaved: "could not be saved: {reason}",
    progressBar: "{done}/{total} rows",
    progressLine: "imported {done}/{total} rows",
    importingPatients: "Importing {count} into {clinic} from {file}",
    importingVisits: "Importing {count} into {clinic} from {file} as history: no message will be sent",
    patientsSummary: "{created} created, {updated} updated, {refused} refused ({rows} rows)",
    visitsSummary: "{created} created, {updated} updated, {unchanged} unchanged, {outdated} outdated, {refused} refused ({rows} rows)",
    refusedPatients: "The refused rows changed nothing; fix them and import the file again. Report: {file}",
    refusedVisits: "The refused rows changed nothing; fix them and import the file again (recorded rows are not recorded twice). Report: {file}",
    errorsHeader: "line,externalId,error",
  },
};

export const importTexts = (lang: Lang) => textsOf(IMPORT_TEXT, lang);

/** 9812 → "9 812" in Russian (grouped as Russian text groups thousands); English keeps plain digits, as logs and scripts read them. */
export const count = (n: number, lang: Lang) => (lang === "ru" ? new Intl.NumberFormat(INTL_LOCALE.ru).format(n) : String(n));

/** "9 812 пациентов" / "9,812 patients", "1 визит" / "1 visit". */
export function counted(n: number, lang: Lang, ru: readonly [string, string, string], en: readonly [string, string]): string {
  return `${count(n, lang)} ${lang === "ru" ? plural(n, ru) : n === 1 ? en[0] : en[1]}`;
}

export const PATIENTS_NOM_RU = ["пациент", "пациента", "пациентов"] as const;
export const PATIENTS_EN = ["patient", "patients"] as const;
export const VISITS_NOM_RU = ["визит", "визита", "визитов"] as const;
export const VISITS_EN = ["visit", "visits"] as const;

