// How patient texts show the clinic: the phone formatted, the name said once, a doctor's initials
// ending a sentence without a second dot — through the shipped templates, as patients read them.
import { describe, expect, it } from "vitest";
import { clinicBrand } from "../../../src/domain/clinic/clinic-name.ts";
import { clinicPhoneHref, formatClinicPhone } from "../../../src/domain/clinic/phone.ts";
import { checkProfileForm } from "../../../src/domain/clinic/profile.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { clinicTextFields } from "../../../src/domain/clinic/text-fields.ts";
import { loadTemplates, sampleView } from "../../../src/flows/templates/index.ts";
import { SHIPPED } from "../../support/runtime.ts";

describe("the clinic in patient texts", () => {
  it("formats the phone the way Russian clinics print it, with a tel: link; other countries internationally", () => {
    expect(formatClinicPhone("+74951234567")).toBe("+7 495 123-45-67");
    expect(formatClinicPhone("8 (916) 123-45-67")).toBe("+7 916 123-45-67");
    expect(formatClinicPhone("+49 30 1234567")).toBe("+49 30 1234567");
    expect(formatClinicPhone("")).toBe("");
    expect(clinicPhoneHref("+7 495 123-45-67")).toBe("tel:+74951234567");
    expect(clinicPhoneHref("звоните нам")).toBeNull();
  });

  it("takes the clinic's own name from the quotes, or without the word «Клиника»", () => {
    expect(clinicBrand("Клиника «Добрый доктор»")).toBe("Добрый доктор");
    expect(clinicBrand("Стоматология \"Улыбка\"")).toBe("Улыбка");
    expect(clinicBrand("Клиника Медси")).toBe("Медси");
    expect(clinicBrand("Добрый доктор")).toBe("Добрый доктор");
  });

  it("renders the shipped texts: the formatted phone, «клиники «Добрый доктор»», «врач Орлова И. В.» with one dot", () => {
    const { store, problems } = loadTemplates(SHIPPED.templatesDir);
    expect(problems).toEqual([]);
    const settings = parseClinicSettings({ phone: "+74951234567", address: "Москва, ул. Садовая-Кудринская, 12" });
    const clinic = { ...clinicTextFields("Клиника «Добрый доктор»", settings), bonusSharePercent: 50 };
    const result = { visit: { startsAt: new Date("2026-11-24T07:00:00Z"), service: "Консультация терапевта", doctor: "Орлова И. В." }, escalation: { dueAt: new Date("2026-11-24T09:00:00Z") } };
    const view = sampleView({ clinic, result });
    expect(store.render("visit.reminder", view)).toContain("Консультация терапевта, врач Орлова И. В. Адрес: Москва, ул. Садовая-Кудринская, 12.\n");
    expect(store.render("visit.reminder", sampleView({ clinic, result: { ...result, visit: { ...result.visit, doctor: "Орлова Ирина Викторовна" } } }))).toContain("врач Орлова Ирина Викторовна. Адрес");
    expect(store.render("link.ask", view)).toContain("Это чат-помощник клиники «Добрый доктор».");
    expect(store.render("common.complaint-noted", view)).toContain("звоните в клинику: +7 495 123-45-67, а в экстренном случае — 103.");
    expect(store.render("visit.reminder", { ...view, locale: "en" })).toContain("Орлова И. В. Address:");
  });

  it("gives the first review link to texts, and the older single review address while there is none", () => {
    expect(clinicTextFields("К", parseClinicSettings({ reviewUrl: "https://example.org/old" })).reviewUrl).toBe("https://example.org/old");
    expect(clinicTextFields("К", parseClinicSettings({ reviewUrl: "https://example.org/old", reviewLinks: [{ label: "2ГИС", url: "https://2gis.ru/x" }] })).reviewUrl).toBe("https://2gis.ru/x");
  });

  it("checks a profile form field by field", () => {
    const week = { mon: { start: "09:00", end: "18:00" }, tue: null, wed: null, thu: null, fri: null, sat: { start: "9:00", end: "15:00" }, sun: { start: "15:00", end: "10:00" } };
    const checked = checkProfileForm({ name: "Клиника", timezone: "Asia/Omsk", address: "", phone: "8 3812 22-33-44", reviewLinks: [{ label: "", url: "https://2gis.ru/x" }], week, holidays: ["05-09", "9 мая"], workdays: [], moveWeekendHolidays: true });
    expect(checked.ok ? [] : checked.problems.map((p) => `${p.field}:${p.code}`)).toEqual(["reviewLinks.0.label:link-label-empty", "week.sat:time-invalid", "week.sun:day-ends-early", "holidays.1:holiday-invalid"]);
    const ok = checkProfileForm({ name: " Клиника ", timezone: "Asia/Omsk", address: "", phone: "8 3812 22-33-44", reviewLinks: [{ label: "", url: "" }], week: { ...week, sat: null, sun: null }, holidays: ["05-09"], workdays: [], moveWeekendHolidays: false });
    expect(ok.ok && ok.profile).toMatchObject({ name: "Клиника", phone: "+73812223344", reviewLinks: [], calendar: { holidays: ["05-09"], moveWeekendHolidays: false } });
  });
});
