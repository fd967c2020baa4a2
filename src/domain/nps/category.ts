import type { NpsCategory } from "../../db/client.ts";

/** Promoters 9–10, passives 7–8, detractors 0–6: the standard Net Promoter buckets. */
export function npsCategory(score: number): NpsCategory {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`an NPS score is a whole number from 0 to 10, not ${score}`);
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/** % promoters − % detractors, rounded to one decimal; null with no answers. */
export function npsScore(counts: { promoters: number; passives: number; detractors: number }): number | null {
  const total = counts.promoters + counts.passives + counts.detractors;
  if (total === 0) return null;
  return Math.round(((counts.promoters - counts.detractors) * 1000) / total) / 10;
}
