// A certificate past its expiry loses what is left on it: one `expiry` entry in its ledger
// (`cert:expiry:<certificate id>`, dated at the expiry), its balance set to 0. The scheduler's
// certificate job runs it with the injected clock; running it again finds nothing to do.
import type { Tx } from "../../../db/client.ts";

export interface CertificateExpiryResult {
  /** Certificates expired by this run. */
  certificates: number;
  /** Kopecks they held. */
  amount: number;
}

/** Certificates per run: one transaction stays short; the next run takes the rest. */
export const CERTIFICATE_EXPIRY_BATCH = 500;

export const certificateExpiryKey = (certificateId: number) => `cert:expiry:${certificateId}`;

export async function expireCertificates(tx: Tx, input: { clinicId: number; now: Date; limit?: number }): Promise<CertificateExpiryResult> {
  const due = await tx.giftCertificate.findMany({
    where: { clinicId: input.clinicId, balance: { gt: 0 }, expiresAt: { lte: input.now } },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    take: input.limit ?? CERTIFICATE_EXPIRY_BATCH,
    select: { id: true },
  });
  const result: CertificateExpiryResult = { certificates: 0, amount: 0 };
  for (const { id } of due) {
    // Written first, as a payment does, so a payment at the desk and the expiry wait for each other;
    // then read again: the payment may have taken the rest meanwhile.
    const row = await tx.giftCertificate.update({ where: { id }, data: { updatedAt: input.now } });
    if (row.balance <= 0) continue;
    const sourceKey = certificateExpiryKey(row.id);
    if (await tx.giftCertificateEntry.findUnique({ where: { clinicId_sourceKey: { clinicId: input.clinicId, sourceKey } }, select: { id: true } })) continue;
    await tx.giftCertificateEntry.create({
      data: { clinicId: input.clinicId, certificateId: row.id, kind: "expiry", amount: -row.balance, patientId: row.ownerPatientId, sourceKey, createdAt: row.expiresAt },
    });
    await tx.giftCertificate.update({ where: { id: row.id }, data: { balance: 0 } });
    result.certificates += 1;
    result.amount += row.balance;
  }
  return result;
}
