// A branch of a clinic's network as the code uses it: the row's own fields with its stored JSON
// (calendar, review links) checked. Patients and bonus points stay the clinic's; a branch has its
// own address, phone, working calendar and review sites, each falling back to the clinic's.
import { z } from "zod";
import { storedBranchCalendar } from "./calendar.ts";
import type { BranchCalendar } from "./calendar.ts";
import type { ReviewLink } from "../clinic/profile.ts";

export const reviewLinksSchema = z.array(z.object({ label: z.string().trim().min(1), url: z.url() }).strict()).max(8);

/** A branch code as the MIS sends it: short, no spaces ("center", "north-2"). */
export const BRANCH_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export interface Branch {
  id: number;
  code: string;
  name: string;
  address: string;
  /** E.164 or "" (the clinic's then). */
  phone: string;
  /** Its own week, days off and special hours (calendar.ts); null: the clinic's calendar as it is. */
  calendar: BranchCalendar | null;
  /** Empty: the clinic's review links. */
  reviewLinks: ReviewLink[];
}

export interface BranchRow {
  id: number;
  code: string;
  name: string;
  address: string;
  phone: string;
  calendar: unknown;
  reviewLinks: unknown;
}

/** A stored row → Branch; JSON that no longer validates falls back to the clinic's (never breaks a text). */
export function branchOf(row: BranchRow): Branch {
  const calendar = row.calendar === null || row.calendar === undefined ? null : storedBranchCalendar.safeParse(row.calendar);
  const links = reviewLinksSchema.safeParse(row.reviewLinks ?? []);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    address: row.address,
    phone: row.phone,
    calendar: calendar?.success ? calendar.data : null,
    reviewLinks: links.success ? links.data : [],
  };
}
