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
//    CareBot's own in front of the adapter, which plain statements take too.
// 3. Prisma's interactive-transaction client (`$transaction(async (tx) => …)`) is a proxy of the
//    client it came from: it reads that client's own properties (so it finds the direct path),
//    and it hides `$connect`, which every top-level client has.
import Sqlite from "better-sqlite3";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

/** (1) The better-sqlite3 connection inside Prisma's SQLite adapter, if it is still where it was. */
export function sqliteConnectionOf(adapter: SqlDriverAdapter): Sqlite.Database | undefined {
  const client = (adapter as unknown as { client?: unknown }).client;
  return client instanceof Sqlite ? client : undefined;
}

/** (3) True for the client Prisma lends to `$transaction`'s callback: its transaction has the connection. */
export function isInteractiveTransactionClient(client: object): boolean {
  return typeof (client as { $connect?: unknown }).$connect !== "function";
}
