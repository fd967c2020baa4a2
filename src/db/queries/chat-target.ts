// The router's per-message reads of who is writing (src/conversations/router.ts), in two
// statements: the chat's identity is touched (or created) and returned by one write that gives its
// row back, and its patient, clinic and running conversation come in one joined read. Row shapes
// from the generated table types; each statement compiled once (preparedQuery).
import type { Selectable } from "kysely";
import type { Channel, Prisma } from "../client.ts";
import { enumValue, jsonAsText, jsonText, preparedQuery } from "../kysely/index.ts";
import type { ChannelIdentity, Clinic, Conversation, Patient, TypedSql } from "../kysely/index.ts";

export type TouchedIdentity = Pick<Selectable<ChannelIdentity>, "id" | "channel" | "locale" | "patientId">;

interface ChatKey {
  clinicId: number;
  channel: Channel;
  externalChatId: string;
}

/** The chat's key and what a message changes on it (a null locale leaves the stored one). */
interface TouchParams {
  clinicId: number;
  channel: Channel;
  externalChatId: string;
  now: Date;
  locale: string | null;
}

/** Marks an existing chat as just written from; compiled once (src/db/kysely/prepared.ts). */
const touchQuery = preparedQuery((db, p: TouchParams) =>
  db
    .updateTable("ChannelIdentity")
    .set((eb) => ({ lastInboundAt: p.now, locale: eb.fn.coalesce(eb.val(p.locale), eb.ref("locale")) }))
    .where("clinicId", "=", p.clinicId)
    .where("channel", "=", p.channel)
    .where("externalChatId", "=", p.externalChatId)
    .returning(["id", "channel", "locale", "patientId"]),
);

/** Marks an existing chat as just written from; null when the chat is new (see createIdentity). */
export async function touchIdentity(q: TypedSql, key: ChatKey, update: { now: Date; locale: string | null }): Promise<TouchedIdentity | null> {
  const row = await touchQuery.executeTakeFirst(q, { ...key, ...update });
  return row ?? null;
}

/**
 * Records a chat's first message: creates its identity, or (another process created it a moment
 * ago) touches it as touchIdentity does.
 */
export async function createIdentity(
  q: TypedSql,
  key: ChatKey,
  chat: { now: Date; locale: string | null; externalUserId: string | null; username: string | null; displayName: string | null },
): Promise<TouchedIdentity> {
  return q
    .insertInto("ChannelIdentity")
    .values({
      clinicId: key.clinicId,
      channel: key.channel,
      externalChatId: key.externalChatId,
      externalUserId: chat.externalUserId,
      username: chat.username,
      displayName: chat.displayName,
      locale: chat.locale,
      lastInboundAt: chat.now,
    })
    .onConflict((c) =>
      c.columns(["clinicId", "channel", "externalChatId"]).doUpdateSet({ lastInboundAt: chat.now, ...(chat.locale !== null ? { locale: chat.locale } : {}) }),
    )
    .returning(["id", "channel", "locale", "patientId"])
    .executeTakeFirstOrThrow();
}

/**
 * The clinic as every message reads it: its settings as JSON text, which the clinic source
 * parses only for a version (updatedAt) it has not seen (src/flows/clinic-source.ts).
 */
export type ClinicRow = Pick<Selectable<Clinic>, "id" | "name" | "timezone" | "locale" | "updatedAt"> & { settingsText: string };
export type PatientRow = Pick<Selectable<Patient>, "id" | "fullName" | "firstName" | "locale" | "timezone" | "optedOutAt">;

/** The chat's running conversation (bot or operator), without its flow definition column. */
export type ActiveConversationRow = Omit<Selectable<Conversation>, "flowDefinition" | "snapshot"> & { snapshot: Prisma.JsonValue };

/**
 * Every column of the running conversation but its large definition. A column added to the
 * schema is a type error here until it is listed (or left out on purpose with flowDefinition).
 */
const ACTIVE_COLUMNS: Record<keyof ActiveConversationRow, true> = {
  id: true,
  clinicId: true,
  identityId: true,
  patientId: true,
  flowId: true,
  flowVersion: true,
  contentVersionId: true,
  snapshot: true,
  status: true,
  operatorId: true,
  operatorTakenAt: true,
  operatorActiveAt: true,
  timerDueAt: true,
  timerEvent: true,
  startedAt: true,
  updatedAt: true,
  closedAt: true,
};
const ACTIVE_KEYS = Object.keys(ACTIVE_COLUMNS) as (keyof ActiveConversationRow)[];

/**
 * The clinic, the chat's patient when it has one (a null patientId matches no row), and the
 * chat's running conversation (the newest in "bot" or "operator") in one statement.
 */
const readQuery = preparedQuery((db, p: { clinicId: number; patientId: number | null; identityId: number }, provider) =>
  db
    .selectFrom("Clinic as c")
    .leftJoin("Patient as p", (join) => join.on("p.id", "=", p.patientId))
    .leftJoin("Conversation as v", (join) =>
      join.on((eb) =>
        eb(
          "v.id",
          "=",
          eb
            .selectFrom("Conversation as a")
            .select((a) => a.fn.max("a.id").as("newest"))
            .where("a.identityId", "=", p.identityId)
            .where("a.status", "in", [enumValue(provider, "ConversationStatus", "bot"), enumValue(provider, "ConversationStatus", "operator")]),
        ),
      ),
    )
    .select(["c.id", "c.name", "c.timezone", "c.locale", "c.updatedAt"])
    .select((eb) => jsonAsText(eb.ref("c.settings")).as("settingsText"))
    .select(["p.id as patientId", "p.fullName", "p.firstName", "p.locale as patientLocale", "p.timezone as patientTimezone", "p.optedOutAt"])
    .select((eb) => ACTIVE_KEYS.map((key) => eb.ref(`v.${key}`).as(`v_${key}`)))
    .where("c.id", "=", p.clinicId),
);

export async function readClinicAndPatient(
  q: TypedSql,
  clinicId: number,
  patientId: number | null,
  identityId: number,
): Promise<{ clinic: ClinicRow; patient: PatientRow | null; active: ActiveConversationRow | null }> {
  const row = await readQuery.executeTakeFirst(q, { clinicId, patientId, identityId });
  if (!row) throw new Error(`no clinic with id ${clinicId}`);
  return fromJoinedRow(row);
}

type ChatContext = { clinic: ClinicRow; patient: PatientRow | null; active: ActiveConversationRow | null };

/**
 * touchIdentity and readClinicAndPatient in one round trip where the database can (PostgreSQL:
 * the update is a data-modifying WITH, its row joined to the rest); SQLite, which has none,
 * runs the two. Null when the chat is new (nothing was touched): the caller creates it.
 */
export async function touchAndRead(q: TypedSql, key: ChatKey, update: { now: Date; locale: string | null }): Promise<(ChatContext & { identity: TouchedIdentity }) | null> {
  if (q.provider === "sqlite") {
    const identity = await touchIdentity(q, key, update);
    return identity && { identity, ...(await readClinicAndPatient(q, key.clinicId, identity.patientId, identity.id)) };
  }
  const row = await touchAndReadQuery.executeTakeFirst(q, { ...key, ...update });
  if (!row) return null;
  return {
    identity: { id: row.identityId, channel: row.identityChannel, locale: row.identityLocale, patientId: row.identityPatientId },
    ...fromJoinedRow(row),
  };
}

/** touchAndRead's one statement (PostgreSQL). */
const touchAndReadQuery = preparedQuery((db, p: TouchParams, provider) =>
  db
    .with("i", (w) =>
      w
        .updateTable("ChannelIdentity")
        .set((eb) => ({ lastInboundAt: p.now, locale: eb.fn.coalesce(eb.val(p.locale), eb.ref("locale")) }))
        .where("clinicId", "=", p.clinicId)
        .where("channel", "=", p.channel)
        .where("externalChatId", "=", p.externalChatId)
        .returning(["id", "channel", "locale", "patientId"]),
    )
    .selectFrom("Clinic as c")
    .innerJoin("i", (join) => join.onTrue())
    .leftJoin("Patient as p", "p.id", "i.patientId")
    .leftJoin("Conversation as v", (join) =>
      join.on((eb) =>
        eb(
          "v.id",
          "=",
          eb
            .selectFrom("Conversation as a")
            .select((a) => a.fn.max("a.id").as("newest"))
            .whereRef("a.identityId", "=", "i.id")
            .where("a.status", "in", [enumValue(provider, "ConversationStatus", "bot"), enumValue(provider, "ConversationStatus", "operator")]),
        ),
      ),
    )
    .select(["c.id", "c.name", "c.timezone", "c.locale", "c.updatedAt"])
    .select((eb) => jsonAsText(eb.ref("c.settings")).as("settingsText"))
    .select(["i.id as identityId", "i.channel as identityChannel", "i.locale as identityLocale", "i.patientId as identityPatientId"])
    .select(["p.id as patientId", "p.fullName", "p.firstName", "p.locale as patientLocale", "p.timezone as patientTimezone", "p.optedOutAt"])
    .select((eb) => ACTIVE_KEYS.map((key) => eb.ref(`v.${key}`).as(`v_${key}`)))
    .where("c.id", "=", p.clinicId),
);

/** A patient's message as the transcript keeps it (dedupeKey: the update's, so a redelivery is refused). */
export interface InboundLine {
  clinicId: number;
  identityId: number;
  conversationId: number | null;
  text: string | null;
  /** The event as JSON text. */
  payload: string;
  dedupeKey: string | null;
  now: Date;
}

const inboundLine = preparedQuery((db, p: InboundLine, provider) =>
  db.insertInto("Message").values({
    clinicId: p.clinicId,
    identityId: p.identityId,
    conversationId: p.conversationId,
    direction: enumValue(provider, "MessageDirection", "inbound"),
    text: p.text,
    payload: jsonText(provider, p.payload),
    dedupeKey: p.dedupeKey,
    createdAt: p.now,
  }),
);

/** Records a patient's message in the transcript (every message passes here: compiled once). */
export async function recordInboundLine(q: TypedSql, line: InboundLine): Promise<void> {
  await inboundLine.execute(q, line);
}

interface JoinedRow extends ClinicRow {
  patientId: number | null;
  fullName: string | null;
  firstName: string | null;
  patientLocale: string | null;
  patientTimezone: string | null;
  optedOutAt: Date | null;
}

function fromJoinedRow(row: JoinedRow): ChatContext {
  const active = row as unknown as Record<`v_${keyof ActiveConversationRow}`, unknown>;
  return {
    clinic: { id: row.id, name: row.name, timezone: row.timezone, locale: row.locale, settingsText: row.settingsText, updatedAt: row.updatedAt },
    patient:
      row.patientId === null
        ? null
        : {
            id: row.patientId,
            fullName: row.fullName!,
            firstName: row.firstName,
            locale: row.patientLocale,
            timezone: row.patientTimezone,
            optedOutAt: row.optedOutAt,
          },
    active: active.v_id === null ? null : (Object.fromEntries(ACTIVE_KEYS.map((key) => [key, active[`v_${key}`]])) as ActiveConversationRow),
  };
}

/** The router's per-message statements, for the benchmark's ceiling (it runs CareBot's own SQL on the raw driver). */
export const chatTargetQueries = { touchQuery, readQuery, touchAndReadQuery, inboundLine };
