// How busy the machine was while a figure was taken: other engineers' processes share the cores,
// and a figure means little without that.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

interface CpuSample {
  /** Busy and total jiffies of all cores (/proc/stat). */
  busy: number;
  total: number;
  /** This process's CPU time, µs. */
  ownMicros: number;
  at: number;
}

function sample(): CpuSample {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  const own = process.cpuUsage();
  return { busy: total - idle, total, ownMicros: own.user + own.system, at: performance.now() };
}

/** Busy cores over an interval: the whole machine, and this process alone. */
export interface CpuLoad {
  machineCores: number;
  ownCores: number;
}

/** Starts measuring; the returned function ends it. */
export function measureCpu(): () => CpuLoad {
  const start = sample();
  return () => {
    const end = sample();
    const cores = os.availableParallelism();
    const share = end.total > start.total ? (end.busy - start.busy) / (end.total - start.total) : 0;
    const seconds = (end.at - start.at) / 1000;
    return { machineCores: share * cores, ownCores: seconds > 0 ? (end.ownMicros - start.ownMicros) / 1e6 / seconds : 0 };
  };
}

/** The load averages and the busiest processes other than this one, from `top` over one second. */
export function loadSnapshot(): { loadavg: number[]; busiest: string[] } {
  let busiest: string[] = [];
  try {
    const out = execFileSync("top", ["-b", "-n", "2", "-d", "1", "-o", "%CPU", "-w", "200"], { encoding: "utf8" });
    const lastFrame = out.slice(out.lastIndexOf("top -"));
    const rows = lastFrame.split("\n").slice(lastFrame.split("\n").findIndex((l) => /^\s*PID\s/.test(l)) + 1);
    busiest = rows
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 12 && Number(f[0]) !== process.pid && Number(f[8]) >= 10)
      .slice(0, 5)
      .map((f) => `${f.slice(11).join(" ")} (pid ${f[0]}) ${f[8]} %`);
  } catch {
    busiest = ["(top not available)"];
  }
  return { loadavg: os.loadavg(), busiest };
}
