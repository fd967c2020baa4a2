// Closing the NPS loop, counted: review invitations per site and clicks (each invitation and site
// once), promoters' answers invited and those that followed a link, and detractors' answers with
// how many of their patients came back for a completed visit afterwards.
import type { Database } from "../../client.ts";
import { countWhere, enumValue, firstColumns, toNumber, typedSql } from "../../kysely/index.ts";
import { visitsOfBranch } from "./branch-filter.ts";
import type { FigureWindow } from "./window.ts";

export interface ReviewCounts {
  sites: { site: string; invited: number; clicked: number }[];
  /** Answers offered at least one site, and of those the ones that followed a link. */
  invited: number;
  clicked: number;
  detractors: number;
  returned: number;
}

/** `branchId`: the branch's invitations, and the answers about its visits. */
export async function reviewCounts(db: Database, window: FigureWindow): Promise<ReviewCounts> {
  const q = typedSql(db);
  const { clinicId, from, until, branchId } = window;
  const [sites, answers, detractors] = await Promise.all([
    q
      .selectFrom("ReviewInvite as i")
      .select((eb) => ["i.site", eb.fn.countAll().as("invited"), countWhere(eb("i.clickedAt", "is not", null)).as("clicked")])
      .where("i.clinicId", "=", clinicId)
      .where("i.createdAt", ">=", from)
      .where("i.createdAt", "<=", until)
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
          .where("a.createdAt", "<=", until)
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
      .where("r.createdAt", "<=", until)
      .$if(branchId !== undefined, (qb) => qb.where("r.visitId", "in", visitsOfBranch(q, branchId!)))
      .executeTakeFirst(),
  ]);
  return {
    sites: sites.map((s) => ({ site: s.site, invited: toNumber(s.invited), clicked: toNumber(s.clicked) })),
    invited: toNumber(answers?.invited),
    clicked: toNumber(answers?.clicked),
    detractors: toNumber(detractors?.detractors),
    returned: toNumber(detractors?.returned),
  };
}
