import { describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { clinicSettingsSchema } from "../../src/domain/clinic/settings.ts";
import { checkSettingsDocument } from "../../src/domain/clinic/settings-document.ts";
import { settingsChecks } from "../../src/operators/settings/checks.ts";
import { whatsappKindOf } from "../../src/flows/runtime/whatsapp-kind.ts";
import { sampleView } from "../../src/flows/templates/index.ts";

const view = sampleView({ result: { visit: { startsAt: new Date("2026-12-03T12:00:00Z") } } });

describe("a WhatsApp message's kind and the clinic's template for it", () => {
  it("renders the template's parameters from the message's view, one line each", () => {
    const templates = { "visit.reminder": { name: "visit_reminder", language: "ru", params: ["{{patient.firstName}}", "{{datetime result.visit.startsAt}}", "{{clinic.address}}\n"] } };
    const warnings: string[] = [];
    expect(whatsappKindOf("visit.reminder", templates, view, (w) => warnings.push(w))).toEqual({
      kind: "visit.reminder",
      template: { name: "visit_reminder", language: "ru", params: ["Анна", "3 декабря в 15:00", "Москва, ул. Примерная, 1"] },
    });
    expect(whatsappKindOf("nps.ask", templates, view, (w) => warnings.push(w))).toEqual({ kind: "nps.ask" });
    expect(warnings).toEqual([]);
  });

  it("a parameter that cannot be filled in leaves the template out and says which", () => {
    const warnings: string[] = [];
    const templates = { "visit.reminder": { name: "visit_reminder", language: "ru", params: ["{{patient.firstName}}", "{{patient.frstName}}"] } };
    expect(whatsappKindOf("visit.reminder", templates, view, (w) => warnings.push(w))).toEqual({ kind: "visit.reminder" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^whatsappTemplates\.visit\.reminder\.params\.1: .*frstName/);
  });

  it("the settings accept a template per message kind and refuse a bad name, language or parameter", () => {
    expect(parseClinicSettings({}).whatsappTemplates).toEqual({});
    expect(parseClinicSettings({ whatsappTemplates: { "visit.reminder": { name: "visit_reminder" } } }).whatsappTemplates).toEqual({ "visit.reminder": { name: "visit_reminder", language: "ru", params: [] } });
    const bad = clinicSettingsSchema.safeParse({
      whatsappTemplates: { "visit.reminder": { name: "Visit Reminder", language: "russian", params: ["{{#if x}}"] }, "Not A Key": { name: "x" } },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["whatsappTemplates.visit.reminder.name", "whatsappTemplates.visit.reminder.language", "whatsappTemplates.Not A Key"]));
    // A parameter is a template: the template engine judges it when the settings are saved.
    const params = checkSettingsDocument({ whatsappTemplates: { "visit.reminder": { name: "visit_reminder", params: ["{{#if x}}"] } } }, settingsChecks);
    expect(params.ok ? [] : params.problems.map((p) => p.path)).toEqual(["whatsappTemplates.visit.reminder.params.0"]);
  });
});
