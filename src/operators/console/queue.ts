import type { Db, Prisma } from "../../db/client.ts";

const RANK = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

export interface QueueItem {
  id: number;
  conversationId: number | null;
  patientId: number | null;
  patientName: string;
  channel: string | null;
  reason: string;
  summary: string | null;
  priority: keyof typeof RANK;
  status: "open" | "taken";
  slaDueAt: string;
  overdue: boolean;
  createdAt: string;
  takenBy: { id: number; name: string } | null;
  conversationStatus: string | null;
}

/** Open and taken escalations of one clinic: most urgent first, then the earliest SLA. */
export async function listQueue(db: Db, clinicId: number, now: Date, only: Prisma.EscalationWhereInput = {}): Promise<QueueItem[]> {
  const rows = await db.escalation.findMany({
    // `only`: an operator limited to some branches sees theirs (src/operators/branches/access.ts).
    where: { clinicId, status: { in: ["open", "taken"] }, ...only },
    include: {
      patient: { select: { fullName: true } },
      identity: { select: { displayName: true, channel: true } },
      operator: { select: { id: true, displayName: true } },
      conversation: { select: { status: true } },
    },
    orderBy: { slaDueAt: "asc" },
    take: 500,
  });
  return rows
    .sort((a, b) => RANK[a.priority] - RANK[b.priority] || a.slaDueAt.getTime() - b.slaDueAt.getTime() || a.id - b.id)
    .map((e) => ({
      id: e.id,
      conversationId: e.conversationId,
      patientId: e.patientId,
      patientName: e.patient?.fullName ?? e.identity?.displayName ?? "Неизвестный пациент",
      channel: e.identity?.channel ?? null,
      reason: e.reason,
      summary: e.summary,
      priority: e.priority,
      status: e.status as "open" | "taken",
      slaDueAt: e.slaDueAt.toISOString(),
      overdue: e.status === "open" && e.slaDueAt <= now,
      createdAt: e.createdAt.toISOString(),
      takenBy: e.operator ? { id: e.operator.id, name: e.operator.displayName } : null,
      conversationStatus: e.conversation?.status ?? null,
    }));
}
