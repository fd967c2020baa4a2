import type { OperatorConsoleDeps } from "../deps.ts";
import { audit } from "../audit.ts";
import { conversationsOf, escalationsOf } from "../branches/access.ts";
import type { ConsoleOperator } from "../auth/session.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";
import type { ConsoleEvents } from "./events.ts";
import { PROBLEM_TEXT } from "./problem-text.ts";
import type { ProblemKey } from "./problem-text.ts";

/**
 * A refusal of the console's API. `message` is a key of PROBLEM_TEXT (told in the console's
 * language, filled from `extra`) or, for a text made elsewhere, the text itself.
 */
export class ConsoleProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: ProblemKey | (string & {}),
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The answer in `lang`. */
  textIn(lang: Lang): string {
    const texts: Record<string, string> = textsOf(PROBLEM_TEXT, lang);
    const values: Record<string, string> = Object.fromEntries(Object.entries(this.extra).map(([k, v]) => [k, String(v ?? "")]));
    // A holder whose name is gone (the row changed under us) is still someone.
    if (values.holder === "") values.holder = texts.anotherOperator!;
    return this.message in texts ? fill(texts[this.message]!, values) : this.message;
  }
}

const notFound = () => new ConsoleProblem(404, "noConversation");

export class ConsoleActions {
  constructor(
    private readonly deps: Pick<OperatorConsoleDeps, "clock" | "db" | "router">,
    private readonly events: ConsoleEvents,
  ) {}

  get #db() {
    return this.deps.db.prisma;
  }

  async #conversation(op: ConsoleOperator, id: number) {
    const row = await this.#db.conversation.findFirst({ where: { id, clinicId: op.clinicId, ...conversationsOf(op) }, include: { operator: { select: { id: true, displayName: true } } } });
    if (!row) throw notFound();
    return row;
  }

  /** Only the operator holding the conversation may write to the patient or hand it back. */
  async #held(op: ConsoleOperator, id: number) {
    const row = await this.#conversation(op, id);
    if (row.status !== "operator" || row.operatorId !== op.id) {
      const holder = row.status === "operator" ? row.operator?.displayName : null;
      throw new ConsoleProblem(409, holder ? "heldBy" : "takeOverFirst", { holder: holder ?? null });
    }
    return row;
  }

  /** The bot goes quiet; two operators can never hold one conversation (an atomic conditional update). */
  async take(op: ConsoleOperator, id: number): Promise<void> {
    const now = this.deps.clock.now();
    const row = await this.#conversation(op, id);
    await this.deps.db.transaction(async (tx) => {
      const taken = await tx.conversation.updateMany({
        where: { id, clinicId: op.clinicId, OR: [{ status: { not: "operator" } }, { operatorId: op.id }] },
        data: { status: "operator", operatorId: op.id, operatorTakenAt: now, operatorActiveAt: now, closedAt: null, timerDueAt: null },
      });
      if (taken.count === 0) {
        const holder = await tx.conversation.findUnique({ where: { id }, select: { operator: { select: { displayName: true } } } });
        throw new ConsoleProblem(409, "heldBy", { holder: holder?.operator?.displayName ?? null });
      }
      // The router answers from the chat's newest open conversation: no other may stay with the bot.
      await tx.conversation.updateMany({
        where: { identityId: row.identityId, id: { not: id }, status: "bot" },
        data: { status: "closed", closedAt: now, timerDueAt: null },
      });
      await tx.escalation.updateMany({
        where: { clinicId: op.clinicId, conversationId: id, status: { in: ["open", "taken"] } },
        data: { status: "taken", operatorId: op.id, takenAt: now },
      });
      await audit(tx, { clinicId: op.clinicId, operatorId: op.id, action: "conversation.take", target: `conversation:${id}`, at: now });
    });
    this.#changed(op.clinicId, row.identityId, id);
  }

  async reply(op: ConsoleOperator, id: number, text: string): Promise<number> {
    const row = await this.#held(op, id);
    const messageId = await this.deps.router.operatorReply(id, op.id, text);
    await audit(this.#db, { clinicId: op.clinicId, operatorId: op.id, action: "conversation.reply", target: `conversation:${id}`, details: { messageId, length: text.length }, at: this.deps.clock.now() });
    this.#changed(op.clinicId, row.identityId, id, false);
    return messageId;
  }

  /** A private note in the transcript: never sent to the patient. */
  async note(op: ConsoleOperator, id: number, text: string): Promise<number> {
    const row = await this.#conversation(op, id);
    const now = this.deps.clock.now();
    const message = await this.deps.db.transaction(async (tx) => {
      const created = await tx.message.create({
        data: { clinicId: op.clinicId, identityId: row.identityId, conversationId: id, direction: "note", text, operatorId: op.id, createdAt: now },
      });
      if (row.status === "operator" && row.operatorId === op.id) await tx.conversation.update({ where: { id }, data: { operatorActiveAt: now } });
      await audit(tx, { clinicId: op.clinicId, operatorId: op.id, action: "conversation.note", target: `conversation:${id}`, details: { messageId: created.id }, at: now });
      return created;
    });
    this.#changed(op.clinicId, row.identityId, id, false);
    return message.id;
  }

  /** The bot carries on (RESUME); the escalation stays taken until someone resolves it. */
  async handBack(op: ConsoleOperator, id: number): Promise<void> {
    const row = await this.#held(op, id);
    await this.deps.router.resume(id);
    await audit(this.#db, { clinicId: op.clinicId, operatorId: op.id, action: "conversation.hand-back", target: `conversation:${id}`, at: this.deps.clock.now() });
    this.#changed(op.clinicId, row.identityId, id);
  }

  async resolve(op: ConsoleOperator, escalationId: number): Promise<void> {
    const now = this.deps.clock.now();
    const done = await this.deps.db.transaction(async (tx) => {
      const row = await tx.escalation.findFirst({ where: { id: escalationId, clinicId: op.clinicId, ...escalationsOf(op) } });
      if (!row) throw new ConsoleProblem(404, "noEscalation");
      if (row.status === "resolved") return row;
      await tx.escalation.update({ where: { id: escalationId }, data: { status: "resolved", resolvedAt: now, operatorId: row.operatorId ?? op.id } });
      await audit(tx, { clinicId: op.clinicId, operatorId: op.id, action: "escalation.resolve", target: `escalation:${escalationId}`, at: now });
      return row;
    });
    this.events.publish(op.clinicId, { type: "queue" });
    if (done.conversationId && done.identityId) this.events.publish(op.clinicId, { type: "transcript", conversationId: done.conversationId, identityId: done.identityId });
  }

  #changed(clinicId: number, identityId: number, conversationId: number, queue = true): void {
    // The router announces its own transcript changes (reply, hand-back); notes and takes are ours.
    this.events.publish(clinicId, { type: "transcript", conversationId, identityId });
    if (queue) this.events.publish(clinicId, { type: "queue" });
  }
}
