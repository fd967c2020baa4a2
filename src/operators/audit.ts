import type { Prisma, Tx } from "../db/client.ts";

export interface AuditInput {
  clinicId: number;
  /** Null for what the system does on its own (idle release). */
  operatorId: number | null;
  action: string;
  target?: string | null;
  details?: Prisma.InputJsonValue;
  at: Date;
}

/** One row per state change: who, when, what, on what. Never a password, token or message text. */
export async function audit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      clinicId: input.clinicId,
      operatorId: input.operatorId,
      action: input.action,
      target: input.target ?? null,
      details: input.details ?? undefined,
      createdAt: input.at,
    },
  });
}
