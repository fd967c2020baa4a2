// Issue #17: "validation messages (flows, texts) follow the chosen language". The texts editor and
// the flow editor check a manager's edits with the rules of `carebot flows validate`; every problem
// they show in a Russian console must be Russian, including Handlebars' own errors and zod's.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkText } from "../../src/flows/loader/check-text.ts";
import { loadFlowCatalog } from "../../src/flows/loader/load-flows.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { checkFlowDraft } from "../../src/operators/flows/check-draft.ts";
import { problemLine } from "../../src/operators/texts/problem-text.ts";
import { englishWordsIn } from "../support/english-words.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { catalog } = loadFlowCatalog({ flowsDir: path.join(ROOT, "flows"), templatesDir: path.join(ROOT, "templates"), registry: createRegistry() });

/** English words left once names in «», {{…}} examples and dotted variables are taken out. */
const englishIn = (message: string) =>
  message
    .replace(/«[^»]*»/g, " ")
    .replace(/\{\{[^}]*\}\}/g, " ")
    .match(/[A-Za-z]{3,}/g)
    ?.filter((w) => !["true", "false"].includes(w)) ?? [];

describe("problems of a clinic's texts and flows, told in Russian", () => {
  const brokenTexts = [
    "Здравствуйте, {{#if patient.firstName}}",
    "Здравствуйте, {{patient.firstName",
    "Здравствуйте{{#if}}!{{/if}}",
    "Здравствуйте{{#if patient.firstName}}!{{/each}}",
    "Здравствуйте, {{hello patient}}",
    "Здравствуйте, {{> footer}}",
    "Здравствуйте, {{patient.frstName}}",
    "Здравствуйте, {{patient}}",
    "Визит {{date}}",
    "Баллов: {{plural 5}}",
    "{{#each}}{{/each}}",
    "Здравствуйте, {{../name}}",
    "",
  ];

  it.each(brokenTexts)("a broken text %j is explained in Russian, with its line where known", (source) => {
    const problems = checkText(catalog!, "nps.ask", "ru", source);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      const shown = problemLine(problem, "ru");
      expect(shown).toMatch(/[а-яё]/i);
      expect(englishIn(shown), `${JSON.stringify(problem.message)} → ${shown}`).toEqual([]);
      expect(englishWordsIn(shown)).toEqual([]);
    }
  });

  it("names the helper and shows the Russian usage when a helper gets the wrong arguments", () => {
    const [problem] = checkText(catalog!, "nps.ask", "ru", "Баллов: {{plural 5}}");
    expect(problemLine(problem!, "ru")).toBe('функции «plural» нужно аргументов: 3 или 4, а указано 1; пример: {{plural n "балл" "балла" "баллов"}}');
  });

  it("keeps a text's problems in English for an English console", () => {
    const [problem] = checkText(catalog!, "nps.ask", "ru", "Здравствуйте, {{patient.frstName}}");
    expect(problemLine(problem!, "en")).toBe('Line 1: unknown variable "patient.frstName"');
  });

  it("tells a flow draft's schema, parameter and text problems in Russian", () => {
    const nps = structuredClone(catalog!.get("nps")!.def) as unknown as Record<string, any>;
    nps.description = 5;
    nps.version = -1;
    nps.states.score.entry = [{ type: "say", params: {} }];
    nps.states.comment.type = "weird";
    const schema = checkFlowDraft(nps, "nps", catalog!);
    expect(schema.ok).toBe(false);
    const ruled = structuredClone(catalog!.get("nps")!.def) as unknown as Record<string, any>;
    ruled.states.score.entry = [{ type: "say", params: { template: 5 } }];
    ruled.texts = { "nps.extra": { ru: "Спасибо{{#if}}!{{/if}}", en: "Thanks {{plural 1}}" } };
    ruled.states.score.after = { "2 дня": "expired" };
    const rules = checkFlowDraft(ruled, "nps", catalog!);
    expect(rules.ok).toBe(false);
    const problems = [...(schema.ok ? [] : schema.problems), ...(rules.ok ? [] : rules.problems)];
    expect(problems.map((p) => p.message)).toEqual(expect.arrayContaining(["нужен текст", "не меньше 1", "нужно значение «final»", "блоку {{#if}} нужно одно условие: {{#if patient.firstName}}…{{/if}}"]));
    for (const p of problems) {
      expect(p.message, p.path).toMatch(/[а-яё]/i);
      expect(englishIn(p.message.replace(/\(есть: [^)]*\)/, "")), `${p.path}: ${p.message}`).toEqual([]);
    }
  });
});
