// Which status level a sum paid reaches, and the bonus rules in force at a level. Pure: the
// ledger and the chat both ask it.
import type { ClinicSettings, LoyaltyLevelRule } from "../../clinic/settings.ts";

type BonusRules = ClinicSettings["bonus"];

/** The clinic's levels from the lowest threshold up (the order in settings does not matter). */
export function levelsInOrder(rules: Pick<BonusRules, "levels">): LoyaltyLevelRule[] {
  return [...rules.levels].sort((a, b) => a.fromRoubles - b.fromRoubles);
}

/** The highest level whose threshold `paidMinor` (kopecks) reaches; null when none (or no levels). */
export function levelFor(paidMinor: number, rules: Pick<BonusRules, "levels">): LoyaltyLevelRule | null {
  let reached: LoyaltyLevelRule | null = null;
  for (const level of levelsInOrder(rules)) if (paidMinor >= level.fromRoubles * 100) reached = level;
  return reached;
}

/** A level's place, lowest 0; -1 for none and for a level the clinic has since removed. */
export function levelRank(levelId: string | null, rules: Pick<BonusRules, "levels">): number {
  return levelId === null ? -1 : levelsInOrder(rules).findIndex((l) => l.id === levelId);
}

export function levelById(levelId: string | null, rules: Pick<BonusRules, "levels">): LoyaltyLevelRule | null {
  return rules.levels.find((l) => l.id === levelId) ?? null;
}

/** The bonus rules with the level's accrual and redemption cap (category overrides still win). */
export function rulesAtLevel(rules: BonusRules, levelId: string | null): BonusRules {
  const level = levelById(levelId, rules);
  return level ? { ...rules, accrualPercent: level.accrualPercent, maxBillShare: level.maxBillShare } : rules;
}
