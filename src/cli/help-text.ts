// The command line's help in both languages: what `carebot --help` and `carebot <command> --help`
// print, and the headings and errors commander itself writes.
import type { Dictionary } from "../i18n/lang.ts";

type HelpKey =
  | "program" | "lang" | "help" | "helpCommand"
  | "start" | "migrate" | "migrateStatus" | "seed" | "seedDemo" | "chat" | "chatPatient"
  | "flows" | "flowsValidate" | "flowsDir" | "flowsTemplates" | "flowsGraph" | "flowsGraphAll" | "flowsDirShort" | "flowsTemplatesShort" | "flowsSchema"
  | "import" | "importPatients" | "importVisits"
  | "jobs" | "jobsRun" | "jobsKind" | "jobsAt" | "jobsDryRun" | "wait" | "noWait"
  | "campaigns" | "campaignsPreview" | "campaignsRun" | "campaignsDryRun" | "noWaitSummary"
  | "clinic" | "clinicExport" | "clinicOut" | "clinicImport" | "clinicDryRun"
  | "patients" | "patientsExport" | "patientsErase" | "patientsYes"
  | "operators" | "operatorsAdd" | "operatorsLogin" | "operatorsRole" | "operatorsName" | "operatorsClinic"
  | "Usage:" | "Options:" | "Commands:" | "Arguments:" | "Global Options:";

export const HELP_TEXT: Dictionary<HelpKey> = {
  ru: {
    program: "CareBot связывает клинику с её пациентами через Telegram и WhatsApp.",
    lang: "язык вывода: ru или en (иначе CAREBOT_LANG, затем LANG; по умолчанию ru)",
    help: "показать справку по команде",
    helpCommand: "показать справку по команде",
    start: "применить миграции, заполнить пустую базу демо-клиникой и запустить сервис (HOST, PORT)",
    migrate: "применить новые миграции базы данных (DATABASE_URL)",
    migrateStatus: "показать новые, изменённые и неудачные миграции, ничего не применяя",
    seed: "заполнить базу примерами",
    seedDemo: "демо-клиника: ~50 пациентов, визиты, бонусы, повторные визиты и учётная запись оператора",
    chat: "поговорить со сценариями клиники в терминале от имени пациента (/state, /start <сценарий>, /reset, /quit)",
    chatPatient: "пациент, от имени которого говорить (по умолчанию — выбрать из списка)",
    flows: "проверить, нарисовать и описать сценарии клиники (flows/, templates/)",
    flowsValidate: "проверить все сценарии и тексты; каждая ошибка — строкой `файл: путь: что не так`, код выхода 1 при ошибках",
    flowsDir: "папка сценариев (по умолчанию FLOWS_DIR или ./flows)",
    flowsTemplates: "папка текстов (по умолчанию TEMPLATES_DIR или ./templates)",
    flowsGraph: "вывести сценарий диаграммой состояний Mermaid (--all: все сценарии, страницей Markdown)",
    flowsGraphAll: "все сценарии, страницей Markdown docs/flow-graphs.md",
    flowsDirShort: "папка сценариев",
    flowsTemplatesShort: "папка текстов",
    flowsSchema: "записать flows/flow.schema.json — JSON Schema для редакторов файлов сценариев",
    import: "загрузить данные клиники из её МИС",
    importPatients:
      "создать или обновить пациентов из CSV-файла (externalId,fullName,phone[,birthDate,timezone,locale,tags,source]); отклонённые строки — в stderr и в FILE.errors.csv, код выхода 1, если такие есть",
    importVisits:
      "записать прошлые визиты из CSV-файла (externalId,patientExternalId,doctor,service,amount,status,startsAt[,serviceCategory,isProcedure,endsAt,completedAt,updatedAt,followUpDueAt,followUpService,followUpDoctor]) " +
      "как историю: баллы, последние визиты и повторные визиты, без единого сообщения; повторный запуск ничего не удваивает; отклонённые строки — в stderr и в FILE.errors.csv, код выхода 1, если такие есть",
    jobs: "плановые задачи (планировщики и таймеры сценариев), которые сервис выполняет по расписаниям клиники",
    jobsRun:
      "выполнить задачу один раз, как это сделал бы планировщик (не занимая её слот в расписании), и показать, что запланировано; " +
      "поставленные в очередь сообщения отправляет работающий сервис (`carebot start`), а в терминале за их доставкой следит полоса прогресса",
    jobsKind: "задача",
    jobsAt: "выполнить так, будто сейчас это время (дата и время ISO; без смещения — местное время клиники, например 2026-12-01T11:00)",
    jobsDryRun: "спланировать в транзакции и откатить её: показать числа и до 10 внешних id пациентов, ничего не ставя в очередь",
    wait: "следить за доставкой поставленных сообщений (по умолчанию в терминале)",
    noWait: "показать план и сразу завершиться",
    campaigns: "кампании возврата из настроек клиники (segments, campaigns)",
    campaignsPreview: "сегмент кампании: его размер и десять пациентов для примера (имена скрыты)",
    campaignsRun: "поставить сценарий кампании в очередь каждому пациенту её сегмента, по разу на пациента (--dry-run: только посчитать)",
    campaignsDryRun: "посчитать, кому ушло бы сообщение, ничего не записывая",
    noWaitSummary: "показать итог и сразу завершиться",
    clinic: "настройки клиники одним JSON-документом: бонусы, расписания, тихие часы, сроки ответа, сегменты, кампании… (CLINIC_SLUG)",
    clinicExport: "вывести настройки в JSON со всеми значениями по умолчанию (--out: записать в файл)",
    clinicOut: "записать в этот файл, а не выводить",
    clinicImport: "проверить файл настроек и сохранить его целиком или ничего: каждая ошибка — строкой `файл: поле: что не так`, код выхода 1 при ошибках",
    clinicDryRun: "проверить файл и назвать разделы, которые он изменит, ничего не сохраняя",
    patients: "запросы пациента о его данных (152-ФЗ): выгрузить или удалить",
    patientsExport: "вывести JSON со всем, что хранится о пациенте (карта, чаты, согласия, визиты, сообщения, баллы)",
    patientsErase: "удалить пациента: имя, телефон, дату рождения, чаты и тексты сообщений; суммы баллов и обезличенные счётчики остаются",
    patientsYes: "подтвердить удаление (без него команда ничего не делает)",
    operators: "учётные записи операторов консоли (/console)",
    operatorsAdd: "добавить оператора; пароль читается из stdin (одна строка, не короче 10 символов) и нигде не выводится",
    operatorsLogin: "логин (латинские буквы, цифры, . _ @ -)",
    operatorsRole: "operator или admin",
    operatorsName: "имя, которое видят коллеги (по умолчанию — логин)",
    operatorsClinic: "клиника (по умолчанию CLINIC_SLUG или единственная)",
    "Usage:": "Запуск:",
    "Options:": "Параметры:",
    "Commands:": "Команды:",
    "Arguments:": "Аргументы:",
    "Global Options:": "Общие параметры:",
  },
  en: {
    program: "CareBot keeps a clinic in touch with its patients through Telegram and WhatsApp.",
    lang: "the output's language: ru or en (else CAREBOT_LANG, then LANG; ru by default)",
    help: "display help for command",
    helpCommand: "display help for command",
    start: "migrate the database, seed the demo clinic into an empty one, and serve (HOST, PORT)",
    migrate: "apply pending database migrations (DATABASE_URL)",
    migrateStatus: "report pending, edited or failed migrations instead of applying them",
    seed: "fill the database with sample data",
    seedDemo: "a demo clinic with ~50 patients, visits, bonuses, follow-ups and an operator account",
    chat: "talk to the clinic's flows in the terminal as one of its patients (/state, /start <flow>, /reset, /quit)",
    chatPatient: "the patient to talk as (default: pick from a list)",
    flows: "check, draw and describe the clinic's flows (flows/, templates/)",
    flowsValidate: "check every flow and text; prints `file: path: problem` for each, exit 1 on any",
    flowsDir: "the flows folder (default: FLOWS_DIR or ./flows)",
    flowsTemplates: "the templates folder (default: TEMPLATES_DIR or ./templates)",
    flowsGraph: "print a flow as a Mermaid state diagram (--all: every flow, as Markdown)",
    flowsGraphAll: "every flow, as the Markdown page docs/flow-graphs.md",
    flowsDirShort: "the flows folder",
    flowsTemplatesShort: "the templates folder",
    flowsSchema: "write flows/flow.schema.json, the JSON Schema editors use for flow files",
    import: "bring the clinic's data in from its MIS",
    importPatients:
      "create or update patients from a CSV file (externalId,fullName,phone[,birthDate,timezone,locale,tags,source]); refused rows are listed on stderr and in FILE.errors.csv, exit 1 if any",
    importVisits:
      "record past visits from a CSV file (externalId,patientExternalId,doctor,service,amount,status,startsAt[,serviceCategory,isProcedure,endsAt,completedAt,updatedAt,followUpDueAt,followUpService,followUpDoctor]) " +
      "as history: points, last visits and follow-ups, and no message at all; idempotent; refused rows are listed on stderr and in FILE.errors.csv, exit 1 if any",
    jobs: "the scheduled jobs (planners and flow timers) the service runs on the clinic's schedules",
    jobsRun:
      "run one job once, as the scheduler would (without claiming its cron slot), and print what it planned; " +
      "the rows it queues are sent by the running service's dispatcher (`carebot start`), and on a terminal a progress bar follows their delivery",
    jobsKind: "the job",
    jobsAt: "run as if the clock said this (ISO date-time; without an offset it is the clinic's local time, e.g. 2026-12-01T11:00)",
    jobsDryRun: "plan inside a transaction and roll it back: print the counts and up to 10 patients' external ids, queue nothing",
    wait: "follow the delivery of the queued rows (the default on a terminal)",
    noWait: "print the plan and return at once",
    campaigns: "reactivation campaigns declared in the clinic's settings (segments, campaigns)",
    campaignsPreview: "the campaign's segment: its size and ten sample patients (masked names)",
    campaignsRun: "queue the campaign's flow for every patient of its segment, once per patient (--dry-run: count only)",
    campaignsDryRun: "count who would be queued, write nothing",
    noWaitSummary: "print the summary and return at once",
    clinic: "the clinic's settings as one JSON document: bonus rules, schedules, quiet hours, SLA, segments, campaigns… (CLINIC_SLUG)",
    clinicExport: "print the settings as pretty JSON with every default filled in (--out: write them to a file)",
    clinicOut: "write to this file instead of printing",
    clinicImport: "check a settings file and save all of it, or nothing: each problem is printed as `file: field.path: what`, exit 1 on any",
    clinicDryRun: "check the file and say which sections it would change, save nothing",
    patients: "a patient's requests about their data (152-FZ): export or erase",
    patientsExport: "print JSON of everything stored about the patient (record, chats, consents, visits, messages, points)",
    patientsErase: "erase the patient: name, phone, birth date, chats and message texts; the ledger's sums and anonymous counts stay",
    patientsYes: "confirm the erasure (without it the command changes nothing)",
    operators: "operator accounts for the console (/console)",
    operatorsAdd: "add an operator; the password is read from stdin (one line, at least 10 characters), never printed",
    operatorsLogin: "the login (Latin letters, digits, . _ @ -)",
    operatorsRole: "operator or admin",
    operatorsName: "the name colleagues see (default: the login)",
    operatorsClinic: "the clinic (default: CLINIC_SLUG or the only clinic)",
    "Usage:": "Usage:",
    "Options:": "Options:",
    "Commands:": "Commands:",
    "Arguments:": "Arguments:",
    "Global Options:": "Global Options:",
  },
};

/** commander's own error lines ("error: unknown option '--x'") in Russian; English passes as it is. */
const COMMANDER_ERRORS_RU: [RegExp, string][] = [
  [/^error: unknown option '(.+?)'/, "ошибка: неизвестный параметр «$1»"],
  [/^error: unknown command '(.+?)'/, "ошибка: неизвестная команда «$1»"],
  [/^error: missing required argument '(.+?)'/, "ошибка: не хватает аргумента «$1»"],
  [/^error: required option '(.+?)' not specified/, "ошибка: нужен параметр «$1»"],
  [/^error: option '(.+?)' argument missing/, "ошибка: у параметра «$1» нет значения"],
  [/^error: too many arguments(?: for '(.+?)')?/, "ошибка: лишние аргументы"],
  [/^error: (?:command-argument|option) value '(.*?)' is invalid for (?:argument|option) '(.+?)'\. Allowed choices are (.+?)\./, "ошибка: «$1» не подходит для «$2»; можно: $3."],
  [/\(Did you mean (.+?)\?\)/, "(может быть, $1?)"],
];

export function commanderErrorIn(lang: "ru" | "en", text: string): string {
  if (lang === "en") return text;
  return COMMANDER_ERRORS_RU.reduce((out, [re, ru]) => out.replace(re, ru), text);
}
