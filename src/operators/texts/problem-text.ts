// The validator words a text's problems in English for files and logs; the editor shows them in
// the console's language. Each known wording has its Russian; a wording not listed here is shown
// behind a Russian lead, so a new validator message is never lost.
import type { ConsoleLang } from "../i18n.ts";

type Rule = { pattern: RegExp; ru: (m: RegExpExecArray) => string; en?: (m: RegExpExecArray) => string };

const q = (s: string | undefined) => `«${s ?? ""}»`;

const RULES: Rule[] = [
  {
    pattern: /^Parse error in "(.*)": expecting (.*), got 'EOF'$/,
    ru: () => "текст кончается внутри блока или скобок: не хватает }} или закрывающего {{/…}}",
    en: () => "the text ends inside a block or braces: a }} or a closing {{/…}} is missing",
  },
  {
    pattern: /^(?:Parse|Lexical) error in "(.*)"/,
    ru: (m) => `не разобрать ${q(m[1])}: проверьте парные скобки {{ }} и закрытие блоков {{#if}}…{{/if}}`,
    en: (m) => `cannot read "${m[1]}": check the {{ }} pairs and that blocks {{#if}}…{{/if}} are closed`,
  },
  { pattern: /^(\S+) doesn't match (\S+)$/, ru: (m) => `блок {{#${m[1]}}} закрыт как {{/${m[2]}}}` },
  {
    pattern: /^unknown helper "(.+?)" \(known: (.*)\)$/,
    ru: (m) => `неизвестная функция ${q(m[1])}; есть: ${m[2]?.replace(/, if, unless, each, with$/, ", if, unless, each, with")}`,
  },
  { pattern: /^partials \(\{\{> …\}\}\) are not supported$/, ru: () => "вставки {{> …}} не поддерживаются" },
  { pattern: /^decorators \(\{\{\* …\}\}\) are not supported$/, ru: () => "декораторы {{* …}} не поддерживаются" },
  { pattern: /^unknown variable "(.+?)" \(in "(.+?)"\)$/, ru: (m) => `неизвестная переменная ${q(m[1])} (в ${q(m[2])})` },
  { pattern: /^unknown variable "(.+?)"$/, ru: (m) => `неизвестная переменная ${q(m[1])}` },
  { pattern: /^"(.+?)" is null \(in "(.+?)"\)$/, ru: (m) => `у этого пациента нет значения ${q(m[1])} (в ${q(m[2])})` },
  {
    pattern: /^"(.+?)" is null; use (.*)$/,
    ru: (m) => `${q(m[1])} бывает пустым: выводите через {{default ${m[1]} "…"}} или внутри {{#if ${m[1]}}}…{{/if}}`,
  },
  { pattern: /^"(.+?)" is undefined$/, ru: (m) => `неизвестная переменная ${q(m[1])}` },
  { pattern: /^"(.+?)" is a date; .*$/, ru: (m) => `${q(m[1])} — это дата: выводите через {{date …}}, {{time …}} или {{datetime …}}` },
  { pattern: /^"(.+?)" is (true|false); use (.*)$/, ru: (m) => `${q(m[1])} — да/нет: используйте {{#if ${m[1]}}}…{{/if}}` },
  { pattern: /^"(.+?)" is (.*), not text$/, ru: (m) => `${q(m[1])} — не текст (${m[2]}), его нельзя вывести как есть` },
  { pattern: /^renders an empty text$/, ru: () => "получается пустое сообщение" },
  { pattern: /^renders "(.+?)": "(.*)"$/, ru: (m) => `в сообщении окажется ${q(m[1])}: ${q(m[2])}` },
  {
    pattern: /^uses context\.(\w+), which the flow "(.+?)" does not declare$/,
    ru: (m) => `переменной ${q(`context.${m[1]}`)} нет в сценарии ${q(m[2])}: он её не передаёт`,
  },
  { pattern: /^takes (\S+) arguments?, got (\d+): (.*)$/, ru: (m) => `нужно аргументов: ${m[1]}, а указано ${m[2]}; пример: ${m[3]}` },
  { pattern: /^expected (.*), got (.*?)( \(from "(.+?)"\))?$/, ru: (m) => `ожидается другое значение${m[4] ? ` в ${q(m[4])}` : ""}: ${m[2]}` },
];

/** A problem's message in the console's language. */
export function problemText(message: string, lang: ConsoleLang): string {
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (!match) continue;
    if (lang === "ru") return rule.ru(match);
    return rule.en ? rule.en(match) : message;
  }
  return lang === "ru" ? `текст не проходит проверку (${message})` : message;
}

/** "Строка 3: …" / "Line 3: …" when the line is known. */
export function problemLine(problem: { line: number | null; message: string }, lang: ConsoleLang): string {
  const text = problemText(problem.message, lang);
  if (problem.line === null) return text;
  return lang === "ru" ? `Строка ${problem.line}: ${text}` : `Line ${problem.line}: ${text}`;
}
