// Summaries of measured samples. Nothing here asserts: benchmarks report, they do not judge.

/** The value below which `p` percent of the samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : "–");
export const rate = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : "–");
export const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? (a / b).toFixed(2) : "–");
