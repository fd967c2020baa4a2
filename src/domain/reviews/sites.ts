// Which review sites a promoter is offered: the visit's doctor's own pages win, then the branch's,
// then the clinic's (with the older single `reviewUrl` as the clinic's last resort).
import type { Branch } from "../branches/branch.ts";
import type { ClinicSettings } from "../clinic/settings.ts";
import type { ReviewLink } from "../clinic/profile.ts";

export function reviewSitesFor(settings: Pick<ClinicSettings, "reviewLinks" | "reviewUrl" | "doctorReviewLinks">, branch: Branch | null, doctor: string | null): ReviewLink[] {
  const own = doctor ? settings.doctorReviewLinks[doctor.trim()] : undefined;
  if (own && own.length > 0) return own;
  if (branch && branch.reviewLinks.length > 0) return branch.reviewLinks;
  if (settings.reviewLinks.length > 0) return settings.reviewLinks;
  return settings.reviewUrl ? [{ label: "Отзывы", url: settings.reviewUrl }] : [];
}
