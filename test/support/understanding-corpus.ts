// The labelled corpus of patients' replies (test/domain/understanding/corpus.*.tsv) and how the
// reader is scored on it: shared by the test that holds the thresholds and bench/understanding.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { CLEAR, EXPECTATIONS, INTENTS } from "../../src/domain/understanding/index.ts";
import type { Expectation, Intent, Language, Reader, Reading } from "../../src/domain/understanding/index.ts";
import { ROOT } from "./cli.ts";

export interface CorpusLine {
  language: Language;
  line: number;
  expecting: Expectation;
  label: Intent;
  text: string;
}

/** The corpus the word lists were written with, or (`holdout`) replies kept apart from that work. */
export function readCorpus(language: Language, set: "corpus" | "holdout" = "corpus"): CorpusLine[] {
  const file = path.join(ROOT, "test/domain/understanding", `${set}.${language}.tsv`);
  const lines: CorpusLine[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((raw, i) => {
      if (raw.trim() === "" || raw.startsWith("#")) return;
      const [expecting, label, ...rest] = raw.split("\t");
      const text = rest.join("\t");
      if (!(EXPECTATIONS as readonly string[]).includes(expecting!)) throw new Error(`${file}:${i + 1}: unknown expectation "${expecting}"`);
      if (!(INTENTS as readonly string[]).includes(label!)) throw new Error(`${file}:${i + 1}: unknown meaning "${label}"`);
      if (!text) throw new Error(`${file}:${i + 1}: no text`);
      lines.push({ language, line: i + 1, expecting: expecting as Expectation, label: label as Intent, text });
    });
  return lines;
}

const COMPLAINTS: readonly Intent[] = ["complaint", "urgent"];

/** What the flows do with a reading: an urgent escalation at once, the confirming question, or neither. */
export function outcomeOf(reading: Reading): "urgent" | "ask" | "none" {
  if (reading.intent === "urgent" || (reading.intent === "complaint" && reading.confidence >= CLEAR)) return "urgent";
  if (reading.intent === "complaint") return "ask";
  return "none";
}

export interface CorpusReport {
  lines: number;
  results: { line: CorpusLine; reading: Reading }[];
  /** Positive or neutral replies that would open an urgent escalation. */
  falseUrgent: { line: CorpusLine; reading: Reading }[];
  /** Complaints that would reach nobody (neither urgent nor the confirming question). */
  missedComplaints: { line: CorpusLine; reading: Reading }[];
  complaintRecall: number;
  /** label → predicted intent → count */
  confusion: Map<Intent, Map<Intent, number>>;
  perIntent: { intent: Intent; precision: number | null; recall: number | null; support: number }[];
}

export function scoreCorpus(reader: Reader, lines: CorpusLine[]): CorpusReport {
  const results = lines.map((line) => ({ line, reading: reader.read(line.text, line.language, line.expecting) }));
  const complaints = results.filter((r) => COMPLAINTS.includes(r.line.label));
  const missedComplaints = complaints.filter((r) => outcomeOf(r.reading) === "none");
  const falseUrgent = results.filter((r) => !COMPLAINTS.includes(r.line.label) && outcomeOf(r.reading) === "urgent");
  const confusion = new Map<Intent, Map<Intent, number>>();
  for (const { line, reading } of results) {
    const row = confusion.get(line.label) ?? new Map<Intent, number>();
    row.set(reading.intent, (row.get(reading.intent) ?? 0) + 1);
    confusion.set(line.label, row);
  }
  const perIntent = INTENTS.map((intent) => {
    const predicted = results.filter((r) => r.reading.intent === intent).length;
    const actual = results.filter((r) => r.line.label === intent).length;
    const hit = results.filter((r) => r.reading.intent === intent && r.line.label === intent).length;
    return { intent, precision: predicted ? hit / predicted : null, recall: actual ? hit / actual : null, support: actual };
  }).filter((p) => p.support > 0 || p.precision !== null);
  return {
    lines: lines.length,
    results,
    falseUrgent,
    missedComplaints,
    complaintRecall: complaints.length ? (complaints.length - missedComplaints.length) / complaints.length : 1,
    confusion,
    perIntent,
  };
}
