// A patient's bonus account and open credits in one statement, for the inbound hot path (every
// message of a linked patient needs the balance): src/domain/bonus/summary.ts folds the rows.
import type { Tx } from "../client.ts";
import { preparedQuery, toNumber, typedSqlOn } from "../kysely/index.ts";
import type { Provider } from "../kysely/index.ts";

/** The statement, compiled once per database (the benchmark's ceiling runs it too). */
export const summaryQuery = preparedQuery((db, p: { patientId: number; soon: Date }) =>
  db
    .selectFrom(db.selectNoFrom((eb) => eb.lit(1).as("one")).as("x"))
    .leftJoin("BonusAccount as a", (join) => join.on("a.patientId", "=", p.patientId))
    .leftJoin("BonusEntry as e", (join) => join.on("e.patientId", "=", p.patientId).on("e.remaining", ">", 0).on("e.expiresAt", "<=", p.soon))
    .select(["a.balance", "e.remaining", "e.expiresAt"])
    .orderBy("e.expiresAt")
    .orderBy("e.id"),
);

export interface OpenCredits {
  /** The account's balance (0 without an account). */
  balance: number;
  /** The credits with points left that expire up to `soon` (overdue ones too), soonest first. */
  credits: { remaining: number; expiresAt: Date }[];
}

export async function openCreditsUntil(tx: Tx, provider: Provider, patientId: number, soon: Date): Promise<OpenCredits> {
  const rows = await summaryQuery.execute(typedSqlOn(tx, provider), { patientId, soon });
  const credits: OpenCredits["credits"] = [];
  for (const row of rows) {
    if (row.expiresAt === null || row.remaining === null) continue;
    credits.push({ remaining: toNumber(row.remaining), expiresAt: new Date(row.expiresAt) });
  }
  return { balance: toNumber(rows[0]?.balance), credits };
}
