import { DateTime } from "luxon";
import { planStartFlows, recordSkippedStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";
import { expressionBuilder } from "kysely";
import { concat, text, time } from "../../db/kysely/index.ts";
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
  const due = ctx.q
    .selectFrom("FollowUp as f")
    .innerJoin("Patient as p", "p.id", "f.patientId")
    .where("f.clinicId", "=", ctx.clinicId)
    .where("f.status", "=", "open")
    .where((eb) => eb.or([eb("f.snoozedUntil", "is", null), eb("f.snoozedUntil", "<=", ctx.now)]))
    .where((eb) => eb.or([eb("f.missedAt", "is not", null), eb("f.dueAt", "<", ctx.now)]));
  const eb = expressionBuilder(due);
  const { provider } = ctx.q;
  const nextKey = concat(text(KEY_PREFIX), eb.ref("f.id"), text(":"), eb("f.attempts", "+", eb.lit(1)));
  const staleDays = ctx.settings.staleAfterDays.followUp;
  const staleBefore = daysBefore(ctx.now, staleDays);
  const fromHistory = eb.exists(
    eb
      .selectFrom("Visit as hv")
      .select(eb.lit(1).as("one"))
      .whereRef("hv.id", "=", "f.visitId")
      .where("hv.history", "=", true)
      .whereRef("f.dueAt", "<=", "f.createdAt"),
  );
  const outOfAttempts = eb("f.attempts", ">=", maxAttempts);
  const tooOld = eb.and([eb("f.dueAt", "<", staleBefore), eb.or([eb("f.missedAt", "is", null), eb("f.missedAt", "<", staleBefore)])]);
  // The gap after the last attempt: its threshold by the number of attempts made.
  let threshold = eb.case(eb.ref("f.attempts")).when(eb.lit(0)).then(time(provider, thresholds[0] ?? ctx.now));
  thresholds.slice(1).forEach((t, i) => (threshold = threshold.when(eb.lit(i + 1)).then(time(provider, t))));
  const waitingForGap = eb.and([
    eb("f.lastAttemptAt", "is not", null),
    eb("f.lastAttemptAt", ">=", threshold.else(time(provider, thresholds.at(-1) ?? ctx.now)).end()),
  ]);

  const result = await planStartFlows({
    ctx,
    category: "transactional",
    candidates: due,
    key: nextKey,
    context: [["followUpId", eb.ref("f.id")]],
    holds: [
      ["history", fromHistory],
      ["maxAttempts", outOfAttempts],
      ["tooOld", tooOld],
      ["waitingForGap", waitingForGap],
    ],
    orderBy: [eb.ref("p.id"), eb.ref("f.id")],
    // «Мише пора на повторный приём»: a child's follow-up in their guardian's chat.
    throughGuardians: true,
  });

  await recordSkippedStartFlows({
    ctx,
    category: "transactional",
    candidates: due,
    key: concat(text(KEY_PREFIX), eb.ref("f.id"), text(":stale")),
    context: [["followUpId", eb.ref("f.id")]],
    where: eb.and([eb.not(fromHistory), eb.not(outOfAttempts), tooOld]),
    throughGuardians: true,
    reason: tooOldReason(`the follow-up was more than ${staleDays} days past due`),
  });

  // The follow-ups whose next attempt this run queued: the outbox row for attempt (attempts + 1),
  // written at this run's instant. Bumping moves attempts past that key, so running this again, or
  // alongside another run that inserted the same rows, bumps nothing twice.
  if (result.planned > 0) {
    await ctx.q
      .updateTable("FollowUp")
      .set((u) => ({ attempts: u("attempts", "+", u.lit(1)), lastAttemptAt: ctx.now, updatedAt: ctx.now }))
      .where("clinicId", "=", ctx.clinicId)
      .where("status", "=", "open")
      .where((u) =>
        u.exists(
          u
            .selectFrom("Outbox as o")
            .select(u.lit(1).as("one"))
            .where("o.idempotencyKey", "=", concat(text(KEY_PREFIX), u.ref("FollowUp.id"), text(":"), u("FollowUp.attempts", "+", u.lit(1))))
            .where("o.createdAt", "=", ctx.now),
        ),
      )
      .execute();
  }
  return result;
}
