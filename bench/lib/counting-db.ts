// A CareBot database client whose driver adapter counts every statement it runs, so a benchmark
// can say how many statements (and transactions) one inbound message costs.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "../../src/config.ts";
import { createAdapterFactory } from "../../src/db/adapters.ts";
import { databaseOn } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";

export class StatementCounter {
  statements = 0;
  transactions = 0;
  /** Statement texts by count, when asked to keep them (one message's worth, to show what they are). */
  readonly texts = new Map<string, number>();
  keepTexts = false;

  note(sql: string): void {
    this.statements++;
    if (this.keepTexts) this.texts.set(sql, (this.texts.get(sql) ?? 0) + 1);
  }

  reset(): void {
    this.statements = 0;
    this.transactions = 0;
    this.texts.clear();
  }
}

function countQueries<T extends { queryRaw(q: SqlQuery): Promise<any>; executeRaw(q: SqlQuery): Promise<number> }>(inner: T, counter: StatementCounter): T {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (query: SqlQuery) => {
          counter.note(query.sql);
          return (target as any)[prop](query);
        };
      }
      if (prop === "startTransaction") {
        return async (isolation?: unknown) => {
          counter.transactions++;
          const tx: Transaction = await (target as any).startTransaction(isolation);
          return countQueries(tx, counter);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export interface CountingDatabase extends Database {
  counter: StatementCounter;
}

export function openCountingDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): CountingDatabase {
  const counter = new StatementCounter();
  const factory = createAdapterFactory(config, options);
  const counted: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => countQueries<SqlDriverAdapter>(await factory.connect(), counter),
    connectToShadowDb: async () => countQueries<SqlDriverAdapter>(await factory.connectToShadowDb(), counter),
  };
  // db.transaction and SQLite's raw SQL run past the counting adapter (src/db/direct-sqlite.ts): counted where they run.
  if (factory.direct) factory.direct.onStatement = (sql) => counter.note(sql);
  factory.hooks.onStatement = (sql) => counter.note(sql);
  factory.hooks.onTransaction = () => counter.transactions++;
  return { ...databaseOn(config.provider, factory, counted), counter };
}
