import { DateTime } from "luxon";
import { planStartFlows, recordSkippedStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";
import { SqlStatement as Statement } from "../../db/sql-statement.ts";
import { tooOldReason } from "../../domain/visits/care-outbox.ts";
import { daysBefore } from "../../domain/visits/visit-time.ts";

/** The days to wait after attempt `attempts` before the next one (the last gap repeats). */
export function gapAfter(gapDays: number[], attempts: number): number {
  return gapDays.length === 0 ? 0 : gapDays[Math.min(attempts, gapDays.length - 1)]!;
}

/**
 * For each number of attempts made, the instant the last attempt must precede for the next one to
 * be due today: gaps count whole days on the clinic's calendar, so a nudge sent on Monday
 * afternoon with a 3-day gap is followed on Thursday's run, whatever the hour.
 */
export function attemptThresholds(now: Date, clinicZone: string, gapDays: number[], maxAttempts: number): Date[] {
  const tomorrow = DateTime.fromJSDate(now, { zone: clinicZone }).startOf("day").plus({ days: 1 });
  return Array.from({ length: maxAttempts }, (_, attempts) => tomorrow.minus({ days: gapAfter(gapDays, attempts) }).toJSDate());
}

const KEY_PREFIX = "followup:";

/**
 * Rebooking nudges for follow-ups the patient has not booked (`followup:<id>:<attempt>`): open,
 * not snoozed, missed (the visit was missed) or overdue, with attempts left and the gap after the
 * last attempt passed. The attempts and lastAttemptAt of exactly the rows queued are bumped in the
 * same transaction. Transactional.
 *
 * Not nudged: a follow-up more than `staleAfterDays.followUp` days past due (and past its missed
 * visit), recorded once as skipped (`followup:<id>:stale`) for the dashboard; and one a history
 * import brought in already overdue (history starts no conversation).
 */
export async function planFollowUp(ctx: PlanContext): Promise<PlanResult> {
  const { maxAttempts, gapDays } = ctx.settings.followUp;
  const thresholds = attemptThresholds(ctx.now, ctx.clinicZone, gapDays, maxAttempts);
  const due = (s: Statement) => `"FollowUp" f JOIN "Patient" p ON p."id" = f."patientId"
    WHERE f."clinicId" = ${s.value(ctx.clinicId)} AND f."status" = 'open'
      AND (f."snoozedUntil" IS NULL OR f."snoozedUntil" <= ${s.time(ctx.now)})
      AND (f."missedAt" IS NOT NULL OR f."dueAt" < ${s.time(ctx.now)})`;
  const nextKey = (s: Statement, f: string) => `${s.text(KEY_PREFIX)} || ${f}."id" || ${s.text(":")} || (${f}."attempts" + 1)`;
  const staleDays = ctx.settings.staleAfterDays.followUp;
  const staleBefore = daysBefore(ctx.now, staleDays);
  const fromHistory = () => `EXISTS (SELECT 1 FROM "Visit" hv WHERE hv."id" = f."visitId" AND hv."history" = TRUE AND f."dueAt" <= f."createdAt")`;
  const outOfAttempts = (s: Statement) => `f."attempts" >= ${s.value(maxAttempts)}`;
  const tooOld = (s: Statement) => `(f."dueAt" < ${s.time(staleBefore)} AND (f."missedAt" IS NULL OR f."missedAt" < ${s.time(staleBefore)}))`;

  const result = await planStartFlows({
    ctx,
    category: "transactional",
    from: due,
    key: (s) => nextKey(s, "f"),
    context: () => [["followUpId", `f."id"`]],
    holds: [
      ["history", fromHistory],
      ["maxAttempts", outOfAttempts],
      ["tooOld", tooOld],
      [
        "waitingForGap",
        (s) => {
          const branches = thresholds.map((t, attempts) => `WHEN ${s.value(attempts)} THEN ${s.time(t)}`).join(" ");
          return `(f."lastAttemptAt" IS NOT NULL AND f."lastAttemptAt" >= (CASE f."attempts" ${branches} ELSE ${s.time(thresholds.at(-1)!)} END))`;
        },
      ],
    ],
    orderBy: `p."id", f."id"`,
  });

  await recordSkippedStartFlows({
    ctx,
    category: "transactional",
    from: due,
    key: (s) => `${s.text(KEY_PREFIX)} || f."id" || ${s.text(":stale")}`,
    context: () => [["followUpId", `f."id"`]],
    where: (s) => `NOT ${fromHistory()} AND NOT (${outOfAttempts(s)}) AND ${tooOld(s)}`,
    reason: tooOldReason(`the follow-up was more than ${staleDays} days past due`),
  });

  // The follow-ups whose next attempt this run queued: the outbox row for attempt (attempts + 1),
  // written at this run's instant. Bumping moves attempts past that key, so running this again, or
  // alongside another run that inserted the same rows, bumps nothing twice.
  if (result.planned > 0) {
    const s = new Statement(ctx.sql.provider);
    const now = s.time(ctx.now);
    await s.run(
      ctx.sql,
      `UPDATE "FollowUp" SET "attempts" = "attempts" + 1, "lastAttemptAt" = ${now}, "updatedAt" = ${now}
       WHERE "clinicId" = ${s.value(ctx.clinicId)} AND "status" = 'open' AND EXISTS (
         SELECT 1 FROM "Outbox" o WHERE o."idempotencyKey" = ${nextKey(s, `"FollowUp"`)} AND o."createdAt" = ${now}
       )`,
    );
  }
  return result;
}
