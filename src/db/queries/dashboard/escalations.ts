// Escalations counted in the database: the unresolved ones by priority and status (and which of
// them are past their SLA), the ones resolved in the window, and the median time to take and to
// resolve one (the middle row(s) by rank, averaged).
import type { Database } from "../../client.ts";
import { asText, countWhere, enumValue, firstColumns, middleRanks, rankOf, secondsBetween, toNumber, typedSql } from "../../kysely/index.ts";
import type { FigureWindow } from "./window.ts";

export interface UnresolvedCount {
  priority: string;
  status: "open" | "taken";
  n: number;
  /** Of those, open and past their SLA at `until`. */
  overdue: number;
}

export interface EscalationCounts {
  unresolved: UnresolvedCount[];
  /** Resolved in the window, and of those after their SLA. */
  resolved: number;
  resolvedLate: number;
}

export async function escalationCounts(db: Database, window: FigureWindow): Promise<EscalationCounts> {
  const q = typedSql(db);
  const { clinicId, branchId } = window;
  const status = (value: "open" | "taken" | "resolved") => enumValue(q.provider, "EscalationStatus", value);
  const [rows, late] = await Promise.all([
    q
      .selectFrom("Escalation as e")
      .select((eb) => [
        asText(eb.ref("e.priority")).as("priority"),
        asText(eb.ref("e.status")).as("status"),
        eb.fn.countAll().as("n"),
        countWhere(eb.and([eb("e.status", "=", status("open")), eb("e.slaDueAt", "<=", window.until)])).as("overdue"),
      ])
      .where("e.clinicId", "=", clinicId)
      .where("e.status", "in", [status("open"), status("taken")])
      .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!))
      .groupBy(firstColumns(2))
      .execute(),
    q
      .selectFrom("Escalation as e")
      .select((eb) => [eb.fn.countAll().as("resolved"), countWhere(eb("e.resolvedAt", ">", eb.ref("e.slaDueAt"))).as("late")])
      .where("e.clinicId", "=", clinicId)
      .where("e.status", "=", status("resolved"))
      .where("e.resolvedAt", ">=", window.from)
      .where("e.resolvedAt", "<=", window.until)
      .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!))
      .executeTakeFirst(),
  ]);
  return {
    unresolved: rows.map((r) => ({ priority: r.priority, status: r.status === "open" ? "open" : "taken", n: toNumber(r.n), overdue: toNumber(r.overdue) })),
    resolved: toNumber(late?.resolved),
    resolvedLate: toNumber(late?.late),
  };
}

/** The median seconds from opening to `column`, over the escalations that reached it in the window; null with none. */
export async function medianSecondsTo(db: Database, column: "takenAt" | "resolvedAt", window: FigureWindow): Promise<number | null> {
  const q = typedSql(db);
  const { clinicId, branchId } = window;
  const spans = q
    .selectFrom("Escalation as e")
    .select((eb) => secondsBetween(q.provider, eb.ref("e.createdAt"), eb.ref(`e.${column}`)).as("seconds"))
    .where("e.clinicId", "=", clinicId)
    .where(`e.${column}`, "is not", null)
    .where(`e.${column}`, ">=", window.from)
    .where(`e.${column}`, "<=", window.until)
    .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!));
  const ranked = q
    .selectFrom(spans.as("x"))
    .select((eb) => {
      const { rank, rows } = rankOf(eb.ref("x.seconds"));
      return ["x.seconds", rank.as("rn"), rows.as("n")];
    });
  const row = await q
    .selectFrom(ranked.as("d"))
    .select((eb) => eb.fn.avg("d.seconds").as("median"))
    .where((eb) => eb("d.rn", "in", middleRanks(eb.ref("d.n"))))
    .executeTakeFirst();
  return row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median));
}
