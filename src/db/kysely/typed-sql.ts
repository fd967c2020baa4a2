// The one typed SQL layer: every hand-written query is a Kysely query over the table types
// generated from prisma/schema.prisma (src/db/generated/kysely-types.ts), so a column the schema
// loses or renames is a type error where a query uses it. It runs on the same client as the
// caller's Prisma work: `typedSql(db)` outside a transaction, `typedSqlOn(tx, provider)` inside
// db.transaction's `tx` (same connection, same lock, rolled back with it).
import { Kysely } from "kysely";
import type { Database, Db, Tx } from "../client.ts";
import type { DB } from "../generated/kysely-types.ts";
import { clientDialect } from "./dialect.ts";
import { ClientConnection } from "./driver.ts";
import type { Provider } from "./provider.ts";

/** A Kysely bound to one client, knowing which database it writes SQL for. */
export class TypedSql extends Kysely<DB> {
  /** Where its statements run: prepared queries (prepared.ts) send their SQL here past Kysely's executor. */
  readonly clientConnection: ClientConnection;

  constructor(
    readonly provider: Provider,
    /** The client its statements run on (src/db's own helpers, such as insertRows, run there too). */
    readonly client: Db | Tx,
    onStatement?: (sql: string) => void,
  ) {
    const connection = new ClientConnection(client, provider, onStatement);
    super({ dialect: clientDialect(connection, provider) });
    this.clientConnection = connection;
  }
}

/** One per client: db.transaction lends the same few clients to every transaction, so this stays small. */
const bound = new WeakMap<object, TypedSql>();

/** Typed SQL on a client or a transaction's `tx`; `onStatement` sees every statement (tests count them). */
export function typedSqlOn(client: Db | Tx, provider: Provider, onStatement?: (sql: string) => void): TypedSql {
  if (onStatement) return new TypedSql(provider, client, onStatement);
  let typed = bound.get(client);
  if (!typed || typed.provider !== provider) {
    typed = new TypedSql(provider, client);
    bound.set(client, typed);
  }
  return typed;
}

/** Typed SQL on the database's own client (each statement outside any transaction). */
export function typedSql(db: Database): TypedSql {
  return typedSqlOn(db.prisma, db.provider);
}
