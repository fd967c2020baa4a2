// How well CareBot reads patients' free text, on the labelled corpus under test/domain/understanding:
// the confusion table, per-intent precision and recall, false urgent alarms and missed complaints.
//   npx tsx bench/understanding.ts [--lang ru|en] [--errors]
import { INTENTS, defaultReader } from "../src/domain/understanding/index.ts";
import type { Intent, Language } from "../src/domain/understanding/index.ts";
import { outcomeOf, readCorpus, scoreCorpus } from "../test/support/understanding-corpus.ts";

const args = process.argv.slice(2);
const only = args.includes("--lang") ? (args[args.indexOf("--lang") + 1] as Language) : null;
const languages: Language[] = only ? [only] : ["ru", "en"];
const pct = (v: number | null) => (v === null ? "   —  " : `${(v * 100).toFixed(1).padStart(5)}%`);

const sets = [
  ...languages.map((language) => ({ name: language, lines: readCorpus(language) })),
  // Replies written after the lists were tuned and never used to tune them: the honest figure.
  ...(languages.includes("ru") ? [{ name: "ru holdout", lines: readCorpus("ru", "holdout") }] : []),
];
for (const { name, lines } of sets) {
  const report = scoreCorpus(defaultReader(), lines);
  const labels = INTENTS.filter((i) => report.confusion.has(i) || report.results.some((r) => r.reading.intent === i));
  console.log(`\n== ${name}: ${report.lines} labelled replies ==\n`);
  console.log("confusion (rows: label, columns: read as)");
  const short = (i: Intent) => i.slice(0, 6).padStart(7);
  console.log(`${"".padEnd(13)}${labels.map(short).join("")}`);
  for (const label of labels) {
    const row = report.confusion.get(label);
    if (!row) continue;
    console.log(`${label.padEnd(13)}${labels.map((p) => String(row.get(p) ?? "·").padStart(7)).join("")}`);
  }
  console.log("\nintent        precision  recall  n");
  for (const p of report.perIntent) console.log(`${p.intent.padEnd(13)} ${pct(p.precision)}   ${pct(p.recall)}  ${p.support}`);
  console.log(`\ncomplaints escalated (at once or after the confirming question): ${pct(report.complaintRecall)}`);
  console.log(`false urgent escalations on positive or neutral replies: ${report.falseUrgent.length}`);
  const asked = report.results.filter((r) => outcomeOf(r.reading) === "ask").length;
  console.log(`confirming questions asked: ${asked}`);
  for (const r of report.falseUrgent) console.log(`  FALSE URGENT ${r.line.line}: «${r.line.text}» → ${r.reading.intent} ${r.reading.confidence}`);
  for (const r of report.missedComplaints) console.log(`  MISSED ${r.line.line}: «${r.line.text}» → ${r.reading.intent}`);
  if (args.includes("--errors")) {
    for (const r of report.results.filter((x) => x.reading.intent !== x.line.label)) {
      console.log(`  ${r.line.line} [${r.line.expecting}] ${r.line.label} → ${r.reading.intent} ${r.reading.confidence}: «${r.line.text}» (${r.reading.evidence.join(", ")})`);
    }
  }
}
