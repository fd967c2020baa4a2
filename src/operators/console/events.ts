import { EventEmitter } from "node:events";
import type { OperatorConsoleDeps } from "../deps.ts";

export type ConsoleEvent =
  | { type: "transcript"; conversationId: number | null; identityId: number }
  | { type: "queue" }
  /** branchId: for the stream to tell which branch's operators hear it; not sent to the page. */
  | { type: "urgent"; escalationId: number; patientName: string; branchId: number | null };

/**
 * What the console's open pages hear, per clinic: transcript changes from the router, queue
 * changes from the console's own actions, and escalations the patients' messages opened.
 */
export class ConsoleEvents {
  readonly #emitter = new EventEmitter();
  /** Escalation id → updatedAt of the ones already announced. */
  readonly #seen = new Map<number, number>();
  readonly #detach: () => void;

  constructor(private readonly deps: Pick<OperatorConsoleDeps, "clinic" | "clock" | "db" | "logger" | "router">) {
    this.#emitter.setMaxListeners(0);
    const onTranscript = (e: { identityId: number; conversationId: number | null }) => {
      this.publish(deps.clinic.id, { type: "transcript", conversationId: e.conversationId, identityId: e.identityId });
      void this.checkEscalations({ identityId: e.identityId }).catch((err) => deps.logger.warn({ err }, "console: escalation check failed"));
    };
    deps.router.events.on("transcript", onTranscript);
    this.#detach = () => deps.router.events.off("transcript", onTranscript);
  }

  subscribe(clinicId: number, listener: (event: ConsoleEvent) => void): () => void {
    const name = `clinic:${clinicId}`;
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }

  publish(clinicId: number, event: ConsoleEvent): void {
    this.#emitter.emit(`clinic:${clinicId}`, event);
  }

  /** Announces escalations that are new or changed since last looked (a queue event; urgent new ones also as urgent). */
  async checkEscalations(where: { identityId?: number } = {}): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const rows = await this.deps.db.prisma.escalation.findMany({
      where: { ...where, status: { in: ["open", "taken"] }, ...(where.identityId ? {} : { updatedAt: { gte: new Date(now - 3600_000) } }) },
      select: { id: true, clinicId: true, branchId: true, priority: true, status: true, updatedAt: true, createdAt: true, patient: { select: { fullName: true } } },
      take: 200,
    });
    const changed = new Set<number>();
    for (const row of rows) {
      const known = this.#seen.get(row.id);
      if (known === row.updatedAt.getTime()) continue;
      this.#seen.set(row.id, row.updatedAt.getTime());
      changed.add(row.clinicId);
      if (known === undefined && row.priority === "urgent" && row.status === "open") {
        this.publish(row.clinicId, { type: "urgent", escalationId: row.id, patientName: row.patient?.fullName ?? "Неизвестный пациент", branchId: row.branchId });
      }
    }
    if (this.#seen.size > 5000) this.#seen.clear();
    for (const clinicId of changed) this.publish(clinicId, { type: "queue" });
  }

  close(): void {
    this.#detach();
    this.#emitter.removeAllListeners();
  }
}
