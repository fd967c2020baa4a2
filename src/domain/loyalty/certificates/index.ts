// Gift certificates: the public API for the MIS API, flows and the console.
export { issueCertificate } from "./issue.ts";
export type { IssueInput } from "./issue.ts";
export { spendCertificate, CertificateRefused, CERTIFICATE_REFUSALS } from "./spend.ts";
export type { CertificateRefusal } from "./spend.ts";
export { startGift, claimGift } from "./gift.ts";
export type { ClaimOutcome } from "./gift.ts";
export { certificatesOf, certificateView, spendable } from "./view.ts";
export type { CertificateView } from "./view.ts";
export { normalizeCertificateCode } from "./codes.ts";
export { expireCertificates, certificateExpiryKey, CERTIFICATE_EXPIRY_BATCH } from "./expire.ts";
export type { CertificateExpiryResult } from "./expire.ts";
export { certificatesWithHistory, CERTIFICATE_LIST_LIMIT } from "./history.ts";
export type { CertificateWithHistory, CertificateEntryView, CertificateEntryKind } from "./history.ts";
