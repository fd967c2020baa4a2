import { describe, expect, it } from "vitest";
import { checkTemplates, formatProblem, referencedVariables, sampleView } from "../../../src/flows/templates/index.ts";
import { tmpTemplates, view } from "./tmp-templates.ts";

describe("checkTemplates", () => {
  const { store, problems } = tmpTemplates({
    "ru/nps.thanks.hbs": "Спасибо, {{patient.frstName}}!",
    "en/nps.thanks.hbs": "Thank you, {{patient.firstName}}!",
    "ru/visit.hbs": "Ждём вас {{datetime context.visitAt}}",
    "en/visit.hbs": "See you {{datetime context.visitAt}}",
    "ru/empty.hbs": "{{#if patient.linked}}{{/if}}\n",
    "en/empty.hbs": "Hello",
    "ru/garbage.hbs": "Статус: {{context.status}}",
    "en/garbage.hbs": "Status: {{context.status}}",
    "ru/tested.hbs": "{{#if patient.lnked}}да{{/if}}{{#if clinic.name}} {{clinic.name}}{{/if}}",
    "en/tested.hbs": "{{#if patient.linked}}yes{{else}}no{{/if}}",
    "ru/name.hbs": "{{default patient.firstName \"Здравствуйте\"}}",
    "en/name.hbs": "{{default patient.firstName \"Hello\"}}",
    "ru/broken.hbs": "{{#if}",
    "en/broken.hbs": "ok",
  });
  const views = [
    view({ context: { visitAt: "2026-11-24T07:00:00Z", status: "null" } }),
    view({ context: { visitAt: "2026-11-24T07:00:00Z", status: "ok" }, patient: { firstName: "", fullName: "", linked: false } }),
  ];

  it("starts from a store with only the deliberately broken file", () => {
    expect(problems.map((p) => p.file)).toEqual(["templates/ru/broken.hbs"]);
  });

  it("passes good templates", () => {
    expect(checkTemplates(store, ["visit", "name"], views)).toEqual([]);
  });

  it("names an unknown variable, once per file however many views", () => {
    expect(checkTemplates(store, ["nps.thanks"], views).map(formatProblem)).toEqual([
      'templates/ru/nps.thanks.hbs: unknown variable "patient.frstName"',
    ]);
  });

  it("reports a missing context variable the flow did not provide", () => {
    expect(checkTemplates(store, ["visit"], [sampleView()]).map(formatProblem)).toEqual([
      'templates/ru/visit.hbs: unknown variable "context.visitAt"',
      'templates/en/visit.hbs: unknown variable "context.visitAt"',
    ]);
  });

  it("reports a template that renders an empty text", () => {
    expect(checkTemplates(store, ["empty"], views).map(formatProblem)).toEqual([
      "templates/ru/empty.hbs: renders an empty text",
    ]);
  });

  it("reports text that reads like a broken value", () => {
    expect(checkTemplates(store, ["garbage"], views).map(formatProblem)).toEqual([
      'templates/ru/garbage.hbs: renders "null": "Статус: null"',
      'templates/en/garbage.hbs: renders "null": "Status: null"',
    ]);
  });

  it("catches a misspelt path that is only tested, never printed", () => {
    expect(checkTemplates(store, ["tested"], views).map(formatProblem)).toEqual([
      'templates/ru/tested.hbs: unknown variable "patient.lnked"',
    ]);
  });

  it("reports a key with no file at all, and leaves broken files to loadTemplates", () => {
    expect(checkTemplates(store, ["nps.nope", "broken"], views).map(formatProblem)).toEqual([
      "templates/ru/nps.nope.hbs: missing",
    ]);
  });

  it("uses the sample view when given none", () => {
    expect(checkTemplates(store, ["name", "nps.thanks"], []).map(formatProblem)).toEqual([
      'templates/ru/nps.thanks.hbs: unknown variable "patient.frstName"',
    ]);
  });
});

describe("referencedVariables", () => {
  const { store } = tmpTemplates({
    "ru/all.hbs": [
      "{{patient.firstName}}, {{points bonus.balance}} {{plural bonus.balance \"балл\" \"балла\" \"баллов\"}}",
      "{{#if context.visitAt}}{{datetime context.visitAt year=context.showYear}}{{else}}{{clinic.phone}}{{/if}}",
      "{{#eq context.status \"done\"}}{{default result.escalation.dueAt \"скоро\"}}{{/eq}}",
      "{{#each bonus.expiringSoon}}{{points amount}} {{date this.expiresAt}} {{@index}} {{../clinic.name}}{{/each}}",
      "{{#each context.items as |item i|}}{{item.title}} {{i}} {{@root.patient.fullName}}{{/each}}",
      "{{#with result.booking}}{{doctor}}{{/with}}",
      "{{#if (gt context.count 0)}}{{context.count}}{{/if}}",
      "{{lookup context.labels context.status}}",
      "{{patient.firstName}}",
    ].join("\n"),
    "en/all.hbs": "{{clinic.name}}",
  });

  it("lists the view paths a template reads, in order, once each", () => {
    expect(referencedVariables(store, "all", "ru")).toEqual([
      "patient.firstName",
      "bonus.balance",
      "context.visitAt",
      "context.showYear",
      "clinic.phone",
      "context.status",
      "result.escalation.dueAt",
      "bonus.expiringSoon",
      "clinic.name",
      "context.items",
      "patient.fullName",
      "result.booking",
      "context.count",
      "context.labels",
    ]);
  });

  it("reads the requested locale, ru by default", () => {
    expect(referencedVariables(store, "all", "en")).toEqual(["clinic.name"]);
    expect(referencedVariables(store, "all")).toContain("patient.firstName");
  });

  it("gives nothing for an unknown key", () => {
    expect(referencedVariables(store, "nope", "ru")).toEqual([]);
  });
});

describe("sampleView", () => {
  it("is complete and renders every field a template may print", () => {
    const v = sampleView();
    expect(v.locale).toBe("ru");
    expect(v.timezone).toBe("Europe/Moscow");
    expect(v.patient.firstName).not.toBe("");
    expect(v.bonus.nextExpiry).toBeInstanceOf(Date);
    expect(v.bonus.expiringSoon.length).toBeGreaterThan(0);
  });

  it("merges overrides deeply and never shares objects between calls", () => {
    const a = sampleView({ patient: { firstName: "" }, context: { visitAt: "2026-11-24T07:00:00Z" } });
    expect(a.patient).toEqual({ firstName: "", fullName: "Анна Петрова", gender: "female", linked: true });
    expect(a.context).toEqual({ visitAt: "2026-11-24T07:00:00Z" });
    a.bonus.expiringSoon.push({ amount: 1, expiresAt: new Date() });
    a.bonus.nextExpiry?.setFullYear(2000);
    const b = sampleView();
    expect(b.bonus.expiringSoon).toHaveLength(1);
    expect(b.bonus.nextExpiry?.getUTCFullYear()).toBe(2026);
  });

  it("replaces lists and dates instead of merging them", () => {
    const v = sampleView({ bonus: { expiringSoon: [], nextExpiry: null } });
    expect(v.bonus.expiringSoon).toEqual([]);
    expect(v.bonus.nextExpiry).toBeNull();
  });
});
