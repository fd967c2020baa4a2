import { expressionBuilder } from "kysely";
import type { Expression } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
import { WAITLIST_PREFIX } from "../../domain/waitlist/waitlist.ts";
import { optedOut, reachable, reachableThroughGuardian } from "../../db/queries/patient-rules.ts";
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
 * gone. Opted-out and unreachable patients (no chat of their own, no guardian's) are not ranked
 * at all; a child is offered a slot in their guardian's chat. Transactional: they asked.
 */
export function planWaitlist(ctx: PlanContext): Promise<PlanResult> {
  const { batchSize, batchMinutes } = ctx.settings.waitlist;
  const { q } = ctx;
  const key = (slot: Expression<number>, entry: Expression<unknown>) => concat(text(WAITLIST_PREFIX), slot, text(":"), entry);
  const offers = q
    .selectFrom("Slot as sl")
    .innerJoin("WaitlistEntry as e", (join) =>
      join
        .onRef("e.clinicId", "=", "sl.clinicId")
        .on("e.status", "=", "waiting")
        .onRef("e.service", "=", "sl.service")
        .on((eb) => eb.or([eb("e.doctor", "is", null), eb("e.doctor", "=", eb.ref("sl.doctor"))])),
    )
    .innerJoin("Patient as p", "p.id", "e.patientId")
    .leftJoin("Appointment as cur", "cur.id", "e.appointmentId")
    .leftJoin("Slot as cs", "cs.id", "cur.slotId")
    .where("sl.clinicId", "=", ctx.clinicId)
    .where("sl.status", "=", "free")
    .where("sl.startsAt", ">", new Date(ctx.now.getTime() + LEAD_MS))
    .where((eb) =>
      eb.or([
        eb("e.appointmentId", "is", null),
        eb.and([eb("cur.status", "=", "booked"), eb("cur.patientId", "=", eb.ref("e.patientId")), eb("cs.startsAt", ">", eb.ref("sl.startsAt"))]),
      ]),
    )
    // Reached in their own chat or, for a child, in a guardian's (the patient is `p` here too).
    .where((eb) => eb.and([eb.not(optedOut), eb.or([reachable, reachableThroughGuardian])]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom("Outbox as o").select(eb.lit(1).as("one")).where("o.idempotencyKey", "=", key(eb.ref("sl.id"), eb.ref("e.id"))))))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("Outbox as lb")
            .select(eb.lit(1).as("one"))
            .where("lb.kind", "=", "start-flow")
            .where("lb.idempotencyKey", "like", key(eb.ref("sl.id"), text("%")))
            .where("lb.createdAt", ">", new Date(ctx.now.getTime() - batchMinutes * 60_000)),
        ),
      ),
    )
    .select((eb) => [
      "sl.id as slotId",
      "e.id as entryId",
      "e.patientId as patientId",
      "sl.startsAt as startsAt",
      eb.fn
        .agg<number>("row_number")
        .over((ob) => ob.partitionBy("sl.id").orderBy("e.createdAt").orderBy("e.id"))
        .as("rank"),
    ]);
  const candidates = q.selectFrom(offers.as("c")).innerJoin("Patient as p", "p.id", "c.patientId").where("c.rank", "<=", batchSize);
  const eb = expressionBuilder(candidates);
  return planStartFlows({
    ctx,
    category: "transactional",
    candidates,
    key: key(eb.ref("c.slotId"), eb.ref("c.entryId")),
    context: [
      ["slotId", eb.ref("c.slotId")],
      ["entryId", eb.ref("c.entryId")],
    ],
    orderBy: [eb.ref("c.startsAt"), eb.ref("c.slotId"), eb.ref("c.rank")],
    // A slot a child waits for: offered in their guardian's chat.
    throughGuardians: true,
  });
}
