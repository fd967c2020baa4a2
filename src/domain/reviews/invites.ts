// A promoter's invitation to the review sites: one row per answer and site with an unguessable
// token. The patient's link is /r/<token>: it carries no patient data, and following it records
// the first click and redirects to the site.
import { randomBytes } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import type { ReviewLink } from "../clinic/profile.ts";

export interface ReviewInviteInput {
  clinicId: number;
  patientId: number;
  npsResponseId: number;
  branchId: number | null;
  sites: ReviewLink[];
  now: Date;
}

/** 128 random bits, URL-safe. */
export function newReviewToken(): string {
  return randomBytes(16).toString("base64url");
}

/** The tokens of the answer's sites, in the sites' order; asking again (a replay) keeps the same tokens. */
export async function inviteToReview(tx: Tx, input: ReviewInviteInput): Promise<{ label: string; token: string }[]> {
  const invited: { label: string; token: string }[] = [];
  for (const site of input.sites) {
    const row = await tx.reviewInvite.upsert({
      where: { npsResponseId_site: { npsResponseId: input.npsResponseId, site: site.label } },
      create: { clinicId: input.clinicId, patientId: input.patientId, npsResponseId: input.npsResponseId, branchId: input.branchId, site: site.label, url: site.url, token: newReviewToken(), createdAt: input.now },
      update: { url: site.url },
      select: { token: true },
    });
    invited.push({ label: site.label, token: row.token });
  }
  return invited;
}

export const REVIEW_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The site a token leads to, recording the click once (a second click redirects and counts nothing); null for an unknown token. */
export async function followReviewLink(tx: Tx, token: string, now: Date): Promise<string | null> {
  if (!REVIEW_TOKEN.test(token)) return null;
  const row = await tx.reviewInvite.findUnique({ where: { token }, select: { id: true, url: true } });
  if (!row) return null;
  await tx.reviewInvite.updateMany({ where: { id: row.id, clickedAt: null }, data: { clickedAt: now } });
  return row.url;
}
