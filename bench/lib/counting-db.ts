// A CareBot database client whose driver adapter counts every statement it runs, so a benchmark
// can say how many statements (and transactions) one inbound message costs.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "../../src/config.ts";
import { createAdapterFactory } from "../../src/db/adapters.ts";
import { attachDirectSqlite } from "../../src/db/direct-sqlite.ts";
import type { Database, Db } from "../../src/db/client.ts";
import { PrismaClient as SqliteClient } from "../../src/db/generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "../../src/db/generated/postgresql/client.ts";

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
  const prisma: Db = config.provider === "sqlite" ? new SqliteClient({ adapter: counted }) : (new PostgresClient({ adapter: counted }) as unknown as Db);
  // Raw SQL on SQLite runs past the adapter (src/db/direct-sqlite.ts): counted where it runs.
  if (factory.direct) {
    factory.direct.onStatement = (sql) => counter.note(sql);
    attachDirectSqlite(prisma, factory.direct);
  }
  return {
    prisma,
    provider: config.provider,
    counter,
    close: async () => {
      await prisma.$disconnect();
      await factory.disposeAll();
    },
  };
}
