// NPS for the dashboard: per calendar month (the clinic's), per doctor and per score, over the
// last 12 months. One grouped statement (src/db/queries/dashboard/nps.ts) counts the answers
// once; the three views are summed from those counts. (npsReport's month grouping reads every
// answer into memory, and a call per view would read the answers three times.)
import type { Database } from "../../db/client.ts";
import { npsCounts } from "../../db/queries/dashboard/nps.ts";
import { npsScore } from "../../domain/nps/category.ts";
import type { NpsRow } from "../../domain/nps/report.ts";
import type { DashboardPeriods } from "./periods.ts";

export interface NpsMonth extends Omit<NpsRow, "group"> {
  /** "yyyy-MM" on the clinic's calendar. */
  month: string;
}

export interface NpsFigures {
  /** The 12 months, oldest first; months with no answers have 0 responses and nps null. */
  months: NpsMonth[];
  /** All answers of the 12 months. */
  total: Omit<NpsRow, "group">;
  /** Per doctor over the 12 months, best NPS first ("—" gathers answers with no doctor), as npsReport names groups. */
  doctors: NpsRow[];
  /** Answers per score 0…10 over the 12 months (all eleven scores, zeros included). */
  scores: { score: number; responses: number }[];
}

type Counts = { responses: number; promoters: number; passives: number; detractors: number };
const emptyCounts = (): Counts => ({ responses: 0, promoters: 0, passives: 0, detractors: 0 });

function add(counts: Counts, category: string, n: number): void {
  counts.responses += n;
  if (category === "promoter") counts.promoters += n;
  else if (category === "passive") counts.passives += n;
  else counts.detractors += n;
}

/** `branchId`: only the answers about visits at that branch. */
export async function npsFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<NpsFigures> {
  const rows = await npsCounts(db, { clinicId, monthStarts: periods.monthStarts, until: periods.now, branchId });
  const months = periods.monthKeys.map((month) => ({ month, ...emptyCounts() }));
  const doctors = new Map<string, Counts>();
  const scores = Array.from({ length: 11 }, (_, score) => ({ score, responses: 0 }));
  const total = emptyCounts();
  for (const r of rows) {
    const n = r.n;
    const doctor = r.doctor ?? "—";
    if (!doctors.has(doctor)) doctors.set(doctor, emptyCounts());
    add(months[r.month]!, r.category, n);
    add(doctors.get(doctor)!, r.category, n);
    add(total, r.category, n);
    const score = scores[r.score];
    if (score) score.responses += n;
  }
  return {
    months: months.map((m) => ({ ...m, nps: npsScore(m) })),
    total: { ...total, nps: npsScore(total) },
    doctors: [...doctors.entries()]
      .map(([group, c]) => ({ group, ...c, nps: npsScore(c) }))
      .sort((a, b) => (b.nps ?? -Infinity) - (a.nps ?? -Infinity) || b.responses - a.responses || a.group.localeCompare(b.group)),
    scores,
  };
}
