// The rules every message CareBot starts obeys, as conditions on the patient aliased `p`: campaigns,
// segments and the scheduler's planners all use these two, so they cannot drift apart.
import { expressionBuilder } from "kysely";
import type { Expression, SqlBool } from "kysely";
import type { DB, Patient } from "../generated/kysely-types.ts";

const onPatient = expressionBuilder<DB & { p: Patient }, "p">();

/** The patient opted out of messages (care messages respect it too). */
export const optedOut: Expression<SqlBool> = onPatient("p.optedOutAt", "is not", null);

/** The patient has a chat that still takes messages; the web preview is not a channel CareBot writes to first. */
export const reachable: Expression<SqlBool> = onPatient.exists(
  onPatient
    .selectFrom("ChannelIdentity as i")
    .select(onPatient.lit(1).as("one"))
    .whereRef("i.patientId", "=", "p.id")
    .where("i.unreachableAt", "is", null)
    .where("i.channel", "<>", "web"),
);

/**
 * A guardian of the patient (src/domain/families) has such a chat and has not opted out: how a
 * child or an elderly parent without a chat of their own is reached, by the messages that
 * address a guardian about them (visit reminders).
 */
export const reachableThroughGuardian: Expression<SqlBool> = onPatient.exists(
  onPatient
    .selectFrom("Guardianship as g")
    .innerJoin("ChannelIdentity as gi", "gi.patientId", "g.guardianId")
    .innerJoin("Patient as gp", "gp.id", "g.guardianId")
    .select(onPatient.lit(1).as("one"))
    .whereRef("g.wardId", "=", "p.id")
    .where("gi.unreachableAt", "is", null)
    .where("gi.channel", "<>", "web")
    .where("gp.optedOutAt", "is", null),
);

/** Not opted out and reachable: who a message may go to. */
export const mayBeWritten: Expression<SqlBool> = onPatient.and([onPatient.not(optedOut), reachable]);

/** The patient's advertising consent is in force (its latest change gave it): what marketing needs (38-FZ art. 18). */
export const hasAdvertisingConsent: Expression<SqlBool> = onPatient.exists(
  onPatient
    .selectFrom("Consent as c")
    .select(onPatient.lit(1).as("one"))
    .whereRef("c.patientId", "=", "p.id")
    .where("c.kind", "=", "advertising")
    .where("c.supersededAt", "is", null)
    .where("c.granted", "=", onPatient.lit(true)),
);
