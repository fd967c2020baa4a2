// "Написать пациенту": an operator writes to a patient who has not written. The message goes the
// way of every other one — an outbox row the dispatcher sends under its rules — and the operator
// learns at once what will happen: sent now, waiting for the morning, or not possible and why.
import type { OperatorConsoleDeps } from "../deps.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import { preferredIdentity } from "../../outbox/dispatcher.ts";
import { quietUntil } from "../../outbox/rules.ts";
import { audit } from "../audit.ts";
import { patientsOf } from "../branches/access.ts";
import type { ConsoleOperator } from "../auth/session.ts";

export type WriteFirstOutcome =
  | { kind: "queued"; messageId: number; channel: string; dueAt: Date; quiet: boolean }
  | { kind: "no-patient" }
  | { kind: "opted-out"; at: Date }
  | { kind: "no-channel" }
  | { kind: "held"; conversationId: number; holder: string | null };

export async function writeFirst(deps: Pick<OperatorConsoleDeps, "clock" | "db" | "router">, op: ConsoleOperator, patientId: number, text: string): Promise<WriteFirstOutcome> {
  const db = deps.db.prisma;
  const now = deps.clock.now();
  const patient = await db.patient.findFirst({ where: { id: patientId, clinicId: op.clinicId, AND: [patientsOf(op)] }, select: { id: true, optedOutAt: true, preferredChannel: true, timezone: true } });
  if (!patient) return { kind: "no-patient" };
  // Said here rather than left to the dispatcher to skip in silence: the operator should know.
  if (patient.optedOutAt) return { kind: "opted-out", at: patient.optedOutAt };
  // Any messenger chat that has not blocked the bot; whether its channel is up is the dispatcher's to wait for.
  const clinic = await db.clinic.findUniqueOrThrow({ where: { id: op.clinicId }, select: { timezone: true, settings: true } });
  const settings = parseClinicSettings(clinic.settings);
  const identity = await preferredIdentity(deps.db, patient.id, patient.preferredChannel, () => true, { now, order: settings.channelOrder });
  if (!identity) return { kind: "no-channel" };
  const held = await db.conversation.findFirst({ where: { identityId: identity.id, status: "operator" }, select: { id: true, operator: { select: { displayName: true } } } });
  if (held) return { kind: "held", conversationId: held.id, holder: held.operator?.displayName ?? null };

  const quiet = quietUntil(now, patient.timezone ?? clinic.timezone, settings.quietHours);
  const dueAt = quiet ?? now;
  const messageId = await deps.router.operatorFirst({ clinicId: op.clinicId, identityId: identity.id, patientId: patient.id, operatorId: op.id, text, dueAt });
  await audit(db, {
    clinicId: op.clinicId,
    operatorId: op.id,
    action: "patient.write-first",
    target: `patient:${patient.id}`,
    details: { messageId, identityId: identity.id, dueAt: dueAt.toISOString(), length: text.length },
    at: now,
  });
  return { kind: "queued", messageId, channel: identity.channel, dueAt, quiet: quiet !== null };
}
