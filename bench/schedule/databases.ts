// The schedule benchmark's databases: the shared fresh, migrated ones of bench/lib, with a client
// kept open for the run (a SQLite file in a temporary folder, or a database on a throwaway
// PostgreSQL server unless BENCH_DATABASE_URL names one).
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { createBenchDatabase as createFresh } from "../lib/databases.ts";
import type { PostgresServer } from "../lib/databases.ts";
import type { DbName } from "./options.ts";

export { startPostgres } from "../lib/databases.ts";
export type { PostgresServer } from "../lib/databases.ts";

export interface BenchDatabase {
  name: DbName;
  config: DatabaseConfig;
  db: Database;
  /** Closes the client and deletes the database. */
  dispose(): Promise<void>;
}

/** A new database with every migration applied (the project's own migrator) and a client on it. */
export async function createBenchDatabase(name: DbName, server: PostgresServer | null): Promise<BenchDatabase> {
  const fresh = await createFresh(name, server ?? undefined);
  const db = openDatabase(fresh.config);
  return {
    name,
    config: fresh.config,
    db,
    dispose: async () => {
      await db.close();
      await fresh.drop();
    },
  };
}
