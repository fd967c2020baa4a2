// What a conversation step writes (src/flows/runtime/step.ts): each message's transcript line and
// outbox row, and the session snapshot. Each statement is compiled once (preparedQuery). On
// PostgreSQL a step's last message and its snapshot go in one statement (data-modifying WITH: one
// round trip instead of three); SQLite runs in-process, so it keeps the three plain statements.
import type { MessageCategory, Tx } from "../client.ts";
import { concat, enumParam, enumValue, int, jsonObject, jsonText, preparedQuery, text, time, typedSqlOn } from "../kysely/index.ts";
import type { Provider } from "../kysely/index.ts";

/** One rendered message to queue. */
export interface QueuedMessage {
  clinicId: number;
  identityId: number;
  conversationId: number | null;
  patientId: number | null;
  operatorId: number | null;
  /** The transcript text and the message as JSON text. */
  text: string;
  message: string;
  /** The outbox row's key; null: "msg:<the transcript line's id>". */
  idempotencyKey: string | null;
  kind: string;
  category: MessageCategory;
  dueAt: Date;
  now: Date;
}

/** The session written on every step, and its next timer. */
export interface SessionWrite {
  conversationId: number;
  snapshot: string;
  timerDueAt: Date | null;
  timerEvent: string | null;
  now: Date;
  /** The conversation ends with this step. */
  closing: boolean;
}

const transcriptLine = preparedQuery((db, p: QueuedMessage, provider) =>
  db
    .insertInto("Message")
    .values({
      clinicId: p.clinicId,
      identityId: p.identityId,
      conversationId: p.conversationId,
      direction: enumValue(provider, "MessageDirection", "outbound"),
      text: p.text,
      payload: jsonText(provider, p.message),
      operatorId: p.operatorId,
      createdAt: p.now,
    })
    .returning("id"),
);

const outboxRow = preparedQuery((db, p: Omit<QueuedMessage, "idempotencyKey" | "message"> & { idempotencyKey: string; payload: string }, provider) =>
  db.insertInto("Outbox").values({
    clinicId: p.clinicId,
    idempotencyKey: p.idempotencyKey,
    patientId: p.patientId,
    identityId: p.identityId,
    conversationId: p.conversationId,
    kind: p.kind,
    category: p.category,
    payload: jsonText(provider, p.payload),
    dueAt: p.dueAt,
    status: enumValue(provider, "OutboxStatus", "pending"),
    attempts: 0,
    createdAt: p.now,
    updatedAt: p.now,
  }),
);

type SessionParams = Omit<SessionWrite, "closing">;

/** The session update, open or closing (two shapes, so two prepared queries). */
function sessionUpdate(closing: boolean) {
  return preparedQuery((db, p: SessionParams, provider) =>
    db
      .updateTable("Conversation")
      .set({ snapshot: jsonText(provider, p.snapshot), timerDueAt: p.timerDueAt, timerEvent: p.timerEvent, updatedAt: p.now })
      .$if(closing, (u) => u.set({ status: enumValue(provider, "ConversationStatus", "closed"), closedAt: p.now }))
      .where("id", "=", p.conversationId),
  );
}
const sessionUpdates = { open: sessionUpdate(false), closing: sessionUpdate(true) };

/**
 * PostgreSQL: a message's transcript line, its outbox row and the session in one statement. The
 * outbox row is written from the line's RETURNING, so its key and payload can name the line's id;
 * every value in the SELECT list carries its type (PostgreSQL cannot infer it there).
 */
function messageAndSession(closing: boolean) {
  return preparedQuery((db, p: QueuedMessage & SessionParams, provider) =>
    db
      .with("m", (w) =>
        w
          .insertInto("Message")
          .values({
            clinicId: p.clinicId,
            identityId: p.identityId,
            conversationId: p.conversationId,
            direction: enumValue(provider, "MessageDirection", "outbound"),
            text: p.text,
            payload: jsonText(provider, p.message),
            operatorId: p.operatorId,
            createdAt: p.now,
          })
          .returning("id"),
      )
      .with("o", (w) =>
        w
          .insertInto("Outbox")
          .columns(["clinicId", "idempotencyKey", "patientId", "identityId", "conversationId", "kind", "category", "payload", "dueAt", "status", "attempts", "createdAt", "updatedAt"])
          .expression((eb) =>
            eb
              .selectFrom("m")
              .select((s) => [
                int(provider, p.clinicId).as("clinicId"),
                s.fn.coalesce(text(p.idempotencyKey as string), concat(text("msg:"), s.ref("m.id"))).as("idempotencyKey"),
                int(provider, p.patientId as number).as("patientId"),
                int(provider, p.identityId).as("identityId"),
                int(provider, p.conversationId as number).as("conversationId"),
                text(p.kind).as("kind"),
                enumParam(provider, "MessageCategory", p.category).as("category"),
                jsonObject(provider, [
                  ["message", jsonText(provider, p.message)],
                  ["messageId", s.ref("m.id")],
                ]).as("payload"),
                time(provider, p.dueAt).as("dueAt"),
                enumValue(provider, "OutboxStatus", "pending").as("status"),
                s.lit(0).as("attempts"),
                time(provider, p.now).as("createdAt"),
                time(provider, p.now).as("updatedAt"),
              ]),
          )
          .returning("id"),
      )
      .updateTable("Conversation")
      .set({ snapshot: jsonText(provider, p.snapshot), timerDueAt: p.timerDueAt, timerEvent: p.timerEvent, updatedAt: p.now })
      .$if(closing, (u) => u.set({ status: enumValue(provider, "ConversationStatus", "closed"), closedAt: p.now }))
      .where("id", "=", p.conversationId)
      .returning((eb) => eb.selectFrom("m").select("m.id").as("messageId")),
  );
}
const messagesAndSessions = { open: messageAndSession(false), closing: messageAndSession(true) };

/** Queues one message: its transcript line, then its outbox row. Resolves to the line's id. */
export async function queueMessageRows(tx: Tx, provider: Provider, m: QueuedMessage): Promise<number> {
  const q = typedSqlOn(tx, provider);
  const line = await transcriptLine.executeTakeFirst(q, m);
  const id = line!.id;
  const payload = `{"message":${m.message},"messageId":${id}}`;
  await outboxRow.execute(q, { ...m, idempotencyKey: m.idempotencyKey ?? `msg:${id}`, payload });
  return id;
}

/** Writes a conversation's session (snapshot, next timer; `closing` ends it). */
export async function writeSessionRow(tx: Tx, provider: Provider, s: SessionWrite): Promise<void> {
  await (s.closing ? sessionUpdates.closing : sessionUpdates.open).execute(typedSqlOn(tx, provider), s);
}

/**
 * A step's last message and its session: one statement on PostgreSQL, three on SQLite. The
 * message is queued before the session is written either way.
 */
export async function writeMessageAndSession(tx: Tx, provider: Provider, m: QueuedMessage, s: SessionWrite): Promise<void> {
  if (provider === "sqlite") {
    await queueMessageRows(tx, provider, m);
    await writeSessionRow(tx, provider, s);
    return;
  }
  // No row back when the conversation is gone: the message is queued all the same, as on SQLite.
  await (s.closing ? messagesAndSessions.closing : messagesAndSessions.open).execute(typedSqlOn(tx, provider), { ...m, ...s });
}

/**
 * The statements of a step's writes, for the benchmark's ceiling (bench/lib/ceiling-rig.ts), which
 * runs CareBot's own SQL on the raw driver: `compiledFor(provider)` gives the SQL and the binding.
 */
export const conversationWrites = { transcriptLine, outboxRow, sessionUpdates, messagesAndSessions };
