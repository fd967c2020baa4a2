// The dispatcher's claim (src/outbox/claim.ts): due outbox rows taken under a lease, read with their
// chat, patient and consents in force. Prepared statements (compiled once per database). On
// PostgreSQL the claim and the read are one statement (a data-modifying WITH); SQLite runs in
// process and has no DML in WITH, so it claims, then reads the claimed ids.
import { sql } from "kysely";
import type { ExpressionBuilder, Kysely, QueryCreator, RawBuilder, SqlBool } from "kysely";
import type { Database } from "../client.ts";
import { enumValue, preparedQuery, typedSql } from "../kysely/index.ts";
import type { DB, Outbox, Provider } from "../kysely/index.ts";
import { ConsentKind } from "../generated/kysely-types.ts";

/** The consents read with each row: the schema's kinds (src/db imports nothing from the domain). */
const CONSENT_KINDS = Object.values(ConsentKind);

type Claiming = ExpressionBuilder<DB & { o: Outbox; e: Outbox }, "o">;

const pending = (p: Provider) => enumValue(p, "OutboxStatus", "pending");
const sending = (p: Provider) => enumValue(p, "OutboxStatus", "sending");

export interface ClaimParams {
  owner: string;
  now: Date;
  leaseUntil: Date;
  limit: number;
  /** Only this clinic's rows (used by the `byClinic` shape only). */
  clinicId: number;
}

// A row is due when it is pending and its time has come, or when the lease of the process that
// claimed it ran out (that process died mid-send).
function due(eb: Claiming, p: Provider, now: Date) {
  return eb.or([eb.and([eb("o.status", "=", pending(p)), eb("o.dueAt", "<=", now)]), eb.and([eb("o.status", "=", sending(p)), eb("o.leaseUntil", "<", now)])]);
}

// Only the head of each chat's queue is claimed: a row waits while an earlier row of the same
// chat is due, in retry (it has an error) or in flight. This must hold against a snapshot taken
// before another process's claim committed (PostgreSQL re-checks a locked row, not this
// subquery), so an earlier row that is merely due blocks too; a chat's messages then leave one
// per pass, and never out of order. Rows scheduled for later do not block.
function notBehind(db: Kysely<DB>, p: Provider, now: Date, outer: "o" | "Outbox") {
  const earlier = db
    .selectFrom("Outbox as e")
    .select(sql.lit(1).as("one"))
    .where("e.identityId", "=", sql.ref<number>(`${outer}.identityId`))
    .where("e.id", "<", sql.ref<number>(`${outer}.id`))
    .where((e) =>
      e.or([
        e.and([e("e.status", "=", pending(p)), e.or([e("e.dueAt", "<=", now), e("e.lastError", "is not", null)])]),
        e.and([e("e.status", "=", sending(p)), e("e.leaseUntil", ">=", now)]),
      ]),
    );
  return sql<SqlBool>`not exists ${earlier}`;
}

/**
 * The claim: up to `limit` due rows, heads of their chats, under this process's lease.
 * PostgreSQL: SKIP LOCKED leaves rows another process is claiming to it, and a locked row is
 * re-checked after that process commits, so no row is claimed twice. SQLite has one writer: the
 * statement alone is atomic.
 */
function claimUpdate(db: Kysely<DB>, p: ClaimParams, provider: Provider, byClinic: boolean) {
  return db
    .updateTable("Outbox")
    .set((eb) => ({ status: sending(provider), leaseOwner: p.owner, leaseUntil: p.leaseUntil, attempts: eb("attempts", "+", 1), updatedAt: p.now }))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("Outbox as o")
        .select("o.id")
        .where((o) => o.and([due(o, provider, p.now), notBehind(db, provider, p.now, "o")]))
        .$if(byClinic, (s) => s.where("o.clinicId", "=", p.clinicId))
        .orderBy("o.dueAt")
        .orderBy("o.id")
        .limit(p.limit)
        .$if(provider === "postgresql", (s) => s.forUpdate("o").skipLocked()),
    );
}

const claims = {
  all: preparedQuery((db, p: ClaimParams, provider) => claimUpdate(db, p, provider, false).returning("id")),
  byClinic: preparedQuery((db, p: ClaimParams, provider) => claimUpdate(db, p, provider, true).returning("id")),
};

/** Claims due rows; resolves to their ids in order. `clinicId`: only that clinic's rows. */
export async function claimDueIds(db: Database, params: Omit<ClaimParams, "clinicId"> & { clinicId?: number }): Promise<number[]> {
  const q = typedSql(db);
  const rows = params.clinicId === undefined ? await claims.all.execute(q, { ...params, clinicId: 0 }) : await claims.byClinic.execute(q, params as ClaimParams);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * The claimed rows with their chat, patient and consents (a change made a moment ago rules this
 * message), in id order, and whether any other row was due. `claimedIds`: the set claimed, the
 * WITH's rows on PostgreSQL, the ids as a JSON array on SQLite.
 */
function readRows(qc: QueryCreator<DB>, provider: Provider, claimedIds: RawBuilder<number>, now: Date, clinicId: number | null, afterClaim: boolean) {
  return (
    qc
      .selectFrom("Outbox as o")
      .leftJoin("ChannelIdentity as i", "i.id", "o.identityId")
      .leftJoin("Patient as p", "p.id", "i.patientId")
      .select(["o.id", "o.clinicId", "o.idempotencyKey", "o.patientId", "o.identityId", "o.conversationId", "o.kind", "o.category", "o.payload", "o.triedChannels"])
      // PostgreSQL reads the rows as they were before the same statement's claim: its increment is added here.
      .select((eb) => (afterClaim ? eb.ref("o.attempts") : eb("o.attempts", "+", 1)).as("attempts"))
      .select(["i.id as chatId", "i.channel", "i.externalChatId", "i.unreachableAt", "i.unreachableReason", "i.lastInboundAt"])
      .select(["p.id as linkedPatientId", "p.optedOutAt", "p.timezone"])
      .select((eb) =>
        CONSENT_KINDS.map((kind) =>
          eb
            .selectFrom("Consent as c")
            .select("c.granted")
            .whereRef("c.patientId", "=", "p.id")
            .where("c.kind", "=", enumValue(provider, "ConsentKind", kind))
            .where("c.supersededAt", "is", null)
            .orderBy("c.at", "desc")
            .orderBy("c.id", "desc")
            .limit(1)
            .as(`consent_${kind}`),
        ),
      )
      // Another row due (behind a claimed one, beyond the batch, or being claimed elsewhere): the dispatcher looks again.
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("Outbox as w")
              .select(eb.lit(1).as("one"))
              .where((w) => w.or([w.and([w("w.status", "=", pending(provider)), w("w.dueAt", "<=", now)]), w.and([w("w.status", "=", sending(provider)), w("w.leaseUntil", "<", now)])]))
              .where(sql<boolean>`${sql.ref("w.id")} not in ${claimedIds}`)
              .$if(clinicId !== null, (s) => s.where("w.clinicId", "=", clinicId!)),
          )
          .as("waiting"),
      )
      .where(sql<boolean>`${sql.ref("o.id")} in ${claimedIds}`)
      .orderBy("o.id")
  );
}

type ReadParams = { ids: string; now: Date; clinicId: number };

/** SQLite: the rows just claimed, by their ids (a JSON array: one statement text for any number of rows). */
function readById(byClinic: boolean) {
  return preparedQuery((db, p: ReadParams, provider) => readRows(db, provider, sql<number>`(select "value" from json_each(${p.ids}))`, p.now, byClinic ? p.clinicId : null, true));
}
const reads = { all: readById(false), byClinic: readById(true) };

/** PostgreSQL: the claim and the read in one statement. */
function claimAndRead(byClinic: boolean) {
  return preparedQuery((db, p: ClaimParams, provider) => {
    const withClaim = db.with("claimed", () => claimUpdate(db, p, provider, byClinic).returning("id")) as unknown as QueryCreator<DB>;
    return readRows(withClaim, provider, sql<number>`(select "id" from "claimed")`, p.now, byClinic ? p.clinicId : null, false);
  });
}
const claimsAndReads = { all: claimAndRead(false), byClinic: claimAndRead(true) };

export type ClaimedRowRead = Awaited<ReturnType<(typeof reads)["all"]["execute"]>>[number];

/**
 * Claims due rows and reads them: one statement on PostgreSQL, two on SQLite. `waiting`: another
 * row was due when they were claimed.
 */
export async function claimAndReadDue(db: Database, params: Omit<ClaimParams, "clinicId"> & { clinicId?: number }): Promise<{ rows: ClaimedRowRead[]; waiting: boolean }> {
  const q = typedSql(db);
  const byClinic = params.clinicId !== undefined;
  const clinicId = params.clinicId ?? 0;
  let rows: ClaimedRowRead[];
  if (q.provider === "postgresql") {
    rows = await (byClinic ? claimsAndReads.byClinic : claimsAndReads.all).execute(q, { ...params, clinicId });
  } else {
    const ids = await claimDueIds(db, params);
    rows = ids.length === 0 ? [] : await (byClinic ? reads.byClinic : reads.all).execute(q, { ids: JSON.stringify(ids), now: params.now, clinicId });
  }
  return { rows, waiting: rows.some((r) => toBoolean(r.waiting)) };
}

/** A boolean as read (true, or 1 from SQLite: a number or a bigint). */
function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "1";
}

/** The chats' ids as one bound value (a JSON array: one statement text for any number of chats). */
function idsIn(provider: Provider, ids: string): RawBuilder<number> {
  return provider === "sqlite" ? sql<number>`(select "value" from json_each(${ids}))` : sql<number>`(select CAST("value" AS INTEGER) from jsonb_array_elements_text(CAST(${ids} AS JSONB)))`;
}

export interface ChatClaimParams {
  owner: string;
  now: Date;
  leaseUntil: Date;
  /** The chats' ids, a JSON array. */
  chats: string;
}

/**
 * The replies a step just queued, claimed by their chats: the head of each chat's queue if it is
 * a reply due now, under this process's lease, read with what sending it needs. No scan of what
 * is due: the chats are known, and their rows are found through (identityId, status). One
 * statement on both databases (SQLite's RETURNING may not join, so the chat's fields come by
 * subquery). A reply is never held by the patient's rules (opt-out, consents, quiet hours), so
 * they are not read. `more`: another row of the chat is due behind this one.
 */
const chatReplies = preparedQuery((db, p: ChatClaimParams, provider) =>
  db
    .updateTable("Outbox")
    .set((eb) => ({ status: sending(provider), leaseOwner: p.owner, leaseUntil: p.leaseUntil, attempts: eb("attempts", "+", 1), updatedAt: p.now }))
    .where((eb) =>
      eb.and([
        eb("Outbox.identityId", "in", idsIn(provider, p.chats)),
        eb("Outbox.status", "=", pending(provider)),
        // SQLite: the unary + keeps (status, dueAt) from being chosen to scan every due row; the
        // chats' rows are found through (identityId, status), however long the queue of due rows.
        eb(provider === "sqlite" ? sql<Date>`+${sql.ref("Outbox.dueAt")}` : sql.ref<Date>("Outbox.dueAt"), "<=", p.now),
        eb("Outbox.category", "=", enumValue(provider, "MessageCategory", "reply")),
        notBehind(db, provider, p.now, "Outbox"),
      ]),
    )
    .returning(["Outbox.id", "Outbox.clinicId", "Outbox.idempotencyKey", "Outbox.patientId", "Outbox.identityId", "Outbox.conversationId", "Outbox.kind", "Outbox.category", "Outbox.payload", "Outbox.triedChannels", "Outbox.attempts"])
    .returning((eb) => {
      const chat = () => eb.selectFrom("ChannelIdentity as i").whereRef("i.id", "=", "Outbox.identityId");
      return [
        chat().select("i.channel").as("channel"),
        chat().select("i.externalChatId").as("externalChatId"),
        chat().select("i.unreachableAt").as("unreachableAt"),
        chat().select("i.unreachableReason").as("unreachableReason"),
        chat().select("i.lastInboundAt").as("lastInboundAt"),
        eb
          .exists(
            eb
              .selectFrom("Outbox as m")
              .select(eb.lit(1).as("one"))
              .whereRef("m.identityId", "=", "Outbox.identityId")
              .whereRef("m.id", ">", "Outbox.id")
              .where("m.status", "=", pending(provider))
              .where("m.dueAt", "<=", p.now),
          )
          .as("more"),
        // Something else is due that no chat's wake announces (a flow to start, a reminder, a retry
        // whose time came): the dispatcher scans for it after these, as it would have at once.
        eb
          .exists(
            eb
              .selectFrom("Outbox as w")
              .select(eb.lit(1).as("one"))
              .where((w) => w.or([w.and([w("w.status", "=", pending(provider)), w("w.dueAt", "<=", p.now)]), w.and([w("w.status", "=", sending(provider)), w("w.leaseUntil", "<", p.now)])]))
              .where("w.category", "<>", enumValue(provider, "MessageCategory", "reply")),
          )
          .as("waiting"),
      ];
    }),
);

export type ChatReplyRead = Awaited<ReturnType<(typeof chatReplies)["execute"]>>[number];

/** Claims the replies due at the head of these chats (see chatReplies), in id order. */
export async function claimChatReplies(db: Database, params: Omit<ChatClaimParams, "chats"> & { chats: readonly number[] }): Promise<(ChatReplyRead & { more: boolean; waiting: boolean })[]> {
  const rows = await chatReplies.execute(typedSql(db), { ...params, chats: JSON.stringify(params.chats) });
  return rows.map((r) => ({ ...r, more: toBoolean(r.more), waiting: toBoolean(r.waiting) })).sort((a, b) => a.id - b.id);
}

/** The statements of the claim, for the benchmark's ceiling (it runs CareBot's own SQL on the raw driver). */
export const outboxClaim = { claims, reads, claimsAndReads, chatReplies };
