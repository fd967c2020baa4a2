// Reachability per messenger: how many patients CareBot can write to in Telegram, MAX and
// WhatsApp now (a patient with two messengers counts in both), how many in none, how many chats
// blocked the bot in the last 30 days, and how many messages moved to the patient's next
// messenger after one refused them (src/outbox/failover.ts). One aggregate statement
// (src/db/queries/dashboard/channels.ts).
import type { Database } from "../../db/client.ts";
import { reachability } from "../../db/queries/dashboard/channels.ts";
import { FAILOVER_CHANNELS } from "../../domain/clinic/settings.ts";
import type { FailoverChannel } from "../../domain/clinic/settings.ts";
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
  return reachability(db, { clinicId, from: periods.recentFrom, until: periods.now, branchId }, FAILOVER_CHANNELS);
}
