import type { Tx } from "../../../db/client.ts";
import { normalizeCertificateCode } from "./codes.ts";
import { certificateView } from "./view.ts";
import type { CertificateView } from "./view.ts";

export const CERTIFICATE_REFUSALS = ["unknown", "expired", "insufficient"] as const;
export type CertificateRefusal = (typeof CERTIFICATE_REFUSALS)[number];

const RU: Record<CertificateRefusal, string> = {
  unknown: "Сертификата с таким кодом нет: проверьте, как он написан.",
  expired: "Срок действия сертификата закончился.",
  insufficient: "На сертификате меньше, чем нужно списать.",
};

export class CertificateRefused extends Error {
  override name = "CertificateRefused";
  constructor(
    readonly reason: CertificateRefusal,
    detail = "",
  ) {
    super(detail ? `${RU[reason]} ${detail}` : RU[reason]);
  }
}

/**
 * Pays `amount` kopecks of a bill from the certificate with this code, whoever holds it. The
 * certificate's row is written first, so two payments wait for each other. Idempotent by key.
 */
export async function spendCertificate(
  tx: Tx,
  input: { clinicId: number; code: string; amount: number; key: string; patientId: number | null; visitExternalId: string | null; now: Date },
): Promise<{ certificate: CertificateView; spent: number; replayed: boolean }> {
  const { clinicId, now } = input;
  if (input.key.trim() === "") throw new Error("a certificate payment needs a non-empty idempotency key");
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw new Error("a certificate payment is a whole positive number of kopecks");
  const sourceKey = `cert:spend:${input.key}`;
  const done = await tx.giftCertificateEntry.findUnique({ where: { clinicId_sourceKey: { clinicId, sourceKey } } });
  if (done) {
    const row = await tx.giftCertificate.findUniqueOrThrow({ where: { id: done.certificateId } });
    return { certificate: certificateView(row, now), spent: -done.amount, replayed: true };
  }
  const found = await tx.giftCertificate.findUnique({ where: { clinicId_code: { clinicId, code: normalizeCertificateCode(input.code) } } });
  if (!found) throw new CertificateRefused("unknown");
  const locked = await tx.giftCertificate.update({ where: { id: found.id }, data: { updatedAt: now } });
  if (locked.expiresAt <= now) throw new CertificateRefused("expired");
  if (locked.balance < input.amount) throw new CertificateRefused("insufficient", `Остаток: ${(locked.balance / 100).toFixed(2)} ₽.`);
  const row = await tx.giftCertificate.update({ where: { id: found.id }, data: { balance: { decrement: input.amount } } });
  await tx.giftCertificateEntry.create({
    data: { clinicId, certificateId: row.id, kind: "spend", amount: -input.amount, patientId: input.patientId, visitExternalId: input.visitExternalId, sourceKey, createdAt: now },
  });
  return { certificate: certificateView(row, now), spent: input.amount, replayed: false };
}
