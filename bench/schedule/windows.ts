// Figures computed from the times the fake Bot API recorded for each accepted call.

/** The most events in any window of `windowMs` (half-open, [t, t + windowMs)), times in ms. */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Events per second between the first and the last (0 for fewer than two). */
export function steadyRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const first = Math.min(...times);
  const last = Math.max(...times);
  return last === first ? Infinity : ((times.length - 1) * 1000) / (last - first);
}
