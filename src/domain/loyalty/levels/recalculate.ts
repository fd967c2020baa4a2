// A patient's status level, recalculated on each completed visit. The policy (docs/loyalty.md):
// a level reached holds for a whole period (`levelPeriodMonths`) from the visit that reached it;
// rising takes effect at once (from the next visit) with one message; once the period has ended,
// a lower level is first announced and takes effect `levelNoticeDays` later, never mid-period.
import { DateTime } from "luxon";
import type { Tx } from "../../../db/client.ts";
import type { ClinicSettings } from "../../clinic/settings.ts";
import { levelDownKey, levelUpKey, queueLevelMessage } from "./announce.ts";
import { levelById, levelFor, levelRank } from "./level-rules.ts";
import { paidOverPeriod } from "./paid.ts";

type BonusRules = ClinicSettings["bonus"];

export type LevelChange = "none" | "raised" | "kept" | "notice" | "lowered";

export interface LevelResult {
  level: string | null;
  change: LevelChange;
  paid: number;
}

const plusMonths = (at: Date, months: number) => DateTime.fromJSDate(at, { zone: "utc" }).plus({ months }).toJSDate();
const plusDays = (at: Date, days: number) => DateTime.fromJSDate(at, { zone: "utc" }).plus({ days }).toJSDate();

/**
 * Recalculates the level after a visit completed at `at`. `messageDueAt` is when a message may
 * go (the patient's daytime); without it (a history import) nothing is said. Idempotent: a
 * replayed visit finds the level already raised and says nothing more.
 */
export async function recalculateLevel(
  tx: Tx,
  input: { clinicId: number; patientId: number; rules: BonusRules; at: Date; now: Date; messageDueAt?: Date },
): Promise<LevelResult> {
  const { clinicId, patientId, rules, at, now } = input;
  if (rules.levels.length === 0) return { level: null, change: "none", paid: 0 };
  const paid = await paidOverPeriod(tx, patientId, at, rules.levelPeriodMonths);
  const target = levelFor(paid, rules);
  const row = await tx.loyaltyLevel.findUnique({ where: { patientId } });
  const current = row && levelById(row.level, rules) ? row.level : null;
  const targetId = target?.id ?? null;
  const holdsUntil = plusMonths(at, rules.levelPeriodMonths);
  const hold = { level: targetId ?? "", since: at, holdsUntil, lowerTo: null, lowerNoticeAt: null };
  const say = async (key: string, message: Parameters<typeof queueLevelMessage>[1]["message"]) => {
    if (input.messageDueAt) await queueLevelMessage(tx, { clinicId, patientId, key, dueAt: input.messageDueAt, message });
  };

  if (levelRank(targetId, rules) > levelRank(current, rules) && target) {
    await tx.loyaltyLevel.upsert({ where: { patientId }, create: { clinicId, patientId, ...hold }, update: hold });
    // Starting at the lowest level is where everyone starts: only a rise above it is news.
    if (levelRank(target.id, rules) > 0) await say(levelUpKey(patientId, target.id, at), { direction: "up", level: target, date: holdsUntil });
    return { level: target.id, change: "raised", paid };
  }
  if (!row || current === null) return { level: current, change: "none", paid };

  if (targetId === current) {
    // Still earned: the level holds for a period from this visit, and a pending notice is void.
    if (row.holdsUntil < holdsUntil || row.lowerTo !== null) {
      await tx.loyaltyLevel.update({ where: { patientId }, data: { holdsUntil: row.holdsUntil < holdsUntil ? holdsUntil : row.holdsUntil, lowerTo: null, lowerNoticeAt: null } });
    }
    return { level: current, change: "kept", paid };
  }
  // Lower: never within the period the level was reached for.
  if (at < row.holdsUntil) return { level: current, change: "kept", paid };
  if (row.lowerNoticeAt === null) {
    const effective = plusDays(now, rules.levelNoticeDays);
    await tx.loyaltyLevel.update({ where: { patientId }, data: { lowerTo: targetId, lowerNoticeAt: now } });
    await say(levelDownKey(patientId, current, row.holdsUntil), { direction: "down", level: target, from: levelById(current, rules), date: effective });
    return { level: current, change: "notice", paid };
  }
  if (now < plusDays(row.lowerNoticeAt, rules.levelNoticeDays)) return { level: current, change: "notice", paid };
  if (targetId === null) await tx.loyaltyLevel.delete({ where: { patientId } });
  else await tx.loyaltyLevel.update({ where: { patientId }, data: hold });
  return { level: targetId, change: "lowered", paid };
}
