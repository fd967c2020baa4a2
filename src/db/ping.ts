import { sql } from "kysely";
import type { Database } from "./client.ts";
import { typedSql } from "./kysely/index.ts";

/** One trivial statement: rejects when the database cannot answer (the health check). */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(typedSql(db));
}
