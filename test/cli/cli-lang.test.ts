// The command line speaks the chosen language: --lang, CAREBOT_LANG, the terminal's LANG, Russian
// by default. Help, commander's own errors, results and problems all follow it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliLang } from "../../src/cli/lang.ts";
import { runCli, runCliWithInput } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";
import { SHIPPED } from "../support/runtime.ts";
import { englishWordsIn } from "../support/english-words.ts";

const root = mkdtempSync(path.join(tmpdir(), "carebot-cli-lang-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("which language the command line speaks", () => {
  it("takes --lang first, then CAREBOT_LANG, then LC_ALL, LC_MESSAGES and LANG, and Russian when none names one", () => {
    expect(cliLang(["flows", "validate", "--lang", "en"], { CAREBOT_LANG: "ru" })).toEqual({ lang: "en" });
    expect(cliLang(["--lang=ru"], { LANG: "en_GB.UTF-8" })).toEqual({ lang: "ru" });
    expect(cliLang([], { CAREBOT_LANG: "en", LANG: "ru_RU.UTF-8" })).toEqual({ lang: "en" });
    expect(cliLang([], { LANG: "en_US.UTF-8" })).toEqual({ lang: "en" });
    expect(cliLang([], { LC_ALL: "ru_RU.UTF-8", LANG: "en_US.UTF-8" })).toEqual({ lang: "ru" });
    expect(cliLang([], { LANG: "C.UTF-8" })).toEqual({ lang: "ru" });
    expect(cliLang([], {})).toEqual({ lang: "ru" });
    expect(cliLang(["--lang", "de"], {})).toEqual({ lang: "ru", bad: { source: "--lang", value: "de" } });
    // After "--" nothing is an option of carebot's.
    expect(cliLang(["--", "--lang", "en"], {})).toEqual({ lang: "ru" });
  });
});

describe("carebot in Russian and in English", () => {
  it("prints its help in Russian, headings and commander's own lines too", async () => {
    const ru = await runCli(["--help"], { CAREBOT_LANG: "ru" });
    expect(ru.code).toBe(0);
    expect(ru.stdout).toContain("Запуск: carebot");
    expect(ru.stdout).toContain("Команды:");
    expect(ru.stdout).toContain("CareBot связывает клинику с её пациентами через Telegram и WhatsApp.");
    expect(ru.stdout).toContain("показать справку по команде");
    // Node.js words a JSON syntax error in English only; every other line is CareBot's, in Russian.
    expect(englishWordsIn(ru.stdout.split("\n").filter((line) => !line.includes("ошибка в JSON")).join("\n"))).toEqual([]);
    const flows = await runCli(["flows", "validate", "--help"], { CAREBOT_LANG: "ru" });
    expect(flows.stdout).toContain("Параметры:");
    expect(flows.stdout).toContain("папка сценариев (по умолчанию FLOWS_DIR или ./flows)");

    const en = await runCli(["--help", "--lang", "en"], { CAREBOT_LANG: "ru" });
    expect(en.stdout).toContain("Usage: carebot");
    expect(en.stdout).toContain("CareBot keeps a clinic in touch with its patients through Telegram and WhatsApp.");
  });

  it("follows the terminal's LANG when nothing else names a language", async () => {
    const ru = await runCli(["--help"], { CAREBOT_LANG: "", LC_ALL: "", LC_MESSAGES: "", LANG: "ru_RU.UTF-8" });
    expect(ru.stdout).toContain("Команды:");
    const en = await runCli(["--help"], { CAREBOT_LANG: "", LC_ALL: "", LC_MESSAGES: "", LANG: "en_GB.UTF-8" });
    expect(en.stdout).toContain("Commands:");
  });

  it("names a wrong option and a wrong language in Russian, exit 2", async () => {
    const unknown = await runCli(["flows", "validate", "--dri", "x"], { CAREBOT_LANG: "ru" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ошибка: неизвестный параметр «--dri»");
    // The mistake is told in the language the rest would have been: here the default, Russian.
    const language = await runCli(["--help"], { CAREBOT_LANG: "de", LC_ALL: "", LC_MESSAGES: "", LANG: "C.UTF-8" });
    expect(language.code).toBe(2);
    expect(language.stderr).toBe("carebot: CAREBOT_LANG «de»: такого языка нет (есть ru, en)\n");
  });

  it("checks the flows in Russian: each problem and the summary", async () => {
    const flowsDir = path.join(root, "flows");
    const templatesDir = path.join(root, "templates");
    cpSync(SHIPPED.flowsDir, flowsDir, { recursive: true });
    cpSync(SHIPPED.templatesDir, templatesDir, { recursive: true });
    const ok = await runCli(["flows", "validate", "--dir", flowsDir, "--templates", templatesDir, "--lang", "ru"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Всё в порядке: сценариев — \d+, текстов на русском и английском — \d+\.\n$/);

    const optOut = JSON.parse(readFileSync(path.join(flowsDir, "opt-out.json"), "utf8"));
    optOut.version = "два";
    writeFileSync(path.join(flowsDir, "opt-out.json"), JSON.stringify(optOut, null, 2));
    writeFileSync(path.join(flowsDir, "broken.json"), "{ nope }");
    const ru = await runCli(["flows", "validate", "--dir", flowsDir, "--templates", templatesDir], { CAREBOT_LANG: "ru" });
    expect(ru.code).toBe(1);
    expect(ru.stdout).toMatch(/broken\.json: ошибка в JSON: строка 1, позиция 3: /);
    expect(ru.stdout).toContain("opt-out.json: version: нужно число");
    expect(ru.stdout).toMatch(/\n\d+ ошиб(ка|ки|ок)\. Пока они не исправлены, ничего нового не применяется; работающий CareBot держит последнюю исправную версию\.\n$/);
    // Node.js words a JSON syntax error in English only; every other line is CareBot's, in Russian.
    expect(englishWordsIn(ru.stdout.split("\n").filter((line) => !line.includes("ошибка в JSON")).join("\n"))).toEqual([]);

    const en = await runCli(["flows", "validate", "--dir", flowsDir, "--templates", templatesDir, "--lang", "en"]);
    expect(en.stdout).toContain("opt-out.json: version: must be a number");
    expect(en.stdout).toMatch(/\n\d+ problem\(s\)\. Nothing is served until they are fixed/);
  });
});

/** `carebot <args>` with the given stdin (piped), to completion. */
const withStdin = (args: string[], stdin: string, env: Record<string, string>) => runCliWithInput(args, stdin, env);

// Each command once in Russian against a real database: every line it prints (progress, summary,
// refusals, the errors file, prompts and problems) reads Russian, with no English UI word.
describe(`the commands that work on the clinic's data speak Russian, on ${TEST_PROVIDER}`, { timeout: 120_000 }, () => {
  let t: MigratedDatabase;
  let env: Record<string, string>;
  let patientExternalId: string;
  let patientId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, {
      segments: [{ id: "everyone", title: "Все пациенты" }],
      campaigns: [{ id: "spring", title: "Весенняя гигиена", segment: "everyone" }],
    });
    const patient = await createPatient(t.db.prisma, clinic.id, { fullName: "Петрова Анна Сергеевна" });
    patientExternalId = patient.externalId;
    patientId = patient.id;
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug, CAREBOT_LANG: "ru" };
  });
  afterAll(() => t?.dispose());

  /** No English UI word in what a Russian command printed. */
  const russianOnly = (text: string) => expect(englishWordsIn(text), text).toEqual([]);

  it("import patients: the start, progress, summary, each refused row and the errors file", async () => {
    const file = path.join(root, "patients.csv");
    writeFileSync(file, ["externalId,fullName,phone,birthDate", "R-1,Смирнова Ольга,+7 999 111-22-33,1985-03-09", "R-2,Плохой Телефон,123,", "R-3,,+79990001111,1990-02-30", ""].join("\n"));
    const result = await runCli(["import", "patients", file], env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain(": загружаем пациентов из ");
    expect(result.stdout).toContain("загружено строк: 1 из 1\n");
    expect(result.stdout).toContain("Загружено: 1 пациент (новых — 1, обновлено — 0); отклонено строк — 2 из 3\n");
    expect(result.stderr).toContain("строка 3: phone: «123» — не номер телефона\n");
    expect(result.stderr).toContain("строка 4: fullName: не может быть пустым; birthDate: «1990-02-30» — не дата в виде ГГГГ-ММ-ДД\n");
    expect(result.stderr).toMatch(/Отклонённые строки ничего не изменили: исправьте их и загрузите файл ещё раз\. Список: .*patients\.errors\.csv\n$/);
    const report = readFileSync(path.join(root, "patients.errors.csv"), "utf8");
    expect(report.split("\r\n")[0]).toBe("строка,externalId,ошибка");
    russianOnly(result.stdout + result.stderr + report);

    const broken = await runCli(["import", "patients", path.join(root, "nope.csv")], env);
    expect(broken.stderr).toBe(`carebot: не удаётся прочитать ${path.join(root, "nope.csv")}: такого файла нет\n`);
    writeFileSync(file, "externalId,fullName,telephone\n");
    const header = await runCli(["import", "patients", file], env);
    expect(header.stderr).toContain("строка 1: неизвестный столбец «telephone» (столбцы: externalId,");
  });

  it("import visits: history, the summary in Russian numbers, refusals with zod's and the schema's words in Russian", async () => {
    const file = path.join(root, "visits.csv");
    const rows = ["externalId,patientExternalId,doctor,service,amount,status,startsAt"];
    rows.push(`RV-1,${patientExternalId},Орлова И. В.,Осмотр,150000,completed,2026-05-10T07:00:00Z`);
    rows.push(`RV-2,${patientExternalId},Орлова И. В.,Осмотр,-5,done,2026-13-01`);
    writeFileSync(file, rows.join("\n"));
    const ru = await runCli(["import", "visits", file], env);
    expect(ru.code, ru.stderr).toBe(1);
    expect(ru.stdout).toContain("загружаем визиты из ");
    expect(ru.stdout).toContain("как историю (сообщения никому не уйдут), строк в файле — 2\n");
    expect(ru.stdout).toContain("Загружено: 1 визит (новых — 1, обновлено — 0, без изменений — 0, устаревших — 0); отклонено строк — 1 из 2\n");
    expect(ru.stderr).toContain("строка 3: amount: не меньше 0; status: нужно одно из значений: «scheduled», «completed», «missed», «cancelled»; startsAt: нужны дата и время в формате ISO");
    expect(ru.stderr).toContain("(записанные визиты второй раз не запишутся)");
    russianOnly(ru.stdout + ru.stderr);
  });

  it("jobs run: the plan and its problems", async () => {
    const dry = await runCli(["jobs", "run", "birthday", "--at", "2026-03-15T07:00", "--dry-run"], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Клиника «Здоровье»: birthday на 2026-03-15 07:00 Europe/Moscow (2026-03-15T04:00:00.000Z), пробный прогон: всё отменено, в очередь ничего не поставлено\n");
    // Смирнова (imported above, born 9 March) is in the birthday window, but has no chat CareBot can write to.
    expect(dry.stdout).toMatch(/ {2}запланировано +0\n/);
    expect(dry.stdout).toContain("  пропущено правилами 1  (нет доступного чата 1)\n");
    russianOnly(dry.stdout);
    const timers = await runCli(["jobs", "run", "timers", "--dry-run"], env);
    expect(timers.stdout).toMatch(/ {2}таймеров пора +0\n/);
    const at = await runCli(["jobs", "run", "balance", "--at", "завтра"], env);
    expect(at.code).toBe(2);
    expect(at.stderr).toBe("carebot jobs run: --at — дата и время в виде ISO, например 2026-12-01T11:00 (время клиники) или 2026-12-01T08:00:00Z (указано «завтра»)\n");
    // Broken flows stop the command with their problems, told in Russian.
    const noFlows = await runCli(["jobs", "run", "birthday", "--dry-run"], { ...env, FLOWS_DIR: path.join(root, "no-flows-here") });
    expect(noFlows.code).toBe(1);
    expect(noFlows.stderr).toMatch(/^carebot: в сценариях и текстах есть ошибки \(\d+\); их перечисляет и `carebot flows validate`:\n/);
    expect(noFlows.stderr).toContain("нет файлов сценариев (*.json)");
  });

  it("campaigns preview and run --dry-run: the segment, the sample's columns, the count; an unknown campaign", async () => {
    const preview = await runCli(["campaigns", "preview", "spring"], env);
    expect(preview.code, preview.stderr).toBe(0);
    const lines = preview.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Рассылка spring «Весенняя гигиена» → сценарий reactivation, сегмент everyone «Все пациенты»: без условий (все пациенты, которым CareBot может писать)");
    expect(lines[1]).toMatch(/^В сегменте: \d+ пациент(а|ов)?/);
    russianOnly(preview.stdout);
    const dry = await runCli(["campaigns", "run", "spring", "--dry-run"], env);
    expect(dry.stdout).toMatch(/считаем \(пробный прогон, ничего не записывается\)… готово за \d+ мс\n/);
    expect(dry.stdout).toMatch(/Было бы поставлено в очередь: \d+; уже в очереди: 0 \(в сегменте: \d+ пациент/);
    russianOnly(dry.stdout);
    const unknown = await runCli(["campaigns", "preview", "autumn"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("carebot: в настройках клиники нет рассылки «autumn» (рассылки: spring)\n");
  });

  it("operators add: the result and each refusal", async () => {
    const added = await withStdin(["operators", "add", "--login", "olga", "--role", "admin", "--name", "Ольга"], "a-long-enough-password\n", env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe("Клиника «Здоровье»: добавлен сотрудник olga (admin).\n");
    const short = await withStdin(["operators", "add", "--login", "ivan"], "short\n", env);
    expect(short.stderr).toBe("carebot operators add: в пароле (одна строка на stdin) должно быть не меньше 10 символов\n");
    const role = await withStdin(["operators", "add", "--login", "ivan", "--role", "boss"], "", env);
    expect(role.stderr).toBe("carebot operators add: --role: operator (оператор) или admin (администратор), а указано «boss»\n");
    const taken = await withStdin(["operators", "add", "--login", "olga"], "a-long-enough-password\n", env);
    expect(taken.stderr).toBe("carebot operators add: сотрудник с логином «olga» уже есть\n");
    const clinic = await withStdin(["operators", "add", "--login", "ivan", "--clinic", "no-such-clinic"], "a-long-enough-password\n", env);
    expect(clinic.stderr).toBe("carebot operators add: в базе данных нет клиники «no-such-clinic» (--clinic)\n");
    for (const r of [added, short, role, taken, clinic]) russianOnly(r.stdout + r.stderr);
  });

  it("chat: the heading, the help, the state; an unknown patient", async () => {
    const chat = await withStdin(["chat", "--patient", String(patientId)], "/help\n/state\n", env);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toContain(`Клиника «Здоровье»: чат от имени пациента Петрова Анна Сергеевна (№ ${patientId}).\n`);
    expect(chat.stdout).toContain("Команды: /state — где сейчас разговор,");
    expect(chat.stdout).toContain("Разговора ещё нет.\n");
    russianOnly(chat.stdout);
    const unknown = await withStdin(["chat", "--patient", "999999"], "", env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("carebot chat: Клиника «Здоровье»: нет пациента с номером «999999»; запустите `carebot chat` без --patient, чтобы выбрать из списка\n");
  });
});
