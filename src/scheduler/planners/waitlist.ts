import { WAITLIST_PREFIX } from "../../domain/waitlist/waitlist.ts";
import { planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";

/** A slot starting sooner than this is no use to a patient reading the offer now. */
const LEAD_MS = 60 * 60_000;

/**
 * Offers of free slots to the waitlist (`waitlist:<slot>:<entry>`): for each free slot ahead, the
 * next `waitlist.batchSize` waiting entries of its service (and doctor, if they named one) that
 * were not offered it yet, oldest first; an entry that wants to move an appointment only for a
 * slot earlier than it. A slot's next batch waits `waitlist.batchMinutes` after its last one, so
 * the first batch has time to tap. Whoever taps first books it (the flow); the rest hear it is
 * gone. Opted-out and unreachable patients are not ranked at all. Transactional: they asked.
 */
export function planWaitlist(ctx: PlanContext): Promise<PlanResult> {
  const { batchSize, batchMinutes } = ctx.settings.waitlist;
  const key = (s: { text(v: string): string }, slot: string, entry: string) => `${s.text(WAITLIST_PREFIX)} || ${slot} || ${s.text(":")} || ${entry}`;
  return planStartFlows({
    ctx,
    category: "transactional",
    from: (s) => `(SELECT sl."id" AS "slotId", e."id" AS "entryId", e."patientId" AS "patientId", sl."startsAt" AS "startsAt",
          ROW_NUMBER() OVER (PARTITION BY sl."id" ORDER BY e."createdAt", e."id") AS "rank"
        FROM "Slot" sl
        JOIN "WaitlistEntry" e ON e."clinicId" = sl."clinicId" AND e."status" = 'waiting' AND e."service" = sl."service" AND (e."doctor" IS NULL OR e."doctor" = sl."doctor")
        JOIN "Patient" wp ON wp."id" = e."patientId"
        LEFT JOIN "Appointment" cur ON cur."id" = e."appointmentId"
        LEFT JOIN "Slot" cs ON cs."id" = cur."slotId"
        WHERE sl."clinicId" = ${s.value(ctx.clinicId)} AND sl."status" = 'free' AND sl."startsAt" > ${s.time(new Date(ctx.now.getTime() + LEAD_MS))}
          AND (e."appointmentId" IS NULL OR (cur."status" = 'booked' AND cur."patientId" = e."patientId" AND cs."startsAt" > sl."startsAt"))
          AND wp."optedOutAt" IS NULL
          AND EXISTS (SELECT 1 FROM "ChannelIdentity" wi WHERE wi."patientId" = wp."id" AND wi."unreachableAt" IS NULL AND wi."channel" <> 'web')
          AND NOT EXISTS (SELECT 1 FROM "Outbox" o WHERE o."idempotencyKey" = ${key(s, `sl."id"`, `e."id"`)})
          AND NOT EXISTS (SELECT 1 FROM "Outbox" lb WHERE lb."kind" = 'start-flow' AND lb."idempotencyKey" LIKE ${key(s, `sl."id"`, s.text("%"))}
            AND lb."createdAt" > ${s.time(new Date(ctx.now.getTime() - batchMinutes * 60_000))})
      ) c JOIN "Patient" p ON p."id" = c."patientId"
      WHERE c."rank" <= ${s.value(batchSize)}`,
    key: (s) => key(s, `c."slotId"`, `c."entryId"`),
    context: () => [
      ["slotId", `c."slotId"`],
      ["entryId", `c."entryId"`],
    ],
    orderBy: `c."startsAt", c."slotId", c."rank"`,
  });
}
