import { createHash } from "node:crypto";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import type { DatabaseConfig } from "../../config.ts";
import { createAdapterFactory } from "../adapters.ts";

const HISTORY = `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`;

/**
 * Whether the database already holds exactly the folder's migrations, each finished and
 * unedited (Prisma's checksum is the sha256 of migration.sql). Then there is nothing to apply and
 * the schema engine, a 5 MB WebAssembly module, need not load at every start of the service or
 * the command line. Anything else (no history table yet, a pending, failed, rolled back, edited
 * or unknown migration, any error reading) answers false and is left to the engine.
 */
export async function historyMatches(db: DatabaseConfig, list: MigrationList): Promise<boolean> {
  const expected = new Map<string, string>();
  for (const dir of list.migrationDirectories) {
    if (dir.migrationFile.content.tag !== "ok") return false;
    expected.set(dir.path, createHash("sha256").update(dir.migrationFile.content.value).digest("hex"));
  }
  const factory = createAdapterFactory(db, { poolSize: 1, backgroundCheckpoint: false });
  try {
    const adapter = await factory.connect();
    const { rows } = await adapter.queryRaw({ sql: HISTORY, args: [], argTypes: [] });
    if (rows.length !== expected.size) return false;
    return rows.every(([name, checksum, finishedAt, rolledBackAt]) => {
      const wanted = expected.get(String(name));
      expected.delete(String(name));
      return wanted === checksum && finishedAt !== null && rolledBackAt === null;
    });
  } catch {
    return false;
  } finally {
    await factory.disposeAll();
  }
}
