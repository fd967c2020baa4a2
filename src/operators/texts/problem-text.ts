// The validator words a text's problems in English for files and logs; the editor shows them in
// the console's language. Each known wording has its Russian; a wording not listed here gets a
// Russian line that keeps only its quoted names, so no English shows in a Russian console.
import type { ConsoleLang } from "../i18n.ts";

type Rule = { pattern: RegExp; ru: (m: RegExpExecArray) => string; en?: (m: RegExpExecArray) => string };

const q = (s: string | undefined) => `«${s ?? ""}»`;

/** A value as the validator describes it (describeValue in src/flows/templates/helpers.ts), in Russian. */
function valueRu(value: string): string {
  const known: Record<string, string> = {
    "undefined (a missing value)": "пусто (значения нет)",
    undefined: "пусто (значения нет)",
    null: "пусто",
    true: "«да»",
    false: "«нет»",
    "an invalid date": "неверная дата",
    "a date": "дата",
    "a list": "список",
    "an object": "объект",
    "a function": "функция",
    "a number": "число",
    "a number of points": "число баллов",
    "an amount in kopecks (a whole number)": "сумма в копейках (целое число)",
    "a date (a Date or an ISO 8601 string)": "дата",
  };
  if (known[value]) return known[value];
  const quoted = /^"(.*)"$/.exec(value);
  if (quoted) return q(quoted[1]);
  return /^-?[\d.]+$/.test(value) ? value : "значение другого вида";
}

/** A helper's usage examples: the Russian one where the validator marks languages ("… (ru) or … (en)"). */
function examplesRu(examples: string): string {
  const parts = examples.split(/ or /);
  const ru = parts.filter((e) => /\(ru\)$/.test(e)).map((e) => e.replace(/\s*\(ru\)$/, ""));
  return (ru.length > 0 ? ru : parts.filter((e) => !/\(en\)$/.test(e))).join(" или ");
}

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
  { pattern: /^#(\w+) requires exactly one argument$/, ru: (m) => `блоку {{#${m[1]}}} нужно одно условие: {{#${m[1]} patient.firstName}}…{{/${m[1]}}}` },
  { pattern: /^Must pass iterator to #each$/, ru: () => "блоку {{#each}} нужен список: {{#each список}}…{{/each}}" },
  {
    pattern: /^unknown helper "(.+?)" \(known: (.*)\)$/,
    ru: (m) => `неизвестная функция ${q(m[1])}; есть: ${(m[2] ?? "").split(", ").map((h) => `{{${h}}}`).join(", ")}`,
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
  { pattern: /^(?:"(.+?)"|the value) is undefined$/, ru: (m) => (m[1] ? `неизвестная переменная ${q(m[1])}` : "значения нет") },
  { pattern: /^a variable before "\.?(.+?)" is undefined$/, ru: (m) => `не найти значение перед ${q(`.${m[1]}`)}: проверьте имя переменной` },
  { pattern: /^"(.+?)" is a date; .*$/, ru: (m) => `${q(m[1])} — это дата: выводите через {{date …}}, {{time …}} или {{datetime …}}` },
  { pattern: /^"(.+?)" is (true|false); use (.*)$/, ru: (m) => `${q(m[1])} — да/нет: используйте {{#if ${m[1]}}}…{{/if}}` },
  { pattern: /^"(.+?)" is (.*), not a number to print$/, ru: (m) => `${q(m[1])} — не число (${m[2]}), его нельзя вывести` },
  { pattern: /^"(.+?)" is (.*), not text$/, ru: (m) => `${q(m[1])} — не текст (${valueRu(m[2] ?? "")}), его нельзя вывести как есть` },
  { pattern: /^renders an empty text$/, ru: () => "получается пустое сообщение" },
  { pattern: /^renders "(.+?)": "(.*)"$/, ru: (m) => `в сообщении окажется ${q(m[1])}: ${q(m[2])}` },
  {
    pattern: /^uses context\.(\w+), which the flow "(.+?)" does not declare$/,
    ru: (m) => `переменной ${q(`context.${m[1]}`)} нет в сценарии ${q(m[2])}: он её не передаёт`,
  },
  {
    pattern: /^(?:(\w+): )?takes (\S+(?: or \S+)?) arguments?, got (\d+): (.*)$/,
    ru: (m) => `${m[1] ? `функции ${q(m[1])} ` : ""}нужно аргументов: ${m[2]?.replace(" or ", " или ")}, а указано ${m[3]}; пример: ${examplesRu(m[4] ?? "")}`,
  },
  {
    pattern: /^(?:(\w+): )?expected (.*), got (.*?)( \(from "(.+?)"\))?$/,
    ru: (m) => `${m[1] ? `в ${q(m[1])} ` : ""}ожидается ${valueRu(m[2] ?? "")}${m[5] ? ` в ${q(m[5])}` : ""}, а здесь ${valueRu(m[3] ?? "")}`,
  },
  { pattern: /^(?:(\w+): )?word forms must be text, got (.*)$/, ru: (m) => `формы слова пишутся текстом в кавычках, а здесь ${valueRu(m[2] ?? "")}` },
  { pattern: /^(?:(\w+): )?(\w+) needs (\d+) word forms \((.*)\), got (\d+)$/, ru: (m) => `${m[2] === "ru" ? "по-русски" : "по-английски"} нужно форм слова: ${m[3]}, а указано ${m[5]}` },
  { pattern: /^(?:(\w+): )?the person is undefined/, ru: () => "не указано, о ком речь: например, {{gender patient \"…\" \"…\"}}" },
  { pattern: /^(?:(\w+): )?argument (\d+) is (.*)$/, ru: (m) => `${m[1] ? `в ${q(m[1])} ` : ""}аргумент ${m[2]} — ${valueRu(m[3] ?? "")}` },
  { pattern: /^(?:(\w+): )?the fallback is (.*)$/, ru: (m) => `запасное значение в {{default}} — ${valueRu(m[2] ?? "")}` },
];

/** Names and quoted bits of a message the rules do not know ("x", {{…}}): kept, so a Russian lead still points somewhere. */
function namesIn(message: string): string[] {
  return [...message.matchAll(/"([^"]+)"|(\{\{[^}]*\}\})/g)].map((m) => q(m[1] ?? m[2]));
}

/** A problem's message in the console's language. */
export function problemText(message: string, lang: ConsoleLang): string {
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (!match) continue;
    if (lang === "ru") return rule.ru(match);
    return rule.en ? rule.en(match) : message;
  }
  if (lang === "en") return message;
  // An unknown wording (a new validator message, a Handlebars internal one) is never shown in English in Russian mode.
  const names = namesIn(message);
  return `текст не проходит проверку${names.length > 0 ? `: проверьте ${names.join(", ")}` : ": проверьте фигурные скобки и имена переменных"}`;
}

/** "Строка 3: …" / "Line 3: …" when the line is known. */
export function problemLine(problem: { line: number | null; message: string }, lang: ConsoleLang): string {
  const text = problemText(problem.message, lang);
  if (problem.line === null) return text;
  return lang === "ru" ? `Строка ${problem.line}: ${text}` : `Line ${problem.line}: ${text}`;
}
