import { DateTime } from "luxon";
import type { Tx } from "../../../db/client.ts";

/** The start of the window of payments a level counts: `months` before `at`. */
export function periodStart(at: Date, months: number): Date {
  return DateTime.fromJSDate(at, { zone: "utc" }).minus({ months }).toJSDate();
}

/**
 * What the patient paid (kopecks) for visits completed in the `months` up to `at`, that one
 * included. A refunded visit is cancelled and no longer counts.
 */
export async function paidOverPeriod(tx: Tx, patientId: number, at: Date, months: number): Promise<number> {
  const sum = await tx.visit.aggregate({
    where: { patientId, status: "completed", completedAt: { gt: periodStart(at, months), lte: at } },
    _sum: { amount: true },
  });
  return sum._sum.amount ?? 0;
}
