import { describe, expect, it } from "vitest";
import { defaultReader } from "../../../src/domain/understanding/index.ts";
import { readCorpus, scoreCorpus } from "../../support/understanding-corpus.ts";

// The thresholds of issue 14: no positive or neutral reply may open an urgent escalation, and
// at least 95 % of complaints must reach a person (at once, or after the confirming question).
// `npx tsx bench/understanding.ts` prints the whole table.
describe("reading patients' replies: the labelled corpus", () => {
  const reader = defaultReader();

  it.each(["ru", "en"] as const)("%s: holds enough real-sounding replies of every kind", (language) => {
    const lines = readCorpus(language);
    expect(lines.length).toBeGreaterThanOrEqual(language === "ru" ? 300 : 50);
    for (const expecting of ["checkin", "nps-comment", "free"] as const) expect(lines.filter((l) => l.expecting === expecting).length).toBeGreaterThan(language === "ru" ? 30 : 5);
  });

  it.each(["ru", "en"] as const)("%s: no positive or neutral reply becomes urgent", (language) => {
    const report = scoreCorpus(reader, readCorpus(language));
    expect(report.falseUrgent.map((r) => `${r.line.line}: ${r.line.text} → ${r.reading.intent} ${r.reading.confidence}`)).toEqual([]);
  });

  it.each(["ru", "en"] as const)("%s: at least 95 %% of complaints reach a person", (language) => {
    const report = scoreCorpus(reader, readCorpus(language));
    expect(report.complaintRecall, report.missedComplaints.map((r) => r.line.text).join(" | ")).toBeGreaterThanOrEqual(0.95);
    // Red flags are urgent at once, never left to the confirming question.
    const red = report.results.filter((r) => r.line.label === "urgent");
    expect(red.filter((r) => r.reading.intent !== "urgent").map((r) => r.line.text)).toEqual([]);
  });

  it("reads most replies as they were meant (precision and recall per meaning stay high)", () => {
    const report = scoreCorpus(reader, [...readCorpus("ru"), ...readCorpus("en")]);
    const correct = report.results.filter((r) => r.reading.intent === r.line.label).length;
    expect(correct / report.lines).toBeGreaterThanOrEqual(0.9);
  });
});
