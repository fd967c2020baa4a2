import type { Prisma, Tx } from "../../../db/client.ts";
import type { LoyaltyLevelRule } from "../../clinic/settings.ts";

/** The flow that tells a patient about their level (flows/loyalty-level.json). */
export const LEVEL_FLOW = "loyalty-level";

/** One message per patient, level and period: `level:up:<patient>:<level>:<yyyy-mm-dd the level was reached>`. */
export const levelUpKey = (patientId: number, levelId: string, since: Date) => `level:up:${patientId}:${levelId}:${since.toISOString().slice(0, 10)}`;
/** One notice per level held and period that ended: `level:down:<patient>:<level>:<yyyy-mm-dd it held until>`. */
export const levelDownKey = (patientId: number, levelId: string, holdsUntil: Date) => `level:down:${patientId}:${levelId}:${holdsUntil.toISOString().slice(0, 10)}`;

export interface LevelMessage {
  direction: "up" | "down";
  level: LoyaltyLevelRule | null;
  /** up: until when the level holds at least; down: when the lower level takes effect. */
  date: Date;
  /** down: the level the patient still holds until `date`. */
  from?: LoyaltyLevelRule | null;
}

/** Queues the level message (a care message: it is about the patient's own account). Idempotent by key. */
export async function queueLevelMessage(tx: Tx, row: { clinicId: number; patientId: number; key: string; dueAt: Date; message: LevelMessage }): Promise<void> {
  const { level, from } = row.message;
  const view = (l: LoyaltyLevelRule | null | undefined) =>
    l ? { id: l.id, name: l.name, nameEn: l.nameEn ?? l.name, accrualPercent: l.accrualPercent, billSharePercent: Math.round(l.maxBillShare * 100) } : null;
  const context = { direction: row.message.direction, level: view(level), from: view(from), date: row.message.date.toISOString() };
  await tx.outbox.upsert({
    where: { idempotencyKey: row.key },
    create: {
      clinicId: row.clinicId,
      idempotencyKey: row.key,
      patientId: row.patientId,
      identityId: null,
      kind: "start-flow",
      category: "care",
      payload: { startFlow: LEVEL_FLOW, context } as unknown as Prisma.InputJsonValue,
      dueAt: row.dueAt,
    },
    update: {},
  });
}
