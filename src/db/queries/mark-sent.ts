// Outbox rows marked sent, many in one UPDATE (src/outbox/sent-log.ts gathers them). One prepared
// statement per number of rows (sent-log.ts caps it), each compiled once: the dispatcher marks
// rows on every message, and building the query each time cost more client CPU than running it.
import type { Database } from "../client.ts";
import { enumValue, int, preparedQuery, timeParam, typedSql, valuesTable } from "../kysely/index.ts";
import type { PreparedQuery, Provider } from "../kysely/index.ts";
import { sql } from "kysely";

export interface SentRow {
  id: number;
  sentAt: Date;
  /** The chat it went out through (null for the operators' chat). */
  sentVia: number | null;
  externalMessageId: string | null;
}

type Params = Record<string, unknown>;

/** An integer or NULL, typed (PostgreSQL takes a VALUES column's type from its values). */
function intOrNull(provider: Provider, value: number | null) {
  return provider === "postgresql" ? sql<number | null>`CAST(${value} AS INTEGER)` : sql<number | null>`${value}`;
}

/** Text or NULL, typed likewise. */
function textOrNull(value: string | null) {
  return sql<string | null>`CAST(${value} AS TEXT)`;
}

function markSentOf(count: number) {
  return preparedQuery((db, p: Params, provider) => {
    const values = Array.from({ length: count }, (_, i) => [
      int(provider, p[`id${i}`] as number),
      timeParam(provider, p[`sentAt${i}`] as Date),
      intOrNull(provider, p[`sentVia${i}`] as number | null),
      textOrNull(p[`externalMessageId${i}`] as string | null),
    ]);
    return db
      .updateTable("Outbox")
      .from(valuesTable<{ column1: number; column2: Date; column3: number | null; column4: string | null }, "v">(values, "v"))
      .set((eb) => ({
        status: enumValue(provider, "OutboxStatus", "sent"),
        sentAt: eb.ref("v.column2"),
        sentVia: eb.ref("v.column3"),
        externalMessageId: eb.ref("v.column4"),
        leaseUntil: null,
        lastError: null,
        updatedAt: eb.ref("v.column2"),
      }))
      .whereRef("Outbox.id", "=", "v.column1");
  });
}

const byCount = new Map<number, PreparedQuery<Params, unknown>>();

/** The statement for `count` rows (for the benchmark's ceiling too). */
export function markSentStatement(count: number): PreparedQuery<Params, unknown> {
  let prepared = byCount.get(count);
  if (!prepared) byCount.set(count, (prepared = markSentOf(count)));
  return prepared;
}

/** One UPDATE for all the rows. leaseOwner stays: it says which process sent each. */
export async function markSent(db: Database, rows: readonly SentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const params: Params = {};
  rows.forEach((r, i) => {
    params[`id${i}`] = r.id;
    params[`sentAt${i}`] = r.sentAt;
    params[`sentVia${i}`] = r.sentVia;
    params[`externalMessageId${i}`] = r.externalMessageId;
  });
  await markSentStatement(rows.length).execute(typedSql(db), params);
}
