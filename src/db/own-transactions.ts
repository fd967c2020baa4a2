// Transactions without Prisma's interactive-transaction machinery. Once a message's statements
// were cheap, that machinery cost more per inbound message than all of them (its per-query
// bookkeeping roughly doubles Prisma's cost of a raw statement: bench/results/profile.md).
//
// Prisma's driver adapter already knows how to begin a transaction: on SQLite it takes the lock
// that keeps everything on the one connection apart (sqlite-connection-guard.ts), on PostgreSQL
// it checks a connection out of the pool; both send BEGIN. Here that transaction is begun
// directly, the work gets a Prisma client whose statements run in it, and COMMIT or ROLLBACK is
// sent at the end. What Prisma wraps in a transaction of its own inside the work (a nested
// create) becomes a savepoint. Work that outlasts its timeout is rolled back, so a hung step
// cannot hold the connection (on SQLite, the only one) for good.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import type { Db, Tx } from "./client-types.ts";
import { attachDirectSqlite, runNow } from "./direct-sqlite.ts";
import type { DirectSqlite } from "./direct-sqlite.ts";
import { attachDirectPostgres } from "./direct-postgres.ts";
import type { TransactionHooks } from "./transaction-hooks.ts";

export type { TransactionHooks } from "./transaction-hooks.ts";

export interface TransactionSource {
  provider: "sqlite" | "postgresql";
  /** Prisma's adapter for the service's client, once it has connected. */
  adapter(): SqlDriverAdapter | null;
  /** SQLite: raw SQL and COMMIT straight on the connection. */
  direct?: DirectSqlite;
  hooks: TransactionHooks;
}

/** A Prisma client whose statements go to whichever transaction it is lent to. */
interface LentClient {
  client: Db;
  lend(to: Transaction): void;
  takeBack(): void;
}

/** Like Prisma's interactive transactions: a transaction that runs longer is rolled back. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 5000;

export interface TransactionOptions {
  /** Milliseconds the work may take before it is rolled back (DEFAULT_TRANSACTION_TIMEOUT_MS). */
  timeout?: number;
}

const ENDED = "a transaction's client was used after the transaction ended (finished, failed or timed out)";

export class OwnTransactions {
  /** Clients not lent now: SQLite needs one (a transaction at a time), PostgreSQL one per concurrent transaction. */
  readonly #idle: LentClient[] = [];
  readonly #all: LentClient[] = [];

  constructor(private readonly source: TransactionSource) {}

  /** False until Prisma has connected (the first query does): callers use `$transaction` then. */
  get ready(): boolean {
    return this.source.adapter() !== null;
  }

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const adapter = this.source.adapter();
    if (!adapter) throw new Error("the database is not connected");
    const timeout = options.timeout ?? DEFAULT_TRANSACTION_TIMEOUT_MS;
    const transaction = await adapter.startTransaction();
    this.source.hooks.onTransaction?.();
    const lent = this.#idle.pop() ?? this.#newClient();
    lent.lend(transaction);
    // A step that hangs must not keep the transaction (on SQLite, the only connection) forever.
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new TransactionTimeoutError(timeout));
      }, timeout);
    });
    const running = runWork(work, lent.client);
    try {
      const result = await Promise.race([running, expiry]);
      clearTimeout(timer);
      lent.takeBack();
      await this.#commit(transaction);
      return result;
    } catch (error) {
      clearTimeout(timer);
      // From here on the work's statements fail instead of reaching the connection.
      lent.takeBack();
      // A failed step, a timeout, or a failed COMMIT (a full disk): undo. The database may have
      // ended the transaction already, and that must not hide the error itself.
      await this.#rollback(transaction).catch(() => {});
      throw error;
    } finally {
      if (timedOut) {
        // The work may still be running: its client is never lent again, and its end is ignored.
        running.catch(() => {});
        this.#retire(lent);
      } else {
        this.#idle.push(lent);
      }
    }
  }

  async close(): Promise<void> {
    const all = this.#all.splice(0);
    this.#idle.length = 0;
    await Promise.allSettled(all.map((l) => l.client.$disconnect()));
  }

  /** Sends COMMIT (unless the adapter's transaction sends it itself), then ends the transaction. */
  async #commit(transaction: Transaction): Promise<void> {
    if (!transaction.options.usePhantomQuery) await this.#send(transaction, "COMMIT");
    await transaction.commit();
  }

  /** Sends ROLLBACK; the database may have ended the transaction already, so its error is ignored. */
  async #rollback(transaction: Transaction): Promise<void> {
    if (!transaction.options.usePhantomQuery) await this.#send(transaction, "ROLLBACK").catch(() => {});
    await transaction.rollback();
  }

  async #send(transaction: Transaction, sql: "COMMIT" | "ROLLBACK"): Promise<void> {
    const direct = this.source.direct;
    if (direct?.ready) {
      direct.execute(sql, []);
      return;
    }
    this.source.hooks.onStatement?.(sql);
    await transaction.executeRaw({ sql, args: [], argTypes: [] });
  }

  #retire(lent: LentClient): void {
    const i = this.#all.indexOf(lent);
    if (i >= 0) this.#all.splice(i, 1);
    void lent.client.$disconnect().catch(() => {});
  }

  #newClient(): LentClient {
    let current: Transaction | null = null;
    const factory = inTransactionFactory(this.source, () => {
      if (!current) throw new Error(ENDED);
      return current;
    });
    const client = this.source.provider === "sqlite" ? new SqliteClient({ adapter: factory }) : (new PostgresClient({ adapter: factory }) as unknown as Db);
    // Its transaction has the connection: its direct statements run at once, while it lasts.
    if (this.source.direct) attachDirectSqlite(client, this.source.direct, (statement) => (current ? runNow(statement) : Promise.reject(new Error(ENDED))));
    // PostgreSQL: its raw SQL runs on the transaction's own pg connection, past Prisma.
    if (this.source.provider === "postgresql") {
      attachDirectPostgres(client, {
        queryable: () => {
          if (!current) throw new Error(ENDED);
          return current;
        },
        onStatement: (sql) => this.source.hooks.onStatement?.(sql),
      });
    }
    const lent: LentClient = {
      client,
      lend: (to) => {
        current = to;
      },
      takeBack: () => {
        current = null;
      },
    };
    this.#all.push(lent);
    return lent;
  }
}

/** What a db.transaction that ran past its timeout rejects with; Prisma's own timeout has the same code. */
export class TransactionTimeoutError extends Error {
  override readonly name = "TransactionTimeoutError";
  readonly code = "P2028";
  constructor(readonly timeoutMs: number) {
    super(`the transaction ran longer than its timeout of ${timeoutMs} ms and was rolled back`);
  }
}

/** The work's promise; a synchronous throw becomes its rejection. */
function runWork<T>(work: (tx: Tx) => Promise<T>, client: Db): Promise<T> {
  try {
    return Promise.resolve(work(client));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** An adapter whose statements run in the transaction lent to it; Prisma's own transactions become savepoints. */
function inTransactionFactory(source: TransactionSource, transaction: () => Transaction): SqlDriverAdapterFactory {
  const hooks = source.hooks;
  const queryable = {
    provider: source.provider === "sqlite" ? ("sqlite" as const) : ("postgres" as const),
    adapterName: "carebot-in-transaction",
    queryRaw: (query: SqlQuery) => {
      hooks.onStatement?.(query.sql);
      return transaction().queryRaw(query);
    },
    executeRaw: (query: SqlQuery) => {
      hooks.onStatement?.(query.sql);
      return transaction().executeRaw(query);
    },
  };
  let savepoints = 0;
  const statement = (sql: string) => queryable.executeRaw({ sql, args: [], argTypes: [] });
  const connection: SqlDriverAdapter = {
    ...queryable,
    executeScript: async (script) => {
      for (const sql of script.split(";").map((s) => s.trim()).filter(Boolean)) await statement(sql);
    },
    startTransaction: async (): Promise<Transaction> => {
      const name = `carebot_nested_${++savepoints}`;
      await statement(`SAVEPOINT ${name}`);
      return {
        ...queryable,
        // Prisma then sends no BEGIN/COMMIT of its own: commit() and rollback() do the work.
        options: { usePhantomQuery: true },
        commit: async () => void (await statement(`RELEASE SAVEPOINT ${name}`)),
        rollback: async () => {
          await statement(`ROLLBACK TO SAVEPOINT ${name}`);
          await statement(`RELEASE SAVEPOINT ${name}`);
        },
      };
    },
    // The connection belongs to the service's own client, which closes it.
    dispose: async () => {},
  };
  return { provider: queryable.provider, adapterName: queryable.adapterName, connect: async () => connection };
}
