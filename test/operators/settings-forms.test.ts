// Issue #17: "every setting a manager edits has a form". Walks the clinic settings document (its
// schema's keys and the defaults under them) and finds, for every setting, the form control that
// edits it: a field of the settings page (/console/settings) or of the clinic's page
// (/console/clinic). A setting added to the schema without a control fails here.
import { describe, expect, it } from "vitest";
import { clinicSettingsSchema, parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { clinicPage } from "../../src/operators/clinic/page.ts";
import { profileFormOf } from "../../src/operators/clinic/form.ts";
import { fieldId, SECTIONS } from "../../src/operators/settings/fields.ts";
import { settingsPage } from "../../src/operators/settings/page.ts";

/** Not a manager's setting: the document's format, and the single review link older documents had (the clinic page's list replaced it). */
const NOT_EDITED = ["formatVersion", "reviewUrl"];

/** What the clinic's page edits, by the names of its inputs. */
const CLINIC_PAGE: Record<string, string[]> = {
  address: ["address"],
  phone: ["phone"],
  reviewLinks: ["review_label", "review_url"],
  "calendar.week": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].flatMap((d) => [`${d}_on`, `${d}_start`, `${d}_end`]),
  "calendar.holidays": ["holidays"],
  "calendar.workdays": ["workdays"],
  "calendar.moveWeekendHolidays": ["move_weekend"],
};

/** Every setting's path: objects are walked down; lists, maps and values are one setting each. */
function settingPaths(): string[] {
  const defaults = parseClinicSettings({}) as Record<string, unknown>;
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    const plain = value !== null && typeof value === "object" && !Array.isArray(value);
    // A map (categoryPercent, whatsappTemplates, the week's days) is edited as one list.
    const map = ["bonus.categoryPercent", "whatsappTemplates", "calendar.week"].includes(prefix);
    if (plain && !map && Object.keys(value as object).length > 0) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, `${prefix}.${k}`);
    } else paths.push(prefix);
  };
  for (const key of Object.keys(clinicSettingsSchema.shape)) walk(defaults[key], key);
  return paths.filter((p) => !NOT_EDITED.includes(p));
}

describe("every clinic setting has a form control", () => {
  it("finds each setting's control on the settings page or the clinic's page", async () => {
    const settings = await settingsPage({ nonce: "n", csrfToken: "c", lang: "ru", clinicName: "Клиника", timezone: "Europe/Moscow", operatorName: "Админ" });
    const defaults = parseClinicSettings({});
    const clinic = await clinicPage({
      nonce: "n", lang: "ru", csrfToken: "c", operatorName: "Админ", clinicName: "Клиника", version: "1", problems: {}, now: new Date("2026-11-23T08:00:00Z"),
      form: profileFormOf({ name: "Клиника", timezone: "Europe/Moscow", address: "", phone: "", reviewLinks: [], calendar: defaults.calendar }),
    });
    const onSettingsPage = SECTIONS.flatMap((s) => s.fields) as string[];
    const paths = settingPaths();
    // The walk reaches deep settings, not only the top keys.
    expect(paths).toEqual(expect.arrayContaining(["bonus.maxBillShare", "schedules.timers", "calendar.moveWeekendHolidays", "telegramBot", "campaigns"]));
    const missing: string[] = [];
    for (const path of paths) {
      const field = onSettingsPage.find((f) => f === path || path.startsWith(`${f}.`));
      if (field) {
        if (!settings.includes(`id="${fieldId(field)}"`) || !settings.includes(`data-path="${field}"`)) missing.push(`${path}: no control #${fieldId(field)} on /console/settings`);
        continue;
      }
      const inputs = CLINIC_PAGE[path];
      if (!inputs) {
        missing.push(`${path}: no form edits it`);
        continue;
      }
      for (const name of inputs) if (!clinic.includes(`name="${name}"`)) missing.push(`${path}: no input "${name}" on /console/clinic`);
    }
    expect(missing).toEqual([]);
  });
});
