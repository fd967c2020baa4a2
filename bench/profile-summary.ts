// Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints the functions with the most self
// time, as a markdown table: which code the process was actually in, not who called it.
//
//   npx tsx bench/profile-summary.ts bench/.profiles/<file>.cpuprofile [--top 10]
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { markdownTable } from "./lib/report.ts";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      hitCount: z.number().optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

/** Self time per function (same name and place), largest first. */
export function selfTimes(file: string): { rows: SelfTime[]; totalMs: number } {
  const parsed = profileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not a V8 CPU profile: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
  const profile = parsed.data;
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  // Sample i took timeDeltas[i + 1] µs; without samples, fall back to hit counts.
  const timeOf = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    for (let i = 0; i < samples.length; i++) timeOf.set(samples[i]!, (timeOf.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? 0));
  } else {
    const perHit = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0));
    for (const n of profile.nodes) timeOf.set(n.id, (n.hitCount ?? 0) * perHit);
  }
  const totals = new Map<string, SelfTime>();
  let total = 0;
  for (const [id, us] of timeOf) {
    const node = byNode.get(id);
    if (!node) continue;
    total += us;
    const frame = node.callFrame;
    const name = frame.functionName || "(anonymous)";
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${name}@${where}`;
    const entry = totals.get(key) ?? { name, where, ms: 0, percent: 0 };
    entry.ms += us / 1000;
    totals.set(key, entry);
  }
  const rows = [...totals.values()].sort((a, b) => b.ms - a.ms);
  for (const r of rows) r.percent = total > 0 ? (r.ms * 100_000) / total : 0;
  return { rows, totalMs: total / 1000 };
}

/** node_modules/<package>/… or the path inside the repository. */
function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const inModules = file.lastIndexOf("node_modules/");
  if (inModules >= 0) return file.slice(inModules + "node_modules/".length);
  return path.relative(process.cwd(), file) || file;
}

export function selfTimeTable(file: string, top: number): string {
  const { rows, totalMs } = selfTimes(file);
  return [
    `${Math.round(totalMs)} ms sampled in ${path.basename(file)}`,
    "",
    markdownTable(
      ["#", "function", "where", "self ms", "self %"],
      rows.slice(0, top).map((r, i) => [i + 1, `\`${r.name}\``, r.where ? `\`${r.where}\`` : "", r.ms.toFixed(0), r.percent.toFixed(1)]),
    ),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top N]\n");
    process.exit(2);
  }
  const topAt = process.argv.indexOf("--top");
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 10;
  if (!Number.isInteger(top) || top < 1) {
    process.stderr.write("--top must be a whole number above 0\n");
    process.exit(2);
  }
  process.stdout.write(`${selfTimeTable(file, top)}\n`);
}
