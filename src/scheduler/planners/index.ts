import type { PlannerKind } from "../kinds.ts";
import type { Planner } from "../plan.ts";
import { planBalance } from "./balance.ts";
import { planBirthday } from "./birthday.ts";
import { planCertificateExpiry } from "./certificates.ts";
import { planCheckin } from "./checkin.ts";
import { planExpiry } from "./expiry.ts";
import { planFollowUp } from "./followup.ts";
import { planReminder } from "./reminder.ts";
import { planWaitlist } from "./waitlist.ts";

export const PLANNERS: Record<PlannerKind, Planner> = {
  balance: planBalance,
  expiry: planExpiry,
  certificates: planCertificateExpiry,
  birthday: planBirthday,
  checkin: planCheckin,
  followup: planFollowUp,
  reminder: planReminder,
  waitlist: planWaitlist,
};
