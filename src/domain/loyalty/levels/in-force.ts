import type { Tx } from "../../../db/client.ts";
import type { ClinicSettings } from "../../clinic/settings.ts";
import { levelById, rulesAtLevel } from "./level-rules.ts";

type BonusRules = ClinicSettings["bonus"];

/** The patient's level as recorded (null: none yet, or the clinic has no levels). */
export async function levelInForce(tx: Tx, patientId: number): Promise<{ level: string; holdsUntil: Date; lowerTo: string | null; lowerNoticeAt: Date | null } | null> {
  return tx.loyaltyLevel.findUnique({ where: { patientId }, select: { level: true, holdsUntil: true, lowerTo: true, lowerNoticeAt: true } });
}

/** The bonus rules a visit posted now earns by: those of the level in force when it is posted. */
export async function rulesInForce(tx: Tx, patientId: number, rules: BonusRules): Promise<BonusRules> {
  if (rules.levels.length === 0) return rules;
  const row = await levelInForce(tx, patientId);
  return rulesAtLevel(rules, row && levelById(row.level, rules) ? row.level : null);
}
