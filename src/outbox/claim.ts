import type { Database } from "../db/client.ts";
import { rawQuery, sqlTime } from "../db/raw-sql.ts";

/**
 * Claims up to `limit` due outbox rows for this process, under a lease: pending rows whose time
 * has come, and rows whose lease ran out (their process died mid-send). A row behind another of
 * the same chat that is in flight or waiting for a retry (it has an error) is left alone, so a chat's messages
 * never overtake each other. On PostgreSQL, SKIP LOCKED lets several processes claim side by
 * side without waiting on each other; SQLite has one writer, so the statement alone is atomic.
 */
export async function claimDue(db: Database, owner: string, now: Date, leaseMs: number, limit: number): Promise<number[]> {
  const p = db.provider;
  const lock = p === "postgresql" ? "FOR UPDATE SKIP LOCKED" : "";
  const sql = `
    UPDATE "Outbox" SET "status" = 'sending', "leaseOwner" = $1, "leaseUntil" = $2, "attempts" = "attempts" + 1, "updatedAt" = $3
    WHERE "id" IN (
      SELECT o."id" FROM "Outbox" o
      WHERE ((o."status" = 'pending' AND o."dueAt" <= $3) OR (o."status" = 'sending' AND o."leaseUntil" < $3))
        AND NOT EXISTS (
          SELECT 1 FROM "Outbox" e
          WHERE e."identityId" = o."identityId" AND e."id" < o."id"
            AND (e."status" = 'sending' OR (e."status" = 'pending' AND e."lastError" IS NOT NULL))
            AND NOT (e."status" = 'sending' AND e."leaseUntil" < $3)
        )
      ORDER BY o."dueAt", o."id"
      LIMIT $4
      ${lock}
    )
    RETURNING "id"`;
  const rows = await rawQuery<{ id: number | bigint }[]>(db, sql, [owner, sqlTime(p, new Date(now.getTime() + leaseMs)), sqlTime(p, now), limit]);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
