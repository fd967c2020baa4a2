// What CareBot relies on in Prisma beyond the driver adapters' typed interface, kept in this one
// file. test/db/prisma-internals.test.ts checks each point against the installed Prisma, so an
// upgrade that changes one fails there first, by name, instead of somewhere downstream:
//
// 1. @prisma/adapter-better-sqlite3 keeps its better-sqlite3 connection in a field `client`.
//    The direct path (direct-sqlite.ts) runs prepared statements on it. Without it, that path
//    switches itself off and Prisma runs everything.
// 2. That adapter has one connection and one lock, and takes the lock only in startTransaction:
//    a statement sent to the adapter itself runs at once, inside whatever transaction is open on
//    the connection, and is undone by its rollback. sqlite-connection-guard.ts puts a lock of
//    CareBot's own in front of the adapter, which plain statements take too. It also begins
//    transactions itself (a kept BEGIN on the connection): the adapter's transaction is only
//    BEGIN, then the adapter's own statements on that connection until the caller's COMMIT.
// 3. Prisma's interactive-transaction client (`$transaction(async (tx) => …)`) is a proxy of the
//    client it came from: it reads that client's own properties (so it finds the direct path),
//    and it hides `$connect`, which every top-level client has.
// 4. `$queryRawUnsafe` on PostgreSQL types the adapter's result set column by column as
//    rawRowsAsPrisma does (Prisma's client runtime: the result's serialisation, then its
//    deserialisation). direct-postgres.ts runs the hot path's SQL on the adapter and relies on it;
//    test/db/direct-postgres.test.ts compares the two for every column type CareBot reads.
import Sqlite from "better-sqlite3";
import { ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { ColumnType, SqlDriverAdapter, SqlResultSet } from "@prisma/driver-adapter-utils";
import { Decimal } from "@prisma/client/runtime/client";

/** (1) The better-sqlite3 connection inside Prisma's SQLite adapter, if it is still where it was. */
export function sqliteConnectionOf(adapter: SqlDriverAdapter): Sqlite.Database | undefined {
  const client = (adapter as unknown as { client?: unknown }).client;
  return client instanceof Sqlite ? client : undefined;
}

/** (3) True for the client Prisma lends to `$transaction`'s callback: its transaction has the connection. */
export function isInteractiveTransactionClient(client: object): boolean {
  return typeof (client as { $connect?: unknown }).$connect !== "function";
}

/** (4) The adapter's rows as `$queryRawUnsafe` returns them: one object per row, each value typed by its column. */
export function rawRowsAsPrisma(result: SqlResultSet): Record<string, unknown>[] {
  const { columnNames, columnTypes } = result;
  return result.rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) record[columnNames[i]!] = asPrismaValue(row[i], columnTypes[i]!);
    return record;
  });
}

function asPrismaValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.Int32:
      return Math.trunc(Number(value));
    case ColumnTypeEnum.Int64:
      return BigInt(typeof value === "number" ? Math.trunc(value) : (value as string));
    case ColumnTypeEnum.Numeric:
      return new Decimal(value as string);
    case ColumnTypeEnum.Boolean:
      return typeof value === "boolean" ? value : value === "true" || value === "1" || value === 1;
    case ColumnTypeEnum.Json:
      return typeof value === "string" ? JSON.parse(value) : value;
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(value as string);
    case ColumnTypeEnum.Time:
      return new Date(`1970-01-01T${value as string}Z`);
    case ColumnTypeEnum.Int32Array:
    case ColumnTypeEnum.Int64Array:
    case ColumnTypeEnum.NumericArray:
    case ColumnTypeEnum.BooleanArray:
    case ColumnTypeEnum.JsonArray:
    case ColumnTypeEnum.DateTimeArray:
    case ColumnTypeEnum.DateArray:
    case ColumnTypeEnum.TimeArray:
      return (value as unknown[]).map((v) => asPrismaValue(v, (type - 64) as ColumnType));
    default:
      return value;
  }
}
