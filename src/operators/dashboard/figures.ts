// Every figure of the clinic's dashboard, as the JSON API returns it and the page draws it.
// Each section is a handful of aggregate statements: nothing here reads rows one by one.
import type { Database } from "../../db/client.ts";
import { campaignResults } from "../../campaigns/results.ts";
import type { CampaignResults } from "../../campaigns/results.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import { appointmentFigures } from "./appointment-figures.ts";
import type { AppointmentFigures } from "./appointment-figures.ts";
import { bonusFigures } from "./bonus-figures.ts";
import { channelFigures } from "./channel-figures.ts";
import type { ChannelFigures } from "./channel-figures.ts";
import type { BonusFigures } from "./bonus-figures.ts";
import { escalationFigures } from "./escalation-figures.ts";
import type { EscalationFigures } from "./escalation-figures.ts";
import { npsFigures } from "./nps-figures.ts";
import type { NpsFigures } from "./nps-figures.ts";
import { dashboardPeriods, RECENT_DAYS } from "./periods.ts";
import { reminderFigures } from "./reminder-figures.ts";
import { reviewFigures } from "./review-figures.ts";
import type { ReviewFigures } from "./review-figures.ts";
import { UnknownBranch } from "../../domain/branches/lookup.ts";
import type { ReminderFigures } from "./reminder-figures.ts";

export interface DashboardFigures {
  clinic: { id: number; name: string; timezone: string };
  /** The clock's now: every window below ends (or starts) here. */
  now: string;
  windows: {
    /** The first instant of the 12 months of NPS (the clinic's calendar). */
    npsFrom: string;
    /** The start of "the last 30 days". */
    recentFrom: string;
    /** The end of "the next 30 days" (points expiring). */
    soonUntil: string;
    days: number;
  };
  nps: NpsFigures;
  escalations: EscalationFigures;
  bonus: BonusFigures;
  reminders: ReminderFigures;
  appointments: AppointmentFigures;
  channels: ChannelFigures;
  campaigns: CampaignResults[];
  reviews: ReviewFigures;
  /** The clinic's branches, and the one these figures are about (null: the whole network). */
  branches: { code: string; name: string }[];
  branch: { code: string; name: string } | null;
}

/**
 * `branch`: a branch's code: NPS, escalations, reminders, appointments, channels and reviews of that
 * branch only (points and campaigns stay the network's: a patient's points are spent at any
 * branch, a campaign addresses the whole base). Throws UnknownBranch for a code not listed.
 */
export async function dashboardFigures(db: Database, clinicId: number, now: Date, branch?: string): Promise<DashboardFigures> {
  const clinic = await db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { id: true, name: true, timezone: true, settings: true } });
  const settings = parseClinicSettings(clinic.settings);
  const periods = dashboardPeriods(now, clinic.timezone);
  const branches = await db.prisma.branch.findMany({ where: { clinicId }, select: { id: true, code: true, name: true }, orderBy: { id: "asc" } });
  const chosen = branch === undefined ? null : branches.find((b) => b.code === branch);
  if (chosen === undefined) throw new UnknownBranch(branch!, branches.map((b) => b.code));
  const branchId = chosen?.id;
  const [nps, escalations, bonus, reminders, appointments, channels, reviews] = await Promise.all([
    npsFigures(db, clinic.id, periods, branchId),
    escalationFigures(db, clinic.id, periods, branchId),
    bonusFigures(db, clinic.id, periods),
    reminderFigures(db, clinic.id, periods, branchId),
    appointmentFigures(db, clinic.id, periods, branchId),
    channelFigures(db, clinic.id, periods, branchId),
    reviewFigures(db, clinic.id, periods, branchId),
  ]);
  // A few campaigns per clinic, two statements each.
  const campaigns: CampaignResults[] = [];
  for (const campaign of settings.campaigns) campaigns.push(await campaignResults(db, clinic.id, campaign));
  return {
    clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone },
    now: now.toISOString(),
    windows: {
      npsFrom: periods.monthStarts[0]!.toISOString(),
      recentFrom: periods.recentFrom.toISOString(),
      soonUntil: periods.soonUntil.toISOString(),
      days: RECENT_DAYS,
    },
    nps,
    escalations,
    bonus,
    reminders,
    appointments,
    channels,
    campaigns,
    reviews,
    branches: branches.map((b) => ({ code: b.code, name: b.name })),
    branch: chosen ? { code: chosen.code, name: chosen.name } : null,
  };
}
