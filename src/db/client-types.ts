import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";

/**
 * The application's database client. Both generated clients have the same models; the code is
 * typed against the SQLite one, the intersection both providers support.
 */
export type Db = SqliteClient;
/** A client or an interactive transaction: what domain functions take to join a caller's transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
