// Ledger entries booked many at a time (src/domain/bonus: a history import's credits and the
// expiries of those already past due), each batch in one statement whatever its size. The domain
// decides the entries; this writes them inside the caller's transaction.
import type { Tx } from "../client.ts";
import { insertRows } from "../insert-rows.ts";
import { typedSqlOn } from "../kysely/index.ts";
import type { Provider } from "../kysely/index.ts";

/** A credit: points a visit or a welcome gives, open until spent or expired. */
export interface NewCredit {
  clinicId: number;
  accountId: number;
  patientId: number;
  kind: "accrual" | "welcome";
  amount: number;
  remaining: number;
  expiresAt: Date;
  sourceKey: string;
  visitId: number;
  createdAt: Date;
}

/** What is left of a credit, taken away at its expiry (a negative amount). */
export interface NewExpiry {
  clinicId: number;
  accountId: number;
  patientId: number;
  amount: number;
  sourceKey: string;
  createdAt: Date;
}

const creditColumns = [
  ["clinicId", "int"],
  ["accountId", "int"],
  ["patientId", "int"],
  ["kind", { enum: "BonusEntryKind" }],
  ["amount", "int"],
  ["remaining", "int"],
  ["expiresAt", "time"],
  ["sourceKey", "text"],
  ["visitId", "int"],
  ["createdAt", "time"],
] as const;

const expiryColumns = [["clinicId", "int"], ["accountId", "int"], ["patientId", "int"], ["kind", { enum: "BonusEntryKind" }], ["amount", "int"], ["sourceKey", "text"], ["createdAt", "time"]] as const;

/** Books the credits; returns each one's id with its source key (in no particular order). */
export async function insertCredits(tx: Tx, provider: Provider, credits: readonly NewCredit[]): Promise<{ id: number; sourceKey: string }[]> {
  const booked = await insertRows<{ id: unknown; sourceKey: string }>(
    typedSqlOn(tx, provider),
    "BonusEntry",
    creditColumns,
    credits.map((c) => [c.clinicId, c.accountId, c.patientId, c.kind, c.amount, c.remaining, c.expiresAt, c.sourceKey, c.visitId, c.createdAt]),
    ["id", "sourceKey"],
  );
  return booked.map((b) => ({ id: Number(b.id), sourceKey: b.sourceKey }));
}

/** Books the expiry entries. */
export async function insertExpiries(tx: Tx, provider: Provider, expiries: readonly NewExpiry[]): Promise<void> {
  await insertRows(
    typedSqlOn(tx, provider),
    "BonusEntry",
    expiryColumns,
    expiries.map((e) => [e.clinicId, e.accountId, e.patientId, "expiry", e.amount, e.sourceKey, e.createdAt]),
    ["id"],
  );
}
