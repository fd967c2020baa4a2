// The Kysely driver of CareBot's typed SQL layer. Kysely compiles a query to SQL text and values;
// this runs them on the client it was made for (the service's Prisma client or a db.transaction
// `tx`), through the same path as every other statement (src/db/raw-sql.ts): on SQLite the
// direct connection with its kept prepared statements and its lock, on PostgreSQL Prisma's pool.
// Transactions are db.transaction's alone, so Kysely's own are refused here.
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, RootOperationNode } from "kysely";
import type { Db, Tx } from "../client.ts";
import { runNative } from "../raw-sql.ts";
import type { Provider } from "./provider.ts";

const OWN_TRANSACTIONS = "the typed SQL layer joins db.transaction's transactions; it begins none of its own";

/** Statements whose result is rows (a query, or a write with RETURNING); the rest report a count. */
export function returnsRows(node: RootOperationNode): boolean {
  switch (node.kind) {
    case "InsertQueryNode":
    case "UpdateQueryNode":
    case "DeleteQueryNode":
      return node.returning !== undefined;
    default:
      return true;
  }
}

/** One client's connection for Kysely; prepared queries (prepared.ts) call `run` on it directly. */
export class ClientConnection implements DatabaseConnection {
  constructor(
    private readonly client: Db | Tx,
    private readonly provider: Provider,
    private readonly onStatement?: (sql: string) => void,
  ) {}

  /** Runs compiled SQL: `rows` resolves to the rows, `count` to the rows it changed. */
  run<T>(sql: string, parameters: readonly unknown[], result: "rows" | "count"): Promise<T> {
    this.onStatement?.(sql);
    return runNative<T>(this.client, this.provider, sql, parameters, result);
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (returnsRows(compiled.query)) return { rows: await this.run<R[]>(compiled.sql, compiled.parameters, "rows") };
    const changed = await this.run<number>(compiled.sql, compiled.parameters, "count");
    return { rows: [], numAffectedRows: BigInt(changed) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("the typed SQL layer does not stream rows");
  }
}

export class ClientDriver implements Driver {
  constructor(readonly connection: ClientConnection) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    throw new Error(OWN_TRANSACTIONS);
  }

  async commitTransaction(): Promise<void> {
    throw new Error(OWN_TRANSACTIONS);
  }

  async rollbackTransaction(): Promise<void> {
    throw new Error(OWN_TRANSACTIONS);
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}
