import type { Tx } from "../../../db/client.ts";

type CertificateRow = Awaited<ReturnType<Tx["giftCertificate"]["findFirstOrThrow"]>>;

export interface CertificateView {
  id: number;
  code: string;
  /** Kopecks. */
  initialAmount: number;
  balance: number;
  expiresAt: Date;
  expired: boolean;
  ownerPatientId: number | null;
  buyerPatientId: number | null;
  /** Being given to a friend: the link is out and not yet opened. */
  sharing: boolean;
}

export function certificateView(row: CertificateRow, now: Date): CertificateView {
  return {
    id: row.id,
    code: row.code,
    initialAmount: row.initialAmount,
    balance: row.balance,
    expiresAt: row.expiresAt,
    expired: row.expiresAt <= now,
    ownerPatientId: row.ownerPatientId,
    buyerPatientId: row.buyerPatientId,
    sharing: row.shareToken !== null,
  };
}

/** The certificates a patient holds, newest first (spent and expired ones too, for the card). */
export async function certificatesOf(db: Pick<Tx, "giftCertificate">, patientId: number, now: Date): Promise<CertificateView[]> {
  const rows = await db.giftCertificate.findMany({ where: { ownerPatientId: patientId }, orderBy: { id: "desc" } });
  return rows.map((r) => certificateView(r, now));
}

/** The ones that can still pay: a balance left and not expired. */
export const spendable = (c: CertificateView) => c.balance > 0 && !c.expired;
