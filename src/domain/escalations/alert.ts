// Operators hear about an urgent escalation in their staff chat, not only when they look at the
// console. The alert is an outbox row written in the escalation's own transaction, so it leaves
// exactly once, after the escalation is committed, and survives restarts and messenger outages.
import type { Prisma, Tx } from "../../db/client.ts";
import type { Priority } from "./sla.ts";

/** The outbox kind the dispatcher sends to the operators' chat instead of a patient's. */
export const OPERATOR_ALERT_KIND = "operator-alert";

/** One alert per escalation, however often it is raised or re-joined. */
export const escalationAlertKey = (escalationId: number): string => `alert:escalation:${escalationId}`;

/** What an alert may tell: no phone, no full name (the staff chat is not the medical record). */
export interface EscalationAlertFacts {
  escalationId: number;
  conversationId: number | null;
  priority: Priority;
  reason: string;
  /** Used only to pick the first name; never copied into the alert as it is. */
  patientFullName: string | null;
  /** The MIS's own first name, when it sent one. */
  patientFirstName?: string | null;
  slaDueAt: Date;
  timezone: string;
}

/**
 * Where alerts go and how they read. The domain decides when to alert; the caller (configured
 * from OPERATORS_TELEGRAM_CHAT_ID and PUBLIC_URL) writes the words and the console link.
 */
export interface EscalationAlerts {
  telegramChatId: string;
  text(facts: EscalationAlertFacts): string;
}

/** The payload of an operator-alert row: the text is written at queue time, so a restart changes nothing. */
export interface OperatorAlertPayload {
  operatorChat: { channel: "telegram"; chatId: string };
  message: { text: string };
  escalationId: number;
}

export function isOperatorAlertPayload(value: unknown): value is OperatorAlertPayload {
  const p = value as Partial<OperatorAlertPayload> | null;
  return Boolean(p && p.operatorChat?.channel === "telegram" && typeof p.operatorChat.chatId === "string" && typeof p.message?.text === "string");
}

/**
 * Queues the alert in the caller's transaction. Idempotent by key: a second call for the same
 * escalation changes nothing. No identity and no patient on the row, so no patient's rule
 * (opt-out, quiet hours, frequency cap, an operator holding the chat) can hold it back.
 */
export async function queueEscalationAlert(tx: Tx, alerts: EscalationAlerts, row: { clinicId: number; now: Date; facts: EscalationAlertFacts }): Promise<void> {
  const payload: OperatorAlertPayload = {
    operatorChat: { channel: "telegram", chatId: alerts.telegramChatId },
    message: { text: alerts.text(row.facts) },
    escalationId: row.facts.escalationId,
  };
  await tx.outbox.upsert({
    where: { idempotencyKey: escalationAlertKey(row.facts.escalationId) },
    create: {
      clinicId: row.clinicId,
      idempotencyKey: escalationAlertKey(row.facts.escalationId),
      patientId: null,
      identityId: null,
      conversationId: row.facts.conversationId,
      kind: OPERATOR_ALERT_KIND,
      category: "transactional",
      payload: payload as unknown as Prisma.InputJsonValue,
      dueAt: row.now,
    },
    update: {},
  });
}
