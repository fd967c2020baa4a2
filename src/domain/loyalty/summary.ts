// A patient's loyalty at a glance: level, what they paid over the period, promo codes used,
// certificates held. For the MIS API and the console's patient card.
import type { Tx } from "../../db/client.ts";
import type { ClinicSettings } from "../clinic/settings.ts";
import { certificatesOf } from "./certificates/index.ts";
import type { CertificateView } from "./certificates/index.ts";
import { levelById, levelInForce, paidOverPeriod } from "./levels/index.ts";
import { promoCodesUsedBy } from "./promo/index.ts";

type Reader = Pick<Tx, "loyaltyLevel" | "visit" | "promoCode" | "promoRedemption" | "giftCertificate">;

export interface LoyaltySummary {
  level: { id: string; name: string; nameEn: string; accrualPercent: number; maxBillShare: number; holdsUntil: Date; lowerTo: string | null; lowerNoticeAt: Date | null } | null;
  /** Kopecks paid over the last `levelPeriodMonths`. */
  paid: number;
  promoCodes: Awaited<ReturnType<typeof promoCodesUsedBy>>;
  certificates: CertificateView[];
}

export async function loyaltySummary(db: Reader, patientId: number, settings: ClinicSettings, now: Date): Promise<LoyaltySummary> {
  const row = await levelInForce(db as Tx, patientId);
  const rule = row ? levelById(row.level, settings.bonus) : null;
  return {
    level: row && rule ? { id: rule.id, name: rule.name, nameEn: rule.nameEn ?? rule.name, accrualPercent: rule.accrualPercent, maxBillShare: rule.maxBillShare, holdsUntil: row.holdsUntil, lowerTo: row.lowerTo, lowerNoticeAt: row.lowerNoticeAt } : null,
    paid: await paidOverPeriod(db as Tx, patientId, now, settings.bonus.levelPeriodMonths),
    promoCodes: await promoCodesUsedBy(db, patientId),
    certificates: await certificatesOf(db, patientId, now),
  };
}
