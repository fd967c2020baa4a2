// «Мои баллы» in a family's chat: each ward's points beside the guardian's own. The ledger stays
// one ledger, an account per person; the family wallet (bonus.familyWallet) pools them when a
// visit is paid (family-wallet.ts, bonus/family-redeem.ts), never a shared account (docs/loyalty.md, «Семьи»).
import type { Db, Tx } from "../../db/client.ts";
import { firstNameOf } from "../names/names.ts";

export interface FamilyBalance {
  /** The guardian's wards with their balances, by id; empty for a patient who looks after no one. */
  wards: { name: string; balance: number }[];
  /** The guardian's own balance plus every ward's. */
  total: number;
}

export async function familyBalance(db: Tx | Db, guardianId: number): Promise<FamilyBalance> {
  const [own, ties] = await Promise.all([
    db.bonusAccount.findUnique({ where: { patientId: guardianId }, select: { balance: true } }),
    db.guardianship.findMany({
      where: { guardianId, ward: { erasedAt: null } },
      orderBy: { wardId: "asc" },
      select: { ward: { select: { fullName: true, firstName: true, bonusAccount: { select: { balance: true } } } } },
    }),
  ]);
  const wards = ties.map((t) => ({ name: firstNameOf(t.ward), balance: t.ward.bonusAccount?.balance ?? 0 }));
  return { wards, total: wards.reduce((sum, w) => sum + w.balance, own?.balance ?? 0) };
}
