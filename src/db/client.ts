import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import type { DatabaseConfig } from "../config.ts";
import { createAdapterFactory } from "./adapters.ts";
import { attachDirectSqlite } from "./direct-sqlite.ts";

export * from "./generated/sqlite/enums.ts";
export type { Prisma } from "./generated/sqlite/client.ts";

/**
 * The application's database client. Both generated clients have the same models; the code is
 * typed against the SQLite one, the intersection both providers support.
 */
export type Db = SqliteClient;
/** A client or an interactive transaction: what domain functions take to join a caller's transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Database {
  prisma: Db;
  provider: DatabaseConfig["provider"];
  close(): Promise<void>;
}

export function openDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): Database {
  const adapter = createAdapterFactory(config, options);
  const prisma =
    config.provider === "sqlite"
      ? new SqliteClient({ adapter })
      : (new PostgresClient({ adapter }) as unknown as Db);
  if (adapter.direct) attachDirectSqlite(prisma, adapter.direct);
  return {
    prisma,
    provider: config.provider,
    close: async () => {
      await prisma.$disconnect();
      await adapter.disposeAll();
    },
  };
}
