// Reachability per messenger in one aggregate statement: patients CareBot can write to in each
// messenger now (a patient with two counts in both), patients reachable in none of them, chats
// that blocked the bot in the window, and messages moved on to a patient's next messenger.
import type { Channel, Database } from "../../client.ts";
import { enumValue, toNumber, typedSql } from "../../kysely/index.ts";
import { patientsOfBranch } from "./branch-filter.ts";
import type { FigureWindow } from "./window.ts";

export interface Reachability<C extends Channel> {
  reachable: Record<C, number>;
  /** Patients (not erased) with no chat that takes messages in any of the channels. */
  unreachable: number;
  blocked: number;
  moved: number;
}

export async function reachability<C extends Channel>(db: Database, window: FigureWindow, channels: readonly C[]): Promise<Reachability<C>> {
  const q = typedSql(db);
  const p = q.provider;
  const { clinicId, from, until, branchId } = window;
  // A branch's patients: their last visit's branch, as the reminders card counts them.
  const ofBranch = branchId === undefined ? null : () => patientsOfBranch(q, branchId);
  const reachableIn = (channel: C) =>
    q
      .selectFrom("ChannelIdentity as i")
      .innerJoin("Patient as pa", "pa.id", "i.patientId")
      .select((eb) => eb.fn.count("i.patientId").distinct().as("n"))
      .where("i.clinicId", "=", clinicId)
      .where("i.channel", "=", enumValue(p, "Channel", channel))
      .where("i.unreachableAt", "is", null)
      .where("pa.erasedAt", "is", null)
      .$if(ofBranch !== null, (qb) => qb.where("pa.id", "in", ofBranch!()))
      .as(channel);
  const row: Record<string, unknown> = await q
    .selectNoFrom([
      ...channels.map(reachableIn),
      q
        .selectFrom("Patient as pa")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("pa.clinicId", "=", clinicId)
        .where("pa.erasedAt", "is", null)
        .$if(ofBranch !== null, (qb) => qb.where("pa.id", "in", ofBranch!()))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("ChannelIdentity as i")
                .select("i.id")
                .whereRef("i.patientId", "=", "pa.id")
                .where("i.unreachableAt", "is", null)
                .where("i.channel", "in", channels.map((c) => enumValue(p, "Channel", c))),
            ),
          ),
        )
        .as("unreachable"),
      q
        .selectFrom("ChannelIdentity as i")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("i.clinicId", "=", clinicId)
        .where("i.unreachableAt", ">=", from)
        .where("i.unreachableAt", "<=", until)
        .$if(ofBranch !== null, (qb) => qb.where("i.patientId", "in", ofBranch!()))
        .as("blocked"),
      q
        .selectFrom("Outbox as o")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("o.clinicId", "=", clinicId)
        .where("o.movedAt", ">=", from)
        .where("o.movedAt", "<=", until)
        .$if(ofBranch !== null, (qb) => qb.where("o.patientId", "in", ofBranch!()))
        .as("moved"),
    ])
    .executeTakeFirstOrThrow();
  return {
    reachable: Object.fromEntries(channels.map((c) => [c, toNumber(row[c])])) as Record<C, number>,
    unreachable: toNumber(row.unreachable),
    blocked: toNumber(row.blocked),
    moved: toNumber(row.moved),
  };
}
