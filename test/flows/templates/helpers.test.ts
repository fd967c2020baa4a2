import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { TemplateRenderError, formatMoney, formatPoints, pluralWord } from "../../../src/flows/templates/index.ts";
import { plain, tmpTemplates, view } from "./tmp-templates.ts";

// One template per helper, the same text in both locales (the helpers follow the locale).
const both = (key: string, text: string) => ({ [`ru/${key}.hbs`]: text, [`en/${key}.hbs`]: text });
const { store, problems } = tmpTemplates({
  ...both("money", "{{money context.v}}"),
  ...both("points", "{{points context.v}}"),
  ...both("date", "{{date context.v}}"),
  ...both("date-year", "{{date context.v year=true}}"),
  ...both("time", "{{time context.v}}"),
  ...both("datetime", "{{datetime context.v}}"),
  ...both("weekday", "{{weekday context.v}}"),
  ...both("eq", '{{#eq context.v "done"}}yes{{else}}no{{/eq}}'),
  ...both("gt", "{{#gt context.v 0}}positive{{else}}not positive{{/gt}}"),
  ...both("eq-inline", '{{#if (eq context.v 1)}}one{{else}}other{{/if}}'),
  ...both("default", '{{default context.v "друг"}}'),
  ...both("gender", '{{gender context.v "рекомендовал" "рекомендовала"}}'),
  ...both("gender-unknown", '{{gender context.v "рад" "рада" "рады"}}'),
  "ru/plural.hbs": '{{context.v}} {{plural context.v "балл" "балла" "баллов"}}',
  "en/plural.hbs": '{{context.v}} {{plural context.v "point" "points"}}',
  "ru/plural-wrong.hbs": '{{plural context.v "point" "points"}}',
  "en/plural-wrong.hbs": '{{plural context.v "point" "points"}}',
});

const render = (key: string, v: unknown, locale: "ru" | "en" = "ru", timezone = "Europe/Moscow") =>
  plain(store.render(key, view({ locale, timezone, context: v === undefined ? {} : { v } })));

const renderError = (key: string, v: unknown, locale: "ru" | "en" = "ru"): TemplateRenderError => {
  try {
    render(key, v, locale);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateRenderError);
    return error as TemplateRenderError;
  }
  throw new Error(`${key} rendered without an error`);
};

it("the helper templates load cleanly", () => {
  expect(problems).toEqual([]);
});

describe("money", () => {
  it.each([
    [250000, "ru", "2 500 ₽"],
    [250050, "ru", "2 500,50 ₽"],
    [0, "ru", "0 ₽"],
    [99, "ru", "0,99 ₽"],
    [250000, "en", "RUB 2,500"],
    [250050, "en", "RUB 2,500.50"],
  ] as const)("%d kopecks in %s → %s", (amount, locale, expected) => {
    expect(render("money", amount, locale)).toBe(expected);
  });

  it("accepts an amount given as a string of digits (JSON context)", () => {
    expect(render("money", "150000")).toBe("1 500 ₽");
  });

  it("uses the spaces Intl gives (no-break), never a plain one", () => {
    expect(store.render("money", view({ context: { v: 250000 } }))).toBe(formatMoney(250000, "ru"));
    expect(formatMoney(250000, "ru")).not.toContain(" ");
  });

  it.each([
    [undefined, 'unknown variable "context.v"'],
    [null, "money: expected an amount in kopecks (a whole number), got null"],
    [Number.NaN, "got NaN"],
    [12.5, "got 12.5"],
    ["12 руб", 'got "12 руб"'],
    [{}, "got an object"],
  ])("%s throws instead of printing garbage", (value, message) => {
    const error = renderError("money", value);
    expect(error.reason).toContain(message);
    expect(error.key).toBe("money");
    expect(error.locale).toBe("ru");
  });

  it("names the variable behind a bad argument", () => {
    const error = renderError("money", null);
    expect(error.variable).toBe("context.v");
    expect(error.reason).toContain('"context.v"');
  });
});

describe("points and plural", () => {
  const ru: [number, string][] = [
    [0, "0 баллов"],
    [1, "1 балл"],
    [2, "2 балла"],
    [5, "5 баллов"],
    [11, "11 баллов"],
    [21, "21 балл"],
    [22, "22 балла"],
    [25, "25 баллов"],
    [111, "111 баллов"],
    [112, "112 баллов"],
    [1500, "1 500 баллов"],
  ];
  it.each(ru)("ru points %d → %s", (n, expected) => {
    expect(render("points", n)).toBe(expected);
    expect(plain(formatPoints(n, "ru"))).toBe(expected);
  });

  it.each(ru)("ru plural %d picks the word of %s", (n, expected) => {
    expect(render("plural", n)).toBe(`${n} ${expected.split(" ").at(-1)}`);
  });

  it.each([
    [1, "1 point"],
    [2, "2 points"],
    [0, "0 points"],
    [1500, "1,500 points"],
  ] as const)("en points %d → %s", (n, expected) => {
    expect(render("points", n, "en")).toBe(expected);
  });

  it.each([
    [1, "1 point"],
    [2, "2 points"],
  ] as const)("en plural %d → %s", (n, expected) => {
    expect(render("plural", n, "en")).toBe(expected);
  });

  it("fractions take the genitive singular in ru", () => {
    expect(pluralWord(1.5, ["балл", "балла", "баллов"], "ru")).toBe("балла");
  });

  it("insists on three forms in ru and two in en", () => {
    expect(renderError("plural-wrong", 5, "ru").reason).toBe("plural: ru needs 3 word forms (one, few, many), got 2");
    expect(render("plural-wrong", 5, "en")).toBe("points");
  });

  it("rejects a count that is not a number", () => {
    expect(renderError("points", "five").reason).toContain('points: expected a number of points, got "five"');
    expect(renderError("plural", undefined).reason).toBe('unknown variable "context.v"');
  });
});

describe("dates", () => {
  // 20:00 UTC on 23 November 2026: still Monday evening in Moscow, Tuesday morning in Vladivostok.
  const instant = new Date("2026-11-23T20:00:00Z");

  it.each([
    ["date", "ru", "Europe/Moscow", "23 ноября"],
    ["date", "ru", "Asia/Vladivostok", "24 ноября"],
    ["date", "en", "Europe/Moscow", "23 November"],
    ["date-year", "ru", "Europe/Moscow", "23 ноября 2026"],
    ["time", "ru", "Europe/Moscow", "23:00"],
    ["time", "ru", "Asia/Vladivostok", "06:00"],
    ["time", "en", "Europe/Moscow", "11:00 PM"],
    ["time", "en", "Asia/Vladivostok", "6:00 AM"],
    ["datetime", "ru", "Europe/Moscow", "23 ноября в 23:00"],
    ["datetime", "ru", "Asia/Vladivostok", "24 ноября в 06:00"],
    ["datetime", "en", "Europe/Moscow", "23 November at 11:00 PM"],
    ["datetime", "en", "Asia/Vladivostok", "24 November at 6:00 AM"],
    ["weekday", "ru", "Europe/Moscow", "понедельник"],
    ["weekday", "ru", "Asia/Vladivostok", "вторник"],
    ["weekday", "en", "Asia/Vladivostok", "Tuesday"],
  ] as const)("%s in %s, %s → %s", (key, locale, zone, expected) => {
    expect(render(key, instant, locale, zone)).toBe(expected);
  });

  it("accepts ISO strings, as dates arrive from JSON context", () => {
    expect(render("datetime", "2026-11-24T07:00:00.000Z")).toBe("24 ноября в 10:00");
    expect(render("date", "2026-11-24")).toBe("24 ноября");
  });

  it.each([
    [undefined, 'unknown variable "context.v"'],
    [null, "date: expected a date (a Date or an ISO 8601 string), got null"],
    ["tomorrow", 'got "tomorrow"'],
    [new Date("nonsense"), "got an invalid date"],
    [1764000000000, "got 1764000000000"],
  ])("%s throws instead of printing Invalid DateTime", (value, message) => {
    expect(renderError("date", value).reason).toContain(message);
  });

  it("refuses an unknown time zone", () => {
    expect(() => render("date", instant, "ru", "Mars/Olympus")).toThrow('unknown time zone "Mars/Olympus"');
  });
});

describe("eq, gt, default", () => {
  it("eq picks the block or the else branch", () => {
    expect(render("eq", "done")).toBe("yes");
    expect(render("eq", "open")).toBe("no");
    expect(render("eq", null)).toBe("no");
  });

  it("eq on a missing variable is an error, not a silent else", () => {
    expect(renderError("eq", undefined).reason).toBe('unknown variable "context.v"');
  });

  it("eq works inline, inside {{#if}}", () => {
    expect(render("eq-inline", 1)).toBe("one");
    expect(render("eq-inline", 2)).toBe("other");
  });

  it("gt compares numbers and rejects anything else", () => {
    expect(render("gt", 3)).toBe("positive");
    expect(render("gt", 0)).toBe("not positive");
    expect(renderError("gt", "3").reason).toContain('gt: expected a number, got "3"');
  });

  it("default fills in missing, null and empty values", () => {
    expect(render("default", "Анна")).toBe("Анна");
    expect(render("default", undefined)).toBe("друг");
    expect(render("default", null)).toBe("друг");
    expect(render("default", "")).toBe("друг");
    expect(render("default", 0)).toBe("0");
  });
});

it("registers helpers on its own environment, never the global Handlebars", () => {
  expect(Handlebars.helpers.money).toBeUndefined();
  expect(Handlebars.helpers.points).toBeUndefined();
});

describe("gender", () => {
  it("picks the word for a man or a woman from a full name or a stated gender", () => {
    expect(render("gender", "Орлова Ирина Викторовна")).toBe("рекомендовала");
    expect(render("gender", "Громов Артур Сергеевич")).toBe("рекомендовал");
    expect(render("gender", "female")).toBe("рекомендовала");
    expect(render("gender", "male")).toBe("рекомендовал");
  });

  it("uses the masculine form (as Russian does for «врач») or the fourth word when the name does not say", () => {
    expect(render("gender", "")).toBe("рекомендовал");
    expect(render("gender", null)).toBe("рекомендовал");
    expect(render("gender-unknown", "Саша Ким")).toBe("рады");
    expect(render("gender-unknown", "Анна Петрова")).toBe("рада");
  });

  it("names a missing person as a missing variable", () => {
    expect(renderError("gender", undefined).message).toMatch(/context\.v/);
  });
});
