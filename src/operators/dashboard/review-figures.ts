// Closing the NPS loop, over the NPS window (12 months): promoters invited to review sites, who
// followed a link (per site, each invitation and site counted once), and how many detractors came
// back for another visit after their answer (counted by src/db/queries/dashboard/reviews.ts).
import type { Database } from "../../db/client.ts";
import { reviewCounts } from "../../db/queries/dashboard/reviews.ts";
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
  const counts = await reviewCounts(db, { clinicId, from: periods.monthStarts[0]!, until: periods.now, branchId });
  return {
    invited: counts.invited,
    clicked: counts.clicked,
    sites: [...counts.sites].sort((a, b) => b.clicked - a.clicked || b.invited - a.invited || a.site.localeCompare(b.site)),
    detractors: counts.detractors,
    detractorsReturned: counts.returned,
    detractorReturnRate: counts.detractors === 0 ? null : counts.returned / counts.detractors,
  };
}
