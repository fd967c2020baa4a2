import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TemplateRenderError, formatProblem, loadTemplates } from "../../../src/flows/templates/index.ts";
import { plain, tmpTemplates, view } from "./tmp-templates.ts";

function renderError(fn: () => unknown): TemplateRenderError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateRenderError);
    return error as TemplateRenderError;
  }
  throw new Error("rendered without an error");
}

describe("loading", () => {
  it("loads both locales and lists keys", () => {
    const { store, problems } = tmpTemplates({
      "ru/nps.ask.hbs": "Оцените нас",
      "en/nps.ask.hbs": "Rate us",
      "ru/bonus_balance-short.hbs": "{{points bonus.balance}}",
      "en/bonus_balance-short.hbs": "{{points bonus.balance}}",
    });
    expect(problems).toEqual([]);
    expect(store.keys()).toEqual(["bonus_balance-short", "nps.ask"]);
    expect(store.keys("en")).toEqual(["bonus_balance-short", "nps.ask"]);
    expect(store.has("nps.ask")).toBe(true);
    expect(store.has("nps.ask", "en")).toBe(true);
    expect(store.has("nps.nope")).toBe(false);
  });

  it("reports a parse error with its line number and still loads the rest", () => {
    const { store, problems } = tmpTemplates({
      "ru/x.hbs": "Здравствуйте!\n\n{{#if patient.linked}\nok\n",
      "ru/y.hbs": "Добрый день",
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe("templates/ru/x.hbs");
    expect(problems[0]?.message).toMatch(/^line 3: Parse error in "\{\{#if patient\.linked\}": expecting /);
    expect(store.has("x")).toBe(false);
    expect(store.render("y", view())).toBe("Добрый день");
  });

  it.each([
    ["{{#if patient.linked}}\nok\n{{/each}}", "line 1: if doesn't match each"],
    ["a\n{{#if patient.linked}}x", /^line 2: Parse error in "\{\{#if patient\.linked\}\}x": expecting .*, got 'EOF'$/],
    ["a\n\n{{!-- never closed", /^line 3: Lexical error in "\{\{!-- never closed"$/],
    ["\n{{shout patient.firstName}}", 'line 2: unknown helper "shout" (known: money, points, plural, gender, date, time, datetime, weekday, eq, gt, default, sentence, if, unless, each, with)'],
    ["{{> footer}}", "line 1: partials ({{> …}}) are not supported"],
  ])("%j is a problem at load, not a crash", (text, message) => {
    const { problems } = tmpTemplates({ "ru/x.hbs": text });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
  });

  it("reports a key missing in one locale, either way round", () => {
    const { problems } = tmpTemplates({
      "ru/nps.ask.hbs": "Оцените нас",
      "ru/only.ru.hbs": "…",
      "en/nps.ask.hbs": "Rate us",
      "en/only.en.hbs": "…",
    });
    expect(problems.map(formatProblem)).toEqual([
      "templates/ru/only.en.hbs: missing (templates/en/only.en.hbs exists)",
      "templates/en/only.ru.hbs: missing (templates/ru/only.ru.hbs exists)",
    ]);
  });

  it("a broken file still counts as present for its counterpart", () => {
    const { problems } = tmpTemplates({ "ru/x.hbs": "{{#if}", "en/x.hbs": "ok" });
    expect(problems.map((p) => p.file)).toEqual(["templates/ru/x.hbs"]);
  });

  it("treats a missing en folder as English not offered", () => {
    const { problems } = tmpTemplates({ "ru/nps.ask.hbs": "Оцените нас" });
    expect(problems).toEqual([]);
  });

  it("requires the ru folder", () => {
    const { problems } = tmpTemplates({ "en/nps.ask.hbs": "Rate us" });
    expect(problems.map(formatProblem)).toEqual(["templates/ru: missing: ru is the default locale and is required"]);
  });

  it("reports bad names, stray folders and files", () => {
    const { store, problems } = tmpTemplates({
      "ru/Nps.Ask.hbs": "x",
      "ru/nps ask.hbs": "x",
      "ru/nps..ask.hbs": "x",
      "ru/notes.txt": "x",
      "ru/old/": "",
      "ru/.gitkeep": "",
      "de/nps.ask.hbs": "x",
      "stray.hbs": "x",
      "README.md": "how to edit texts",
    });
    expect(problems.map(formatProblem)).toEqual([
      'templates/de: unknown locale folder "de" (expected ru or en)',
      'templates/ru/Nps.Ask.hbs: "Nps.Ask" is not a valid key: use lowercase words joined by ".", "-" or "_"',
      "templates/ru/notes.txt: not a template: expected <key>.hbs",
      'templates/ru/nps ask.hbs: "nps ask" is not a valid key: use lowercase words joined by ".", "-" or "_"',
      'templates/ru/nps..ask.hbs: "nps..ask" is not a valid key: use lowercase words joined by ".", "-" or "_"',
      "templates/ru/old: subfolders are not supported: keep texts directly in ru/",
      "templates/stray.hbs: not in a locale folder: move it to ru/ or en/",
    ]);
    expect(store.keys()).toEqual([]);
  });

  it("reports a folder that does not exist", () => {
    const { root } = tmpTemplates({});
    const { store, problems } = loadTemplates(path.join(root, "nowhere"), { root });
    expect(problems).toEqual([{ file: "nowhere", message: "templates folder not found" }]);
    expect(store.keys()).toEqual([]);
  });

  it("names files relative to the working directory by default", () => {
    const { dir } = tmpTemplates({ "ru/x.hbs": "{{#if}" });
    const { problems } = loadTemplates(dir);
    // The temp folder is outside the repo: the absolute path is the best name.
    expect(problems[0]?.file).toBe(path.join(dir, "ru", "x.hbs"));
  });

  it("compiles each file once, at load, and renders from the cache", () => {
    const { store } = tmpTemplates({ "ru/a.hbs": "{{patient.firstName}}", "ru/b.hbs": "b", "en/a.hbs": "A", "en/b.hbs": "B" });
    expect(store.compileCount).toBe(4);
    for (let i = 0; i < 20; i++) {
      store.render("a", view());
      store.render("b", view({ locale: "en" }));
    }
    expect(store.compileCount).toBe(4);
  });

  it("does not read the files again after loading", () => {
    const { store, dir } = tmpTemplates({ "ru/a.hbs": "до" });
    fs.writeFileSync(path.join(dir, "ru", "a.hbs"), "после");
    expect(store.render("a", view())).toBe("до");
  });
});

describe("rendering", () => {
  const { store } = tmpTemplates({
    "ru/greet.hbs": "Здравствуйте, {{patient.firstName}}!\nВаш баланс: {{points bonus.balance}}.\n\n",
    "en/greet.hbs": "Hello, {{patient.firstName}}!\r\nYour balance: {{points bonus.balance}}.\r\n",
    "ru/only-ru.hbs": "Визит {{datetime context.visitAt}}",
    "ru/typo.hbs": "Спасибо, {{patient.frstName}}!",
    "en/typo.hbs": "Thanks, {{patient.firstName}}!",
    "ru/deep.hbs": "{{result.escalation.dueAt}}",
    "ru/money.hbs": "К оплате {{money context.x}}",
    "ru/blocks.hbs": "Начало\n{{#if patient.linked}}\nСвязан\n{{else}}\nНе связан\n{{/if}}\n{{#each bonus.expiringSoon}}\n- {{points amount}} до {{date expiresAt}}\n{{/each}}\nКонец\n",
    "ru/tilde.hbs": "[ {{~patient.firstName~}} ]",
    "ru/value.hbs": "{{context.v}}",
    "ru/section.hbs": "{{#context.missing}}x{{/context.missing}}",
    "ru/empty.hbs": "\n\n",
    "ru/bom.hbs": "\uFEFFПривет",
  });

  it("trims the file's trailing newlines and keeps the inner ones", () => {
    expect(plain(store.render("greet", view()))).toBe("Здравствуйте, Анна!\nВаш баланс: 1 500 баллов.");
  });

  it("renders the view's locale and turns CRLF into LF", () => {
    expect(plain(store.render("greet", view({ locale: "en", patient: { firstName: "Anna" } })))).toBe(
      "Hello, Anna!\nYour balance: 1,500 points.",
    );
  });

  it("falls back to ru when the locale has no such file, formatting as ru", () => {
    const text = store.render("only-ru", view({ locale: "en", context: { visitAt: "2026-11-24T07:00:00Z" } }));
    expect(text).toBe("Визит 24 ноября в 10:00");
  });

  it("uses the locale's own file even when it differs from ru", () => {
    expect(store.render("typo", view({ locale: "en" }))).toBe("Thanks, Анна!");
  });

  it("throws for an unknown key", () => {
    const error = renderError(() => store.render("nps.nope", view({ locale: "en" })));
    expect(error.message).toBe('template "nps.nope" (en): unknown template (no templates/en/nps.nope.hbs)');
    expect(error.key).toBe("nps.nope");
  });

  it("names a missing variable by its full path", () => {
    const error = renderError(() => store.render("typo", view()));
    expect(error.message).toBe('template "typo" (ru): unknown variable "patient.frstName"');
    expect(error.variable).toBe("patient.frstName");
    expect(error.file).toBe("templates/ru/typo.hbs");
    expect(error.locale).toBe("ru");
  });

  it("names the missing object in the middle of a path", () => {
    const error = renderError(() => store.render("deep", view()));
    expect(error.reason).toBe('unknown variable "result.escalation" (in "result.escalation.dueAt")');
    expect(error.variable).toBe("result.escalation");
    expect(store.render("deep", view({ result: { escalation: { dueAt: "завтра" } } }))).toBe("завтра");
  });

  it("a missing helper argument throws instead of printing undefined", () => {
    const error = renderError(() => store.render("money", view()));
    expect(error.reason).toBe('unknown variable "context.x"');
  });

  it("a missing block section is a missing variable (strict mode)", () => {
    expect(renderError(() => store.render("section", view())).reason).toBe('unknown variable "context.missing"');
  });

  it.each([
    ["undefined", undefined, 'unknown variable "context.v"'],
    ["null", null, '"context.v" is null; use {{default context.v "…"}} or {{#if}}'],
    ["NaN", Number.NaN, '"context.v" is NaN, not a number to print'],
    ["a boolean", true, '"context.v" is true; use {{#if context.v}}'],
    ["[object Object]", { a: 1 }, '"context.v" is an object, not text'],
    ["a list", [1, 2], '"context.v" is a list, not text'],
    ["a raw Date", new Date("2026-11-24T07:00:00Z"), '"context.v" is a date; print it with {{date …}}, {{time …}} or {{datetime …}}'],
  ])("never prints %s: it throws", (_, value, reason) => {
    const context = value === undefined ? {} : { v: value };
    expect(renderError(() => store.render("value", view({ context }))).reason).toBe(reason);
  });

  it("prints text and finite numbers as they are", () => {
    expect(store.render("value", view({ context: { v: "текст" } }))).toBe("текст");
    expect(store.render("value", view({ context: { v: 42 } }))).toBe("42");
    expect(store.render("value", view({ context: { v: "" } }))).toBe("");
  });

  it("drops standalone block lines, as Handlebars does", () => {
    expect(plain(store.render("blocks", view()))).toBe("Начало\nСвязан\n- 300 баллов до 24 ноября\nКонец");
    expect(plain(store.render("blocks", view({ patient: { linked: false }, bonus: { expiringSoon: [] } })))).toBe(
      "Начало\nНе связан\nКонец",
    );
  });

  it("keeps whitespace control", () => {
    expect(store.render("tilde", view())).toBe("[Анна]");
  });

  it("does not escape HTML: messages are plain text", () => {
    expect(store.render("value", view({ context: { v: `<b>"Tom & Jerry"</b>` } }))).toBe(`<b>"Tom & Jerry"</b>`);
  });

  it("an empty file renders an empty text (checkTemplates reports it)", () => {
    expect(store.render("empty", view())).toBe("");
  });

  it("drops a byte-order mark", () => {
    expect(store.render("bom", view())).toBe("Привет");
  });

  it("rejects a view with an unknown locale", () => {
    const bad = { ...view(), locale: "de" } as unknown as ReturnType<typeof view>;
    expect(() => store.render("greet", bad)).toThrow('unknown locale "de"');
  });
});
