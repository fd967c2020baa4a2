// The family wallet's balance (bonus.familyWallet): what a patient's visit can be paid with when
// the clinic pools a family's points — their own and every family member's, each kept on its
// own account (src/domain/bonus/family-redeem.ts spends them).
import type { Tx } from "../../db/client.ts";
import { spendableBalances } from "../bonus/summary.ts";
import { familyMembersOf } from "./members.ts";

export interface FamilyWalletBalance {
  /** The patient's own points plus every member's: what a visit of theirs can draw on. */
  balance: number;
  /** The other members with what each can spend, by id. */
  members: { patientId: number; balance: number }[];
}

export async function familyWalletBalance(tx: Tx, patientId: number, now: Date): Promise<FamilyWalletBalance> {
  const members = await familyMembersOf(tx, patientId);
  const balances = await spendableBalances(tx, [patientId, ...members], now);
  return {
    balance: [...balances.values()].reduce((a, b) => a + b, 0),
    members: members.map((id) => ({ patientId: id, balance: balances.get(id) ?? 0 })),
  };
}
