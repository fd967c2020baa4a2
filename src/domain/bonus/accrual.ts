import type { ClinicSettings } from "../clinic/settings.ts";

type BonusRules = ClinicSettings["bonus"];

/**
 * Points earned by a paid visit: a percentage of the amount (1 point = 1 rouble), rounded down,
 * with per-category overrides and exclusions. Amounts are in minor units (kopecks).
 */
export function accrualPoints(amountMinor: number, category: string | null | undefined, rules: BonusRules): number {
  if (amountMinor <= 0) return 0;
  if (category && rules.excludedCategories.includes(category)) return 0;
  const percent = (category ? rules.categoryPercent[category] : undefined) ?? rules.accrualPercent;
  // Integer arithmetic in hundredths of a percent avoids 0.1 + 0.2 surprises on large bills.
  return Math.floor((amountMinor * Math.round(percent * 100)) / (100 * 100 * 100));
}
