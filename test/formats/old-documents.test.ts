import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSettingsDocument } from "../../src/domain/clinic/settings-document.ts";
import { settingsChecks } from "../../src/operators/settings/checks.ts";
import { parseClinicSettings, SETTINGS_FORMAT_VERSION } from "../../src/domain/clinic/settings.ts";
import { flowFormat, isoDelay } from "../../src/flows/definition/format.ts";
import { FLOW_FORMAT_VERSION } from "../../src/flows/definition/schema.ts";
import { loadFlowCatalog } from "../../src/flows/loader/load-flows.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { readSession, SESSION_VERSION, tryReadSession } from "../../src/flows/runtime/session.ts";
import { FormatVersionError } from "../../src/util/versioned/stored-format.ts";
import { SHIPPED } from "../support/runtime.ts";

// Each stored format's old shapes (test/fixtures/formats/<format>/v<N>.json) are read and come
// out in today's shape. Changing a stored shape adds a step and a fixture of the shape it replaces.

const fixture = (format: string, version: number): Record<string, any> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/formats", format, `v${version}.json`), "utf8"));

describe("the session format", () => {
  it("reads a session of the first version (the shape the runtime shipped with, unchanged since)", () => {
    const stored = fixture("session", 1);
    const session = readSession(stored);
    expect(SESSION_VERSION).toBe(1);
    expect(session).toEqual(stored);
    expect(session.machine.value).toBe("confirm");
    expect(session.timers[0]!.event).toBe("xstate.after.86400000.opt-out.confirm");
  });

  it("refuses a session written by a newer CareBot, and tryReadSession says null instead of throwing", () => {
    const newer = { ...fixture("session", 1), v: SESSION_VERSION + 1 };
    expect(() => readSession(newer)).toThrow(FormatVersionError);
    expect(() => readSession(newer)).toThrow(`this session is version ${SESSION_VERSION + 1}, newer than this CareBot reads (${SESSION_VERSION})`);
    expect(tryReadSession(newer)).toBeNull();
  });
});

describe("the flow definition format", () => {
  it("upgrades a format-1 definition: delays in milliseconds become ISO-8601 durations, the rest stays", () => {
    const stored = fixture("flow", 1);
    expect(stored.formatVersion).toBeUndefined();
    const def = flowFormat.read(stored);
    expect(FLOW_FORMAT_VERSION).toBe(2);
    expect(def.formatVersion).toBe(2);
    expect(def.states.confirm!.after).toEqual({ P1D: "kept-silently" });
    const { formatVersion: _v, ...rest } = def;
    // Fields added to the format since come with their defaults (triggers.intents).
    expect(rest).toEqual({
      ...stored,
      triggers: { ...stored.triggers, intents: [] },
      states: { ...stored.states, confirm: { ...stored.states.confirm, after: { P1D: "kept-silently" } } },
    });
  });

  it("writes every millisecond delay as the same duration", () => {
    expect([60_000, 1_800_000, 5_400_000, 86_400_000, 90_061_000, 1_500, 0].map(isoDelay)).toEqual(["PT1M", "PT30M", "PT1H30M", "P1D", "P1DT1H1M1S", "PT1.5S", "PT0S"]);
  });

  it("leaves a definition of today's format as it is", () => {
    const shipped = JSON.parse(readFileSync(path.join(SHIPPED.flowsDir, "opt-out.json"), "utf8"));
    expect(flowFormat.upgrade(shipped)).toEqual({ ...shipped, formatVersion: 2 });
  });

  it("loads a format-1 file from flows/, and names a file of a newer format in the clinic's language", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-formats-"));
    try {
      cpSync(SHIPPED.flowsDir, path.join(dir, "flows"), { recursive: true });
      cpSync(SHIPPED.templatesDir, path.join(dir, "templates"), { recursive: true });
      const { $schema: _s, ...old } = fixture("flow", 1);
      writeFileSync(path.join(dir, "flows", "opt-out.json"), JSON.stringify(old, null, 2));
      const options = { flowsDir: path.join(dir, "flows"), templatesDir: path.join(dir, "templates"), root: dir, registry: createRegistry() };
      const loaded = loadFlowCatalog(options);
      expect(loaded.problems).toEqual([]);
      expect(loaded.catalog!.get("opt-out")!.def.states.confirm!.after).toEqual({ P1D: "kept-silently" });

      writeFileSync(path.join(dir, "flows", "opt-out.json"), JSON.stringify({ ...old, formatVersion: 3 }, null, 2));
      expect(loadFlowCatalog({ ...options, lang: "ru" }).problems).toEqual([
        { file: "flows/opt-out.json", path: "formatVersion", message: "файл записан в формате 3, а эта версия CareBot читает форматы до 2: обновите CareBot" },
      ]);
      expect(loadFlowCatalog(options).problems).toEqual([
        { file: "flows/opt-out.json", path: "formatVersion", message: "the file is written in flow format 3, and this CareBot reads formats up to 2: update CareBot" },
      ]);
      // Today's format has one way to write a delay.
      writeFileSync(path.join(dir, "flows", "opt-out.json"), JSON.stringify({ ...old, formatVersion: 2 }, null, 2));
      expect(loadFlowCatalog({ ...options, lang: "ru" }).problems).toEqual([
        { file: "flows/opt-out.json", path: "states.confirm.after.86400000", message: "«86400000» — не задержка (нужна длительность: «PT30M» — 30 минут, «PT2H» — 2 часа, «P1D» — 1 день)" },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the clinic settings format", () => {
  it("upgrades a format-1 document: the business hours of every day become the working calendar, the rest stays", () => {
    const stored = fixture("settings", 1);
    const settings = parseClinicSettings(stored);
    expect(SETTINGS_FORMAT_VERSION).toBe(2);
    expect(settings.formatVersion).toBe(2);
    const hours = { start: "08:30", end: "21:00" };
    expect(settings.calendar.week).toEqual({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: null, sun: null });
    expect(settings.sla).toEqual({ urgentMinutes: 30, highHours: 4, normalHours: 24, lowHours: 72, bookingHours: 2 });
    expect(settings).toMatchObject({
      address: stored.address,
      reviewUrl: stored.reviewUrl,
      bonus: stored.bonus,
      quietHours: stored.quietHours,
      marketingCapDays: 5,
      npsDelayMinutes: 180,
      cannedReplies: stored.cannedReplies,
      // Schedules added since keep their defaults.
      schedules: { ...stored.schedules, visitReminders: "*/5 * * * *", waitlist: "*/5 * * * *" },
    });
  });

  it("accepts a format-1 document submitted as it is (console, carebot clinic import), and saves it in today's format", () => {
    const checked = checkSettingsDocument(fixture("settings", 1), settingsChecks, "ru");
    expect(checked).toMatchObject({ ok: true, settings: { formatVersion: 2 } });
    // What was saved reads back the same.
    if (checked.ok) expect(parseClinicSettings(JSON.parse(JSON.stringify(checked.settings)))).toEqual(checked.settings);
  });

  it("refuses a document of a newer format, in the language of the person who submitted it", () => {
    expect(checkSettingsDocument({ formatVersion: 3 }, settingsChecks, "ru")).toEqual({
      ok: false,
      problems: [{ path: "formatVersion", message: "равно 3: документ записан более новой версией CareBot, эта его прочесть не может (понимает до 2); сначала обновите CareBot" }],
    });
    expect(checkSettingsDocument({ formatVersion: "2" }, settingsChecks, "en")).toEqual({
      ok: false,
      problems: [{ path: "formatVersion", message: "must be a whole number from 1 to 2 (or left out for a document of the first format)" }],
    });
    expect(() => parseClinicSettings({ formatVersion: 3 })).toThrow("this clinic settings is version 3, newer than this CareBot reads (2)");
  });
});
