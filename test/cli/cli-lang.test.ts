// The command line speaks the chosen language: --lang, CAREBOT_LANG, the terminal's LANG, Russian
// by default. Help, commander's own errors, results and problems all follow it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliLang } from "../../src/cli/lang.ts";
import { runCli } from "../support/cli.ts";
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
