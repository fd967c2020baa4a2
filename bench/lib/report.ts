// Where a benchmark writes its results: the markdown table on stdout and in bench/results/<name>.md,
// headed by the facts that make noisy numbers readable (date, cores, Node, load, the command).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(BENCH_DIR, "..");

export interface MachineFacts {
  date: string;
  nproc: string;
  node: string;
  cpu: string;
  memory: string;
  loadBefore: string;
}

export function machineFacts(): MachineFacts {
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    // nproc is coreutils; Node's own count is the fallback.
  }
  return {
    date: new Date().toISOString(),
    nproc,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    loadBefore: loadAverage(),
  };
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

/** The command as a person would type it again. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2).join(" ");
  return `npx tsx bench/${script}${args ? ` ${args}` : ""}`;
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Prints the report and writes it to bench/results/<name>.md. */
export function writeReport(name: string, title: string, facts: MachineFacts, command: string, body: string): string {
  const text = [
    `# ${title}`,
    "",
    `- date: ${facts.date}`,
    `- machine: ${facts.nproc} cores (nproc), ${facts.cpu}, ${facts.memory} RAM`,
    `- Node ${facts.node}`,
    `- load average (1/5/15 min) before: ${facts.loadBefore}; after: ${loadAverage()} — other engineers share this machine, so compare ratios, not absolute figures`,
    `- command: \`${command}\``,
    "",
    body.trim(),
    "",
  ].join("\n");
  process.stdout.write(`${text}\n`);
  const dir = path.join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.md`), text);
  return text;
}
