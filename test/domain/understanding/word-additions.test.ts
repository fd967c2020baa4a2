import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFlowCatalog } from "../../../src/flows/loader/load-flows.ts";
import { createRegistry } from "../../../src/flows/registry/index.ts";
import { SHIPPED } from "../../support/runtime.ts";

/** The shipped flows and texts, with a clinic's word list file in flows/words/. */
function clinicWith(words: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "carebot-words-"));
  cpSync(SHIPPED.flowsDir, path.join(dir, "flows"), { recursive: true });
  mkdirSync(path.join(dir, "flows", "words"), { recursive: true });
  for (const [file, text] of Object.entries(words)) writeFileSync(path.join(dir, "flows", "words", file), text);
  dirs.push(dir);
  return loadFlowCatalog({ flowsDir: path.join(dir, "flows"), templatesDir: SHIPPED.templatesDir, registry: createRegistry(), root: dir });
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("a clinic's own words (flows/words/<language>.json)", () => {
  it("are read along with CareBot's", () => {
    const { catalog, problems } = clinicWith({ "ru.json": JSON.stringify({ symptoms: ["флюс"], fine: ["огонь"] }), "en.json": JSON.stringify({ fine: ["ace"] }) });
    expect(problems).toEqual([]);
    expect(catalog!.reader.read("кажется, флюс", "ru", "checkin")).toMatchObject({ intent: "complaint" });
    expect(catalog!.reader.read("огонь", "ru", "checkin")).toMatchObject({ intent: "fine" });
    expect(catalog!.reader.read("ace", "en", "checkin")).toMatchObject({ intent: "fine" });
    // CareBot's own words still count.
    expect(catalog!.reader.read("щека опухла", "ru", "checkin")).toMatchObject({ intent: "complaint" });
  });

  it("refuse a file that is not JSON or names a list that does not exist, saying which", () => {
    const broken = clinicWith({ "ru.json": "{ symptoms: [", "en.json": JSON.stringify({ symptom: ["ache"], fine: "great" }) });
    expect(broken.catalog).toBeNull();
    expect(broken.problems).toEqual([
      { file: "flows/words/ru.json", message: expect.stringMatching(/^not valid JSON: /) },
      { file: "flows/words/en.json", path: "fine", message: "must be a list of words or phrases" },
      { file: "flows/words/en.json", path: "symptom", message: expect.stringMatching(/^no list "symptom" \(lists: redFlags, .*symptoms/) },
    ]);
  });
});
