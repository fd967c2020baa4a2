// The dispatcher's claim: due rows taken under this process's lease, read with what sending them
// needs. The statements are src/db/queries/outbox-claim.ts (one round trip on PostgreSQL).
import type { Selectable } from "kysely";
import type { Database } from "../db/client.ts";
import type { ChannelIdentity, Outbox, Patient } from "../db/kysely/index.ts";
import { claimAndReadDue, claimChatReplies, claimDueIds } from "../db/queries/outbox-claim.ts";
import type { ClaimedRowRead } from "../db/queries/outbox-claim.ts";
import type { ConsentsInForce } from "../domain/consents/sending-rules.ts";

/**
 * Claims up to `limit` due outbox rows for this process, under a lease of `leaseMs`, and returns
 * their ids. With `clinicId`, only that clinic's rows: a process serving one clinic (CLINIC_SLUG)
 * sends with that clinic's bot and must never take another clinic's messages from a shared database.
 */
export function claimDue(db: Database, owner: string, now: Date, leaseMs: number, limit: number, clinicId?: number): Promise<number[]> {
  return claimDueIds(db, { owner, now, leaseUntil: new Date(now.getTime() + leaseMs), limit, clinicId });
}

/** A claimed row with what sending it needs: its chat and, once linked, the patient's rules. */
export type ClaimedRow = Pick<Selectable<Outbox>, "id" | "clinicId" | "idempotencyKey" | "patientId" | "identityId" | "conversationId" | "kind" | "category" | "payload" | "attempts" | "triedChannels"> & {
  identity:
    | (Pick<Selectable<ChannelIdentity>, "id" | "channel" | "externalChatId" | "unreachableAt" | "unreachableReason" | "lastInboundAt"> & {
        /**
         * The linked patient's rules; null when the chat is not linked, and for a reply claimed by
         * its chat (claimChatReplies: a reply is never held by those rules, so they are not read).
         */
        patient: (Pick<Selectable<Patient>, "id" | "optedOutAt" | "timezone"> & { consents: ConsentsInForce }) | null;
      })
    | null;
};

/**
 * Claims as claimDue does and reads the rows with their chat and patient, in id order. `waiting`:
 * another row was due then (behind one of these in its chat, or beyond the batch), so the
 * dispatcher looks again once these are sent.
 */
export async function claimBatch(db: Database, owner: string, now: Date, leaseMs: number, limit: number, clinicId?: number): Promise<{ rows: ClaimedRow[]; waiting: boolean }> {
  const { rows, waiting } = await claimAndReadDue(db, { owner, now, leaseUntil: new Date(now.getTime() + leaseMs), limit, clinicId });
  return { rows: rows.map(asClaimedRow), waiting };
}

/**
 * The replies steps just queued in these chats, claimed by chat (no scan of what is due): the
 * head of each chat's queue when it is a reply due now. `more`: chats with another row due behind
 * the one claimed; `waiting`: a row no chat's wake announces is due (a flow to start, a reminder).
 */
export async function claimChatBatch(db: Database, owner: string, now: Date, leaseMs: number, chats: readonly number[]): Promise<{ rows: ClaimedRow[]; more: number[]; waiting: boolean }> {
  const read = await claimChatReplies(db, { owner, now, leaseUntil: new Date(now.getTime() + leaseMs), chats });
  const rows = read.map(({ channel, externalChatId, unreachableAt, unreachableReason, lastInboundAt, more: _more, waiting: _waiting, ...outbox }): ClaimedRow => ({
    ...outbox,
    attempts: Number(outbox.attempts),
    identity: outbox.identityId === null ? null : { id: outbox.identityId, channel: channel!, externalChatId: externalChatId!, unreachableAt, unreachableReason, lastInboundAt, patient: null },
  }));
  return { rows, more: read.filter((r) => r.more && r.identityId !== null).map((r) => r.identityId!), waiting: read.some((r) => r.waiting) };
}

function asClaimedRow(row: ClaimedRowRead): ClaimedRow {
  const { chatId, channel, externalChatId, unreachableAt, unreachableReason, lastInboundAt, linkedPatientId, optedOutAt, timezone, consent_personal_data, consent_care_messages, consent_advertising, consent_medical, waiting: _waiting, ...outbox } = row;
  return {
    ...outbox,
    // A sum on PostgreSQL may come back as text or bigint: the count of attempts is a number.
    attempts: Number(outbox.attempts),
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
  };
}

/** A consent's `granted` as read (a boolean, or 0/1 from SQLite), or null for none in force. */
function granted(value: unknown): { granted: boolean } | null {
  return value === null || value === undefined ? null : { granted: value === true || value === 1 || value === "1" };
}
