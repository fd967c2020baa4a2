// Closing the NPS loop, over the NPS window (12 months): promoters invited to review sites, who
// followed a link (per site, each invitation and site counted once), and how many detractors came
// back for another visit after their answer.
import type { Database } from "../../db/client.ts";
import { countWhere, enumValue, firstColumns, toNumber, typedSql } from "../../db/kysely/index.ts";
import { visitsOfBranch } from "./branch-filter.ts";
import type { DashboardPeriods } from "./periods.ts";

export interface ReviewFigures {
  /** Promoters' answers offered at least one review site. */
  invited: number;
  /** Of those, the ones who followed at least one link. */
  clicked: number;
  /** Per site (its label): invitations and clicks, most clicked first. */
  sites: { site: string; invited: number; clicked: number }[];
  /** Detractors' answers in the window, and those whose patient had a completed visit after answering. */
  detractors: number;
  detractorsReturned: number;
  /** detractorsReturned ÷ detractors, 0…1; null with no detractors. */
  detractorReturnRate: number | null;
}

export async function reviewFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<ReviewFigures> {
  const q = typedSql(db);
  const from = periods.monthStarts[0]!;
  const [sites, answers, detractors] = await Promise.all([
    q
      .selectFrom("ReviewInvite as i")
      .select((eb) => ["i.site", eb.fn.countAll().as("invited"), countWhere(eb("i.clickedAt", "is not", null)).as("clicked")])
      .where("i.clinicId", "=", clinicId)
      .where("i.createdAt", ">=", from)
      .where("i.createdAt", "<=", periods.now)
      .$if(branchId !== undefined, (qb) => qb.where("i.branchId", "=", branchId!))
      .groupBy(firstColumns(1))
      .execute(),
    q
      .selectFrom((sub) =>
        sub
          .selectFrom("ReviewInvite as a")
          .select((eb) => ["a.npsResponseId", countWhere(eb("a.clickedAt", "is not", null)).as("clicks")])
          .where("a.clinicId", "=", clinicId)
          .where("a.createdAt", ">=", from)
          .where("a.createdAt", "<=", periods.now)
          .$if(branchId !== undefined, (qb) => qb.where("a.branchId", "=", branchId!))
          .groupBy(firstColumns(1))
          .as("per"),
      )
      .select((eb) => [eb.fn.countAll().as("invited"), countWhere(eb("per.clicks", ">", 0)).as("clicked")])
      .executeTakeFirst(),
    q
      .selectFrom("NpsResponse as r")
      .select((eb) => [
        eb.fn.countAll().as("detractors"),
        countWhere(
          eb.exists(
            eb
              .selectFrom("Visit as later")
              .select("later.id")
              .whereRef("later.patientId", "=", "r.patientId")
              .where("later.status", "=", enumValue(q.provider, "VisitStatus", "completed"))
              .whereRef("later.startsAt", ">", "r.createdAt"),
          ),
        ).as("returned"),
      ])
      .where("r.clinicId", "=", clinicId)
      .where("r.category", "=", enumValue(q.provider, "NpsCategory", "detractor"))
      .where("r.createdAt", ">=", from)
      .where("r.createdAt", "<=", periods.now)
      .$if(branchId !== undefined, (qb) => qb.where("r.visitId", "in", visitsOfBranch(q, branchId!)))
      .executeTakeFirst(),
  ]);
  const detractorCount = toNumber(detractors?.detractors);
  const returned = toNumber(detractors?.returned);
  return {
    invited: toNumber(answers?.invited),
    clicked: toNumber(answers?.clicked),
    sites: sites
      .map((s) => ({ site: s.site, invited: toNumber(s.invited), clicked: toNumber(s.clicked) }))
      .sort((a, b) => b.clicked - a.clicked || b.invited - a.invited || a.site.localeCompare(b.site)),
    detractors: detractorCount,
    detractorsReturned: returned,
    detractorReturnRate: detractorCount === 0 ? null : returned / detractorCount,
  };
}
