import type { ChannelName } from "../channels/types.ts";
import type { Database, MessageCategory } from "../db/client.ts";
import { SqlStatement } from "../db/sql-statement.ts";
import { rawQuery, sqlTime } from "../db/raw-sql.ts";

// A row is due when it is pending and its time has come, or when the lease of the process that
// claimed it ran out (that process died mid-send).
const DUE = `((o."status" = 'pending' AND o."dueAt" <= $3) OR (o."status" = 'sending' AND o."leaseUntil" < $3))`;

// Only the head of each chat's queue is claimed: a row waits while an earlier row of the same
// chat is due, in retry (it has an error) or in flight. This must hold against a snapshot taken
// before another process's claim committed (PostgreSQL re-checks a locked row, not this
// subquery), so an earlier row that is merely due blocks too; a chat's messages then leave one
// per pass, and never out of order. Rows scheduled for later do not block.
const NOT_BEHIND = `NOT EXISTS (
  SELECT 1 FROM "Outbox" e
  WHERE e."identityId" = o."identityId" AND e."id" < o."id"
    AND (
      (e."status" = 'pending' AND (e."dueAt" <= $3 OR e."lastError" IS NOT NULL))
      OR (e."status" = 'sending' AND e."leaseUntil" >= $3)
    )
)`;

const SET = `"status" = 'sending', "leaseOwner" = $1, "leaseUntil" = $2, "attempts" = "attempts" + 1, "updatedAt" = $3`;

// PostgreSQL: several processes claim side by side; SKIP LOCKED leaves rows another process is
// claiming to it, and a locked row is re-checked after that process commits, so no row is
// claimed twice. SQLite has one writer: the statement alone is atomic.
const claimSql = (lock: string, ofClinic: string) => `
  UPDATE "Outbox" SET ${SET}
  WHERE "id" IN (
    SELECT o."id" FROM "Outbox" o WHERE ${DUE} AND ${NOT_BEHIND}${ofClinic}
    ORDER BY o."dueAt", o."id" LIMIT $4
    ${lock}
  )
  RETURNING "id"`;
const LOCK = { sqlite: "", postgresql: "FOR UPDATE OF o SKIP LOCKED" } as const;
const STATEMENTS = {
  sqlite: { any: claimSql(LOCK.sqlite, ""), clinic: claimSql(LOCK.sqlite, ` AND o."clinicId" = $5`) },
  postgresql: { any: claimSql(LOCK.postgresql, ""), clinic: claimSql(LOCK.postgresql, ` AND o."clinicId" = $5`) },
};

/**
 * Claims up to `limit` due outbox rows for this process, under a lease of `leaseMs`. With
 * `clinicId`, only that clinic's rows: a process serving one clinic (CLINIC_SLUG) sends with that
 * clinic's bot and must never take another clinic's messages from a shared database.
 */
export async function claimDue(db: Database, owner: string, now: Date, leaseMs: number, limit: number, clinicId?: number): Promise<number[]> {
  const p = db.provider;
  const params: unknown[] = [owner, sqlTime(p, new Date(now.getTime() + leaseMs)), sqlTime(p, now), limit];
  if (clinicId !== undefined) params.push(clinicId);
  const rows = await rawQuery<{ id: number | bigint }[]>(db, STATEMENTS[p][clinicId === undefined ? "any" : "clinic"], params);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** A claimed row with what sending it needs: its chat and, once linked, the patient's rules. */
export interface ClaimedRow {
  id: number;
  clinicId: number;
  idempotencyKey: string;
  patientId: number | null;
  identityId: number | null;
  kind: string;
  category: MessageCategory;
  payload: unknown;
  attempts: number;
  identity: {
    id: number;
    channel: ChannelName;
    externalChatId: string;
    unreachableAt: Date | null;
    unreachableReason: string | null;
    patient: { optedOutAt: Date | null; timezone: string | null } | null;
  } | null;
}

interface JoinedRow {
  id: unknown;
  clinicId: unknown;
  idempotencyKey: string;
  patientId: unknown;
  identityId: unknown;
  kind: string;
  category: MessageCategory;
  payload: unknown;
  attempts: unknown;
  chatId: unknown;
  channel: ChannelName | null;
  externalChatId: string | null;
  unreachableAt: string | Date | null;
  unreachableReason: string | null;
  linkedPatientId: unknown;
  optedOutAt: string | Date | null;
  timezone: string | null;
}

/**
 * Reads claimed rows with their chat and patient in one joined statement (Prisma's include
 * would run three), in id order.
 */
export async function readClaimed(db: Database, ids: readonly number[]): Promise<ClaimedRow[]> {
  if (ids.length === 0) return [];
  const s = new SqlStatement(db.provider);
  const rows = await s.run<JoinedRow[]>(
    db,
    `SELECT o."id", o."clinicId", o."idempotencyKey", o."patientId", o."identityId", o."kind", o."category", o."payload", o."attempts",
       i."id" AS "chatId", i."channel", i."externalChatId", i."unreachableAt", i."unreachableReason",
       p."id" AS "linkedPatientId", p."optedOutAt", p."timezone"
     FROM "Outbox" o
     LEFT JOIN "ChannelIdentity" i ON i."id" = o."identityId"
     LEFT JOIN "Patient" p ON p."id" = i."patientId"
     WHERE o."id" IN (${s.list(ids)})
     ORDER BY o."id"`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    clinicId: Number(r.clinicId),
    idempotencyKey: r.idempotencyKey,
    patientId: r.patientId === null ? null : Number(r.patientId),
    identityId: r.identityId === null ? null : Number(r.identityId),
    kind: r.kind,
    category: r.category,
    // SQLite keeps JSON as text; PostgreSQL's jsonb arrives parsed.
    payload: typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload,
    attempts: Number(r.attempts),
    identity:
      r.chatId === null
        ? null
        : {
            id: Number(r.chatId),
            channel: r.channel!,
            externalChatId: r.externalChatId!,
            unreachableAt: dateOrNull(r.unreachableAt),
            unreachableReason: r.unreachableReason,
            patient: r.linkedPatientId === null ? null : { optedOutAt: dateOrNull(r.optedOutAt), timezone: r.timezone },
          },
  }));
}

function dateOrNull(value: string | Date | null): Date | null {
  return value === null ? null : new Date(value);
}
