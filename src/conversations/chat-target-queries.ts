// The router's per-message reads of who is writing, in two statements instead of six: the
// chat's identity is touched and returned by one UPDATE … RETURNING, and its patient, clinic and
// running conversation come in one joined SELECT. Raw SQL through the transaction's own client (see sql-statement.ts).
import type { ChannelName } from "../channels/types.ts";
import type { ConversationStatus, Prisma } from "../db/client.ts";
import type { SqlRunner } from "../db/sql-statement.ts";
import { SqlStatement } from "../db/sql-statement.ts";

export interface TouchedIdentity {
  id: number;
  channel: ChannelName;
  locale: string | null;
  patientId: number | null;
}

/** Marks an existing chat as just written from; null when the chat is new (the caller creates it). */
export async function touchIdentity(
  sql: SqlRunner,
  key: { clinicId: number; channel: ChannelName; externalChatId: string },
  update: { now: Date; locale: string | null },
): Promise<TouchedIdentity | null> {
  const s = new SqlStatement(sql.provider);
  const locale = update.locale ? `, "locale" = ${s.value(update.locale)}` : "";
  const rows = await s.run<{ id: unknown; channel: ChannelName; locale: string | null; patientId: unknown }[]>(
    sql,
    `UPDATE "ChannelIdentity" SET "lastInboundAt" = ${s.time(update.now)}${locale}
     WHERE "clinicId" = ${s.value(key.clinicId)} AND "channel" = ${s.enumValue("Channel", key.channel)} AND "externalChatId" = ${s.value(key.externalChatId)}
     RETURNING "id", "channel", "locale", "patientId"`,
  );
  const row = rows[0];
  if (!row) return null;
  return { id: Number(row.id), channel: row.channel, locale: row.locale, patientId: row.patientId === null ? null : Number(row.patientId) };
}

export interface ClinicRow {
  id: number;
  name: string;
  timezone: string;
  locale: string;
  settings: unknown;
  updatedAt: Date;
}

export interface PatientRow {
  id: number;
  fullName: string;
  firstName: string | null;
  locale: string | null;
  timezone: string | null;
  optedOutAt: Date | null;
}

/** The chat's running conversation (bot or operator), without its flow definition column. */
export interface ActiveConversationRow {
  id: number;
  clinicId: number;
  identityId: number;
  patientId: number | null;
  flowId: string;
  flowVersion: number;
  snapshot: Prisma.JsonValue;
  status: ConversationStatus;
  operatorId: number | null;
  operatorTakenAt: Date | null;
  operatorActiveAt: Date | null;
  timerDueAt: Date | null;
  timerEvent: string | null;
  startedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/**
 * The clinic, the chat's patient when it has one, and the chat's running conversation (the
 * newest in "bot" or "operator", as the router's findFirst had it) in one statement.
 */
export async function readClinicAndPatient(
  sql: SqlRunner,
  clinicId: number,
  patientId: number | null,
  identityId: number,
): Promise<{ clinic: ClinicRow; patient: PatientRow | null; active: ActiveConversationRow | null }> {
  const s = new SqlStatement(sql.provider);
  const rows = await s.run<Record<string, unknown>[]>(
    sql,
    `SELECT c."id", c."name", c."timezone", c."locale", c."settings", c."updatedAt",
            p."id" AS "patientId", p."fullName", p."firstName", p."locale" AS "patientLocale", p."timezone" AS "patientTimezone", p."optedOutAt",
            v."id" AS "vId", v."clinicId" AS "vClinicId", v."identityId" AS "vIdentityId", v."patientId" AS "vPatientId",
            v."flowId" AS "vFlowId", v."flowVersion" AS "vFlowVersion", v."snapshot" AS "vSnapshot", v."status" AS "vStatus",
            v."operatorId" AS "vOperatorId", v."operatorTakenAt" AS "vOperatorTakenAt", v."operatorActiveAt" AS "vOperatorActiveAt",
            v."timerDueAt" AS "vTimerDueAt", v."timerEvent" AS "vTimerEvent", v."startedAt" AS "vStartedAt", v."updatedAt" AS "vUpdatedAt", v."closedAt" AS "vClosedAt"
     FROM "Clinic" c
     LEFT JOIN "Patient" p ON p."id" = ${patientId === null ? s.nullOf("INTEGER") : s.value(patientId)}
     LEFT JOIN "Conversation" v ON v."id" = (
       SELECT MAX(a."id") FROM "Conversation" a
       WHERE a."identityId" = ${s.value(identityId)} AND a."status" IN (${s.enumValue("ConversationStatus", "bot")}, ${s.enumValue("ConversationStatus", "operator")})
     )
     WHERE c."id" = ${s.value(clinicId)}`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no clinic with id ${clinicId}`);
  return {
    clinic: {
      id: Number(row.id),
      name: String(row.name),
      timezone: String(row.timezone),
      locale: String(row.locale),
      settings: jsonOf(row.settings),
      updatedAt: dateOf(row.updatedAt)!,
    },
    patient:
      row.patientId === null || row.patientId === undefined
        ? null
        : {
            id: Number(row.patientId),
            fullName: String(row.fullName),
            firstName: (row.firstName as string | null) ?? null,
            locale: (row.patientLocale as string | null) ?? null,
            timezone: (row.patientTimezone as string | null) ?? null,
            optedOutAt: dateOf(row.optedOutAt),
          },
    active: row.vId === null || row.vId === undefined ? null : activeOf(row),
  };
}

function activeOf(row: Record<string, unknown>): ActiveConversationRow {
  return {
    id: Number(row.vId),
    clinicId: Number(row.vClinicId),
    identityId: Number(row.vIdentityId),
    patientId: intOrNull(row.vPatientId),
    flowId: String(row.vFlowId),
    flowVersion: Number(row.vFlowVersion),
    snapshot: jsonOf(row.vSnapshot) as Prisma.JsonValue,
    status: row.vStatus as ConversationStatus,
    operatorId: intOrNull(row.vOperatorId),
    operatorTakenAt: dateOf(row.vOperatorTakenAt),
    operatorActiveAt: dateOf(row.vOperatorActiveAt),
    timerDueAt: dateOf(row.vTimerDueAt),
    timerEvent: (row.vTimerEvent as string | null) ?? null,
    startedAt: dateOf(row.vStartedAt)!,
    updatedAt: dateOf(row.vUpdatedAt)!,
    closedAt: dateOf(row.vClosedAt),
  };
}

function intOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

// Raw results come back as the driver gives them: SQLite keeps JSON and times as text.
function jsonOf(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}
