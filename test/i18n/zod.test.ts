// The validation messages in both languages: one per zod issue code, a schema's own words by
// name (says), and the field in human words where a label is known.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { plural } from "../../src/i18n/plural.ts";
import { describeIssue, says, saysParams, zodErrorMap } from "../../src/i18n/zod.ts";
import { englishWordsIn } from "../support/english-words.ts";

const schema = z
  .object({
    percent: z.number().min(0).max(100),
    below: z.number().lt(10),
    count: z.number().int(),
    name: z.string().min(1),
    code: z.string().min(3).max(5),
    list: z.array(z.string()).min(2).max(3),
    site: z.url(),
    mail: z.email(),
    day: z.iso.date(),
    kind: z.enum(["a", "b"]),
    exactly: z.literal("yes"),
    flag: z.boolean(),
    step: z.number().multipleOf(5),
    either: z.union([z.number(), z.boolean()]),
    time: z.string().regex(/^\d\d:\d\d$/, { error: says("time") }),
    days: z.number().int().min(1).max(7, { error: says("days", { min: 1, max: 7 }) }),
    required: z.string(),
    inner: z.object({ a: z.number() }).strict(),
  });
// Cross-field rules run once the fields themselves are right: a schema of its own.
const campaign = z.object({ segment: z.string() }).superRefine((v, ctx) => ctx.addIssue({ code: "custom", path: ["segment"], params: saysParams("unknownSegment", { segment: v.segment, known: "sleeping" }) }));

const input = {
  percent: 150, below: 10, count: 1.5, name: "", code: "ab", list: ["x"], site: "отзывы", mail: "nope", day: "31.12.2026", kind: "c", exactly: "no",
  flag: "да", step: 7, either: "x", time: "9am", days: 9, inner: { a: 1, b: 2 },
};

function messages(lang: "ru" | "en"): Record<string, string> {
  const parsed = schema.safeParse(input, { error: zodErrorMap(lang) });
  const custom = campaign.safeParse({ segment: "vip" }, { error: zodErrorMap(lang) });
  if (parsed.success || custom.success) throw new Error("the input passed");
  return Object.fromEntries([...parsed.error.issues, ...custom.error.issues].map((i) => [i.path.join("."), i.message]));
}

describe("validation messages", () => {
  it("speak Russian for every issue code, with no English word", () => {
    const ru = messages("ru");
    expect(ru).toEqual({
      percent: "не больше 100",
      below: "меньше 10",
      count: "нужно целое число",
      name: "не может быть пустым",
      code: "не короче 3 символов",
      list: "нужно хотя бы 2 элемента",
      site: "нужен адрес сайта, например https://example.ru/reviews",
      mail: "нужен адрес электронной почты",
      day: "нужна дата в виде ГГГГ-ММ-ДД",
      kind: "нужно одно из значений: «a», «b»",
      exactly: "нужно значение «yes»",
      flag: "нужно «да» или «нет» (true или false)",
      step: "нужно число, кратное 5",
      either: "не подходит ни под один из допустимых вариантов",
      time: "нужно время в виде ЧЧ:ММ, например 09:00",
      days: "нужно целое число дней от 1 до 7",
      required: "нужно заполнить",
      inner: "неизвестные поля: «b»",
      segment: "сегмента «vip» нет среди сегментов (sleeping)",
    });
    for (const message of Object.values(ru)) expect(englishWordsIn(message), message).toEqual([]);
  });

  it("speak English when asked, and by default", () => {
    const en = messages("en");
    expect(en).toMatchObject({
      percent: "must be at most 100",
      count: "must be a whole number",
      name: "must not be empty",
      code: "must be at least 3 characters",
      list: "must list at least 2 items",
      kind: 'must be one of "a", "b"',
      time: 'must be a time "HH:MM"',
      days: "must be a whole number of days from 1 to 7",
      required: "is required",
      inner: 'unknown fields: "b"',
      segment: 'no segment "vip" in segments (sleeping)',
    });
    // Without a map, zod's default is CareBot's English, a schema's own words included.
    const plain = z.object({ time: z.string().regex(/^\d\d:\d\d$/, { error: says("time") }), n: z.number().max(3) }).safeParse({ time: "x", n: 4 });
    expect(plain.error?.issues.map((i) => i.message)).toEqual(['must be a time "HH:MM"', "must be at most 3"]);
  });

  it("name the field in human words where a label is known, else by its path", () => {
    const labels: Record<string, string> = { "bonus.accrualPercent": "Начисление, % от оплаты" };
    expect(describeIssue({ path: ["bonus", "accrualPercent"], message: "не больше 100" }, (p) => labels[p])).toBe("Начисление, % от оплаты: не больше 100");
    expect(describeIssue({ path: ["segments", 0, "ageMin"], message: "не меньше 0" }, (p) => labels[p])).toBe("segments.0.ageMin: не меньше 0");
    expect(describeIssue({ path: [], message: "нужен объект" })).toBe("нужен объект");
  });

  it("say Russian counts in the right form", () => {
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((n) => `${n} ${plural(n, ["ошибка", "ошибки", "ошибок"])}`)).toEqual([
      "1 ошибка", "2 ошибки", "5 ошибок", "11 ошибок", "21 ошибка", "22 ошибки", "25 ошибок", "111 ошибок",
    ]);
  });
});
