import type { ExpressionBuilder, Selectable } from "kysely";
import type { Database } from "../db/client.ts";
import { enumValue, typedSql } from "../db/kysely/index.ts";
import type { ChannelIdentity, DB, Outbox, Patient, Provider } from "../db/kysely/index.ts";
import { CONSENT_KINDS } from "../domain/consents/kinds.ts";
import type { ConsentsInForce } from "../domain/consents/sending-rules.ts";

type Claiming = ExpressionBuilder<DB & { o: Outbox; e: Outbox }, "o">;

const pending = (p: Provider) => enumValue(p, "OutboxStatus", "pending");
const sending = (p: Provider) => enumValue(p, "OutboxStatus", "sending");

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
function notBehind(eb: Claiming, p: Provider, now: Date) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom("Outbox as e")
        .select(eb.lit(1).as("one"))
        .whereRef("e.identityId", "=", "o.identityId")
        .whereRef("e.id", "<", "o.id")
        .where((e) =>
          e.or([
            e.and([e("e.status", "=", pending(p)), e.or([e("e.dueAt", "<=", now), e("e.lastError", "is not", null)])]),
            e.and([e("e.status", "=", sending(p)), e("e.leaseUntil", ">=", now)]),
          ]),
        ),
    ),
  );
}

/**
 * Claims up to `limit` due outbox rows for this process, under a lease of `leaseMs`. With
 * `clinicId`, only that clinic's rows: a process serving one clinic (CLINIC_SLUG) sends with that
 * clinic's bot and must never take another clinic's messages from a shared database.
 *
 * PostgreSQL: several processes claim side by side; SKIP LOCKED leaves rows another process is
 * claiming to it, and a locked row is re-checked after that process commits, so no row is
 * claimed twice. SQLite has one writer: the statement alone is atomic.
 */
export async function claimDue(db: Database, owner: string, now: Date, leaseMs: number, limit: number, clinicId?: number): Promise<number[]> {
  const q = typedSql(db);
  const p = q.provider;
  const rows = await q
    .updateTable("Outbox")
    .set((eb) => ({ status: sending(p), leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), attempts: eb("attempts", "+", 1), updatedAt: now }))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("Outbox as o")
        .select("o.id")
        .where((o) => o.and([due(o, p, now), notBehind(o, p, now)]))
        .$if(clinicId !== undefined, (s) => s.where("o.clinicId", "=", clinicId!))
        .orderBy("o.dueAt")
        .orderBy("o.id")
        .limit(limit)
        .$if(p === "postgresql", (s) => s.forUpdate("o").skipLocked()),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** A claimed row with what sending it needs: its chat and, once linked, the patient's rules. */
export type ClaimedRow = Pick<Selectable<Outbox>, "id" | "clinicId" | "idempotencyKey" | "patientId" | "identityId" | "conversationId" | "kind" | "category" | "payload" | "attempts" | "triedChannels"> & {
  identity:
    | (Pick<Selectable<ChannelIdentity>, "id" | "channel" | "externalChatId" | "unreachableAt" | "unreachableReason" | "lastInboundAt"> & {
        patient: (Pick<Selectable<Patient>, "id" | "optedOutAt" | "timezone"> & { consents: ConsentsInForce }) | null;
      })
    | null;
};

/**
 * Reads claimed rows with their chat and patient in one joined statement (Prisma's include
 * would run three), in id order.
 */
export async function readClaimed(db: Database, ids: readonly number[]): Promise<ClaimedRow[]> {
  if (ids.length === 0) return [];
  const q = typedSql(db);
  const rows = await q
    .selectFrom("Outbox as o")
    .leftJoin("ChannelIdentity as i", "i.id", "o.identityId")
    .leftJoin("Patient as p", "p.id", "i.patientId")
    .select(["o.id", "o.clinicId", "o.idempotencyKey", "o.patientId", "o.identityId", "o.conversationId", "o.kind", "o.category", "o.payload", "o.attempts", "o.triedChannels"])
    .select(["i.id as chatId", "i.channel", "i.externalChatId", "i.unreachableAt", "i.unreachableReason", "i.lastInboundAt"])
    .select(["p.id as linkedPatientId", "p.optedOutAt", "p.timezone"])
    // The consents in force, read with the row: a change made a moment ago rules this message.
    .select((eb) =>
      CONSENT_KINDS.map((kind) =>
        eb
          .selectFrom("Consent as c")
          .select("c.granted")
          .whereRef("c.patientId", "=", "p.id")
          .where("c.kind", "=", enumValue(q.provider, "ConsentKind", kind))
          .where("c.supersededAt", "is", null)
          .orderBy("c.at", "desc")
          .orderBy("c.id", "desc")
          .limit(1)
          .as(`consent_${kind}`),
      ),
    )
    .where("o.id", "in", ids)
    .orderBy("o.id")
    .execute();
  return rows.map(({ chatId, channel, externalChatId, unreachableAt, unreachableReason, lastInboundAt, linkedPatientId, optedOutAt, timezone, consent_personal_data, consent_care_messages, consent_advertising, consent_medical, ...outbox }) => ({
    ...outbox,
    identity:
      chatId === null
        ? null
        : {
            id: chatId,
            channel: channel!,
            externalChatId: externalChatId!,
            unreachableAt,
            unreachableReason,
            lastInboundAt,
            patient:
              linkedPatientId === null
                ? null
                : {
                    id: linkedPatientId,
                    optedOutAt,
                    timezone,
                    consents: { personal_data: granted(consent_personal_data), care_messages: granted(consent_care_messages), advertising: granted(consent_advertising), medical: granted(consent_medical) },
                  },
          },
  }));
}

/** A consent's `granted` as read (a boolean, or 0/1 from SQLite), or null for none in force. */
function granted(value: unknown): { granted: boolean } | null {
  return value === null || value === undefined ? null : { granted: value === true || value === 1 || value === "1" };
}
