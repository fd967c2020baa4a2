import { DateTime } from "luxon";
import type { Tx } from "../../../db/client.ts";
import { newCertificateCode } from "./codes.ts";
import { certificateView } from "./view.ts";
import type { CertificateView } from "./view.ts";

export interface IssueInput {
  clinicId: number;
  /** Kopecks. */
  amount: number;
  /** Days it stays valid from `now` (the clinic's default unless the caller names one). */
  validDays: number;
  buyerPatientId: number | null;
  ownerPatientId: number | null;
  /** The issuer's idempotency key (a sale's id in the MIS): issuing it again answers with the same certificate. */
  key: string;
  now: Date;
}

/** Issues a certificate with a fresh code; its ledger opens with an `issue` entry. */
export async function issueCertificate(tx: Tx, input: IssueInput): Promise<{ certificate: CertificateView; created: boolean }> {
  const { clinicId, now } = input;
  if (input.key.trim() === "") throw new Error("issuing a certificate needs a non-empty idempotency key");
  const before = await tx.giftCertificate.findUnique({ where: { clinicId_issueKey: { clinicId, issueKey: input.key } } });
  if (before) return { certificate: certificateView(before, now), created: false };
  let code = newCertificateCode();
  while (await tx.giftCertificate.findUnique({ where: { clinicId_code: { clinicId, code } }, select: { id: true } })) code = newCertificateCode();
  const expiresAt = DateTime.fromJSDate(now, { zone: "utc" }).plus({ days: input.validDays }).toJSDate();
  const row = await tx.giftCertificate.create({
    data: { clinicId, code, initialAmount: input.amount, balance: input.amount, expiresAt, buyerPatientId: input.buyerPatientId, ownerPatientId: input.ownerPatientId, issueKey: input.key, createdAt: now },
  });
  await tx.giftCertificateEntry.create({
    data: { clinicId, certificateId: row.id, kind: "issue", amount: input.amount, patientId: input.buyerPatientId ?? input.ownerPatientId, sourceKey: `cert:issue:${input.key}`, createdAt: now },
  });
  return { certificate: certificateView(row, now), created: true };
}
