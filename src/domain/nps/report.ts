import { DateTime } from "luxon";
import type { Tx } from "../../db/client.ts";
import { npsScore } from "./category.ts";

export type NpsGroupBy = "doctor" | "service" | "month";

export interface NpsRow {
  group: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
}

/**
 * NPS per doctor, service or month (in the clinic's time zone) over [from, to). The grouping is
 * done on counts per group and category, so it stays one small query however many answers.
 */
export async function npsReport(tx: Tx, clinicId: number, options: { from: Date; to: Date; groupBy: NpsGroupBy; timezone: string }): Promise<{ total: NpsRow; groups: NpsRow[] }> {
  const where = { clinicId, createdAt: { gte: options.from, lt: options.to } };
  const counts = new Map<string, NpsRow>();
  const add = (group: string, category: string, n: number) => {
    const row = counts.get(group) ?? { group, responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null };
    row.responses += n;
    if (category === "promoter") row.promoters += n;
    else if (category === "passive") row.passives += n;
    else row.detractors += n;
    counts.set(group, row);
  };
  if (options.groupBy === "month") {
    const rows = await tx.npsResponse.findMany({ where, select: { createdAt: true, category: true } });
    for (const r of rows) add(DateTime.fromJSDate(r.createdAt, { zone: options.timezone }).toFormat("yyyy-MM"), r.category, 1);
  } else {
    const rows = await tx.npsResponse.groupBy({ by: [options.groupBy, "category"], where, _count: { _all: true } });
    for (const r of rows) add((r[options.groupBy] as string | null) ?? "—", r.category, r._count._all);
  }
  const groups = [...counts.values()].map((row) => ({ ...row, nps: npsScore(row) })).sort((a, b) => a.group.localeCompare(b.group));
  const total = groups.reduce(
    (sum, g) => ({ ...sum, responses: sum.responses + g.responses, promoters: sum.promoters + g.promoters, passives: sum.passives + g.passives, detractors: sum.detractors + g.detractors }),
    { group: "total", responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null as number | null },
  );
  return { total: { ...total, nps: npsScore(total) }, groups };
}
