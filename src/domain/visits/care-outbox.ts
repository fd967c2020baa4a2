import type { Prisma, Tx } from "../../db/client.ts";

export const CHECKIN_FLOW = "care-checkin";
export const NPS_FLOW = "nps";

export const checkinKey = (visitId: number) => `checkin:${visitId}`;
export const npsKey = (visitId: number) => `nps:${visitId}`;

export interface StartFlowContext {
  visitId: number;
  doctor: string;
  service: string;
  serviceCategory: string | null;
}

export const REBOOK_FLOW = "rebook-followup";
/** The first rebooking nudge of a follow-up; the scheduler's later attempts count on from it. */
export const followUpKey = (followUpId: number, attempt: number) => `followup:${followUpId}:${attempt}`;

/** The payload of a "start-flow" outbox row: the dispatcher starts `startFlow` with `context`. */
export interface StartFlowPayload {
  startFlow: string;
  context: StartFlowContext | { followUpId: number };
}

/**
 * Queues a flow to start later for a patient, through whichever channel the dispatcher picks at
 * send time (identityId null). Idempotent by key: queuing it again changes nothing.
 */
export async function queueStartFlow(
  tx: Tx,
  row: { clinicId: number; patientId: number; key: string; flowId: string; category: "care" | "marketing" | "transactional"; context: StartFlowPayload["context"]; dueAt: Date },
): Promise<void> {
  const payload: StartFlowPayload = { startFlow: row.flowId, context: row.context };
  await tx.outbox.upsert({
    where: { idempotencyKey: row.key },
    create: {
      clinicId: row.clinicId,
      idempotencyKey: row.key,
      patientId: row.patientId,
      identityId: null,
      kind: "start-flow",
      category: row.category,
      payload: payload as unknown as Prisma.InputJsonValue,
      dueAt: row.dueAt,
    },
    update: {},
  });
}

/** The reason a row carries when it was skipped as too old to say; the dashboard counts rows by it. */
export const TOO_OLD = "too old";
export const tooOldReason = (what: string) => `${TOO_OLD}: ${what}`;

/** The row that records a follow-up whose nudge was skipped as too old (once per follow-up). */
export const staleFollowUpKey = (followUpId: number) => `followup:${followUpId}:stale`;

/**
 * Puts a care message of a visit where its visit's time says: queued for `dueAt`, or skipped as
 * too old (`skip` is the reason). A row already queued or skipped as too old follows a corrected
 * visit time; one that went out, or was withdrawn for another reason, is left as it is.
 */
export async function placeStartFlow(
  tx: Tx,
  row: { clinicId: number; patientId: number; key: string; flowId: string; category: "care" | "marketing" | "transactional"; context: StartFlowPayload["context"]; dueAt: Date },
  skip: string | null,
  /** The injected clock's now: the row's times (the dashboard counts skipped rows by them). */
  now: Date,
): Promise<void> {
  const existing = await tx.outbox.findUnique({ where: { idempotencyKey: row.key }, select: { id: true, status: true, lastError: true } });
  const state = skip ? { status: "skipped" as const, lastError: skip } : { status: "pending" as const, lastError: null };
  if (!existing) {
    const payload: StartFlowPayload = { startFlow: row.flowId, context: row.context };
    await tx.outbox.create({
      data: {
        clinicId: row.clinicId,
        idempotencyKey: row.key,
        patientId: row.patientId,
        identityId: null,
        kind: "start-flow",
        category: row.category,
        payload: payload as unknown as Prisma.InputJsonValue,
        dueAt: row.dueAt,
        ...state,
        createdAt: now,
        updatedAt: now,
      },
    });
    return;
  }
  const movable = existing.status === "pending" || (existing.status === "skipped" && (existing.lastError ?? "").startsWith(TOO_OLD));
  if (movable) await tx.outbox.update({ where: { id: existing.id }, data: { dueAt: row.dueAt, ...state, updatedAt: now } });
}

/** Withdraws queued rows that have not gone out yet (a refunded visit gets no survey). */
export async function withdrawPending(tx: Tx, keys: string[], reason: string): Promise<number> {
  const { count } = await tx.outbox.updateMany({ where: { idempotencyKey: { in: keys }, status: "pending" }, data: { status: "skipped", lastError: reason } });
  return count;
}
