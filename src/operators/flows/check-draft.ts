// A flow version from the console is checked by the same rules as `carebot flows validate`
// (schema, registry, targets, texts), and its problems are told in Russian for the editor.
import { flowSchema } from "../../flows/definition/schema.ts";
import type { FlowDefinition } from "../../flows/definition/schema.ts";
import type { FlowCatalog } from "../../flows/loader/catalog.ts";
import { formatPath } from "../../flows/loader/problems.ts";
import { checkFlowTexts, validateFlow } from "../../flows/loader/validate-flow.ts";
import { sampleView } from "../../flows/templates/index.ts";
import { zodErrorMap } from "../../i18n/zod.ts";
import { problemText } from "../texts/problem-text.ts";

/** Flows CareBot itself relies on (linking a chat, the menu, passing a message to a person): never turned off. */
export const ALWAYS_ON_FLOWS = ["main-menu", "link-patient", "patient-message"];

export interface DraftProblem {
  /** Where in the definition ("states.score.entry[0].params"), or "" for the whole. */
  path: string;
  /** In Russian. */
  message: string;
}

const RUSSIAN: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^no state "(.*)" \(states: (.*)\)$/, (m) => `нет шага «${m[1]}» (есть: ${m[2]})`],
  [/^unknown action "(.*)" \(known: .*\)$/, (m) => `неизвестное действие «${m[1]}»`],
  [/^unknown guard "(.*)" \(known: .*\)$/, (m) => `неизвестное условие «${m[1]}»`],
  [/^no template "(.*)" in templates\/(ru|en)$/, (m) => `нет текста «${m[1]}» (${m[2] === "ru" ? "русский" : "английский"})`],
  [/^no flow "(.*)"$/, (m) => `нет сценария «${m[1]}»`],
  [/^has no way out and is not final$/, () => "из шага нет выхода, а он не последний"],
  [/^is final but has transitions$/, () => "последний шаг не может вести дальше"],
  [/^asks a question but has no "on" to take the answer$/, () => "шаг задаёт вопрос, но ответ никуда не ведёт"],
  [/^unreachable from "(.*)"$/, (m) => `до шага не дойти от начального «${m[1]}»`],
  [/^"(.*)" is not a delay .*$/, (m) => `«${m[1]}» — не задержка (например, P2D — 2 дня, PT3H — 3 часа)`],
  [/^unknown variable "(.*)"$/, (m) => `неизвестная переменная «${m[1]}»`],
  [/^uses context\.(.*), which the flow's "context" does not declare$/, (m) => `использует context.${m[1]}, которого нет в «context» сценария`],
  [/^template "(.*)" \((ru|en)\) uses context\.(.*), which .*$/, (m) => `текст «${m[1]}» использует context.${m[3]}, которого нет в «context» сценария`],
  [/^renders an empty text$/, () => "получается пустой текст"],
  [/^the Russian text is empty$/, () => "русский текст пуст"],
  [/^the English text is empty$/, () => "английский текст пуст"],
  [/^line (\d+): (.*)$/, (m) => `строка ${m[1]}: ${problemText(m[2] ?? "", "ru")}`],
  [/^Invalid input: expected (\w+), received (\w+)$/, (m) => `ожидается ${TYPE[m[1]!] ?? m[1]}, а здесь ${TYPE[m[2]!] ?? m[2]}`],
  [/^Invalid input: expected (\w+)$/, (m) => `ожидается ${TYPE[m[1]!] ?? m[1]}`],
  [/^Too small: expected string to have >=1 characters$/, () => "не может быть пустым"],
  [/^Unrecognized key: "(.*)"$/, (m) => `лишнее поле «${m[1]}»`],
  [/^unknown field$/, () => "лишнее поле"],
  [/^Invalid option: expected one of (.*)$/, (m) => `допустимо одно из: ${m[1]}`],
];
const TYPE: Record<string, string> = { string: "текст", number: "число", boolean: "да/нет", object: "объект", array: "список", undefined: "ничего", null: "null" };

/** A validator's message in Russian; one it does not know is told by the texts' wording (problem-text.ts). */
export function russianProblem(message: string): string {
  for (const [pattern, say] of RUSSIAN) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  // The texts' wording covers Handlebars and the helpers; it never shows an unknown message in English.
  return problemText(message, "ru");
}

export type CheckedDraft = { ok: true; definition: FlowDefinition } | { ok: false; problems: DraftProblem[] };

export function checkFlowDraft(input: unknown, flowId: string, files: FlowCatalog): CheckedDraft {
  // zod words its issues in Russian itself (src/i18n/zod.ts), like the settings page's.
  const parsed = flowSchema.safeParse(input, { error: zodErrorMap("ru") });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.flatMap((issue) =>
        issue.code === "unrecognized_keys"
          ? issue.keys.map((key) => ({ path: formatPath([...(issue.path as (string | number)[]), key]), message: "лишнее поле" }))
          : [{ path: formatPath(issue.path as (string | number)[]), message: issue.message }],
      ),
    };
  }
  const def = parsed.data;
  const problems: DraftProblem[] = [];
  if (def.id !== flowId) problems.push({ path: "id", message: `идентификатор сценария менять нельзя: «${flowId}»` });
  if (def.enabled === false && ALWAYS_ON_FLOWS.includes(flowId)) problems.push({ path: "enabled", message: "этот сценарий нужен CareBot всегда, выключить его нельзя" });
  const flowIds = new Set(files.flows.keys());
  // The validator words its own problems and zod's in Russian (lang "ru"); what it leaves in English (a text's
  // Handlebars problems) is translated here.
  for (const p of validateFlow(def, flowId, { registry: files.registry, templates: files.templates, flowIds, lang: "ru" })) {
    problems.push({ path: p.path ?? "", message: /[а-яё]/i.test(p.message) ? p.message : russianProblem(p.message) });
  }
  const result = Object.assign({}, ...Object.values(files.registry.actions).map((a) => a.sampleResult ?? {}));
  const views = [sampleView({ context: def.context, result }), sampleView({ context: def.context, result, patient: { firstName: "", fullName: "", gender: "", linked: false } })];
  for (const p of checkFlowTexts(def, files.templates, views)) problems.push({ path: p.path, message: russianProblem(p.message) });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition: def };
}
