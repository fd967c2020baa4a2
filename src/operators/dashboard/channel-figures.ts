// Reachability per messenger: how many patients CareBot can write to in Telegram, MAX and
// WhatsApp now (a patient with two messengers counts in both), how many in none, how many chats
// blocked the bot in the last 30 days, and how many messages moved to the patient's next
// messenger after one refused them (src/outbox/failover.ts). One aggregate statement.
import type { Database } from "../../db/client.ts";
import { enumValue, toNumber, typedSql } from "../../db/kysely/index.ts";
import { FAILOVER_CHANNELS } from "../../domain/clinic/settings.ts";
import type { FailoverChannel } from "../../domain/clinic/settings.ts";
import { patientsOfBranch } from "./branch-filter.ts";
import type { DashboardPeriods } from "./periods.ts";

export interface ChannelFigures {
  /** Patients with a chat in the messenger that has not blocked the bot. */
  reachable: Record<FailoverChannel, number>;
  /** Patients (not erased) with no such chat in any messenger. */
  unreachable: number;
  /** Chats that blocked the bot (or were otherwise refused for good) in the last 30 days. */
  blocked: number;
  /** Messages one messenger refused that went on to the patient's next one, in the last 30 days. */
  moved: number;
}

/** `branchId`: only that branch's patients (their last visit's branch, as the reminders card counts them). */
export async function channelFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<ChannelFigures> {
  const q = typedSql(db);
  const ofBranch = branchId === undefined ? null : () => patientsOfBranch(q, branchId);
  const p = q.provider;
  const { recentFrom: from, now } = periods;
  const reachableIn = (channel: FailoverChannel) =>
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
  const row = await q
    .selectNoFrom([
      ...FAILOVER_CHANNELS.map(reachableIn),
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
                .where("i.channel", "in", FAILOVER_CHANNELS.map((c) => enumValue(p, "Channel", c))),
            ),
          ),
        )
        .as("unreachable"),
      q
        .selectFrom("ChannelIdentity as i")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("i.clinicId", "=", clinicId)
        .where("i.unreachableAt", ">=", from)
        .where("i.unreachableAt", "<=", now)
        .$if(ofBranch !== null, (qb) => qb.where("i.patientId", "in", ofBranch!()))
        .as("blocked"),
      q
        .selectFrom("Outbox as o")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("o.clinicId", "=", clinicId)
        .where("o.movedAt", ">=", from)
        .where("o.movedAt", "<=", now)
        .$if(ofBranch !== null, (qb) => qb.where("o.patientId", "in", ofBranch!()))
        .as("moved"),
    ])
    .executeTakeFirstOrThrow();
  return {
    reachable: { telegram: toNumber(row.telegram), max: toNumber(row.max), whatsapp: toNumber(row.whatsapp) },
    unreachable: toNumber(row.unreachable),
    blocked: toNumber(row.blocked),
    moved: toNumber(row.moved),
  };
}
