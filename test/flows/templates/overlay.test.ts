import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveDraft, publish } from "../../../src/domain/content/versions.ts";
import { loadClinicTexts } from "../../../src/flows/templates/clinic-texts.ts";
import { compileTextLayer, overlayTemplates } from "../../../src/flows/templates/overlay.ts";
import { TemplateRenderError } from "../../../src/flows/templates/store.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic } from "../../support/fixtures.ts";
import { tmpTemplates, view } from "./tmp-templates.ts";

const files = () =>
  tmpTemplates({
    "ru/nps.ask.hbs": "Оцените нас, {{patient.firstName}}\n",
    "en/nps.ask.hbs": "Rate us, {{patient.firstName}}\n",
    "ru/menu.prompt.hbs": "Чем помочь?",
  }).store;

describe("a clinic's texts over the files", () => {
  it("renders the layer's text first, then the file in that language, then the Russian ones", () => {
    const base = files();
    const layer = compileTextLayer([
      { key: "nps.ask", locale: "ru", source: "{{patient.firstName}}, как прошёл визит?", file: "clinic text ru/nps.ask" },
      { key: "menu.prompt", locale: "ru", source: "Что для вас сделать?", file: "clinic text ru/menu.prompt" },
    ]);
    const texts = overlayTemplates(base, layer);
    expect(texts.render("nps.ask", view({ locale: "ru" }))).toBe("Анна, как прошёл визит?");
    expect(texts.render("nps.ask", view({ locale: "en" }))).toBe("Rate us, Анна"); // the English file stays
    expect(texts.render("menu.prompt", view({ locale: "en" }))).toBe("Что для вас сделать?"); // no English at all: the clinic's Russian
    expect(texts.template("nps.ask", "ru")?.file).toBe("clinic text ru/nps.ask");
    expect(texts.template("nps.ask", "en")?.source).toBe("Rate us, {{patient.firstName}}\n");
    expect(() => texts.render("nps.nope", view({ locale: "ru" }))).toThrow(TemplateRenderError);
    expect(overlayTemplates(base, compileTextLayer([]))).toBe(base);
  });

  it("leaves out a text that does not compile and says why, so the file is used", () => {
    const layer = compileTextLayer([{ key: "nps.ask", locale: "ru", source: "{{#if patient.firstName}}Привет", file: "clinic text ru/nps.ask" }]);
    expect(layer.size).toBe(0);
    expect(layer.problems).toEqual([{ file: "clinic text ru/nps.ask", message: expect.stringMatching(/^line 1: Parse error/) }]);
    expect(overlayTemplates(files(), layer).render("nps.ask", view({ locale: "ru" }))).toBe("Оцените нас, Анна");
  });
});

describe(`a clinic's published texts, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t?.dispose());

  it("reads only this clinic's published versions, never drafts or another clinic's", async () => {
    const a = (await createClinic(t.db.prisma)).id;
    const b = (await createClinic(t.db.prisma)).id;
    const at = new Date("2026-12-03T10:00:00Z");
    await t.db.transaction(async (tx) => {
      await saveDraft(tx, { clinicId: a, kind: "text", key: "nps.ask:ru" }, { body: { source: "Клиника А спрашивает" }, authorId: null, at });
      await publish(tx, { clinicId: a, kind: "text", key: "nps.ask:ru" }, 1, at);
      await saveDraft(tx, { clinicId: a, kind: "text", key: "nps.ask:ru" }, { body: { source: "Черновик А" }, authorId: null, at });
      await saveDraft(tx, { clinicId: b, kind: "text", key: "nps.ask:ru" }, { body: { source: "Клиника Б спрашивает" }, authorId: null, at });
      await publish(tx, { clinicId: b, kind: "text", key: "nps.ask:ru" }, 1, at);
    });
    const forA = overlayTemplates(files(), await loadClinicTexts(t.db.prisma, a));
    const forB = overlayTemplates(files(), await loadClinicTexts(t.db.prisma, b));
    expect(forA.render("nps.ask", view({ locale: "ru" }))).toBe("Клиника А спрашивает");
    expect(forB.render("nps.ask", view({ locale: "ru" }))).toBe("Клиника Б спрашивает");
    expect(forA.render("menu.prompt", view({ locale: "ru" }))).toBe("Чем помочь?");
  });
});
