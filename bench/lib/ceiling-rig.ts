// The ceiling: the statements CareBot sends for one NPS answer — its own compiled SQL (the
// prepared queries of src/db/queries/chat-target.ts, src/db/queries/bonus-summary.ts,
// src/db/queries/conversation-writes.ts and src/db/queries/nps-answers.ts) — run on the raw driver (better-sqlite3 prepared
// statements in one transaction; pg with BEGIN/COMMIT, each statement named so pg keeps it
// prepared, as CareBot's connection does), on the same grammY runner and fake Bot API. No ORM, no
// XState, no templates, no query builder: what is left is the cost of CareBot's statements
// themselves, the upper bound its inbound path is measured against.
import { run, sequentialize } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import Sqlite from "better-sqlite3";
import { Bot } from "grammy";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";
import { chatTargetQueries } from "../../src/db/queries/chat-target.ts";
import type { PreparedQuery } from "../../src/db/kysely/index.ts";
import { conversationWrites } from "../../src/db/queries/conversation-writes.ts";
import { npsAnswerStatements } from "../../src/db/queries/nps-answers.ts";
import { summaryQuery } from "../../src/db/queries/bonus-summary.ts";
import { ReplyProbe } from "./probe.ts";
import { retryNetworkErrors } from "./retry-network.ts";
import type { SeededClinic } from "./seed.ts";

/** One connection's worth of statements, written with `?` placeholders for both databases. */
interface RawConnection {
  all(sql: string, params: unknown[]): Promise<any[]>;
  /** Runs `work` in one transaction. */
  transaction<T>(work: (c: RawConnection) => Promise<T>): Promise<T>;
  time(d: Date): unknown;
  json(sql: string): string;
  close(): Promise<void>;
}

function sqliteConnection(file: string): RawConnection {
  const db = new Sqlite(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // CareBot's connection settings (src/db/adapters.ts): its statements checked as CareBot's are.
  db.pragma("foreign_keys = ON");
  const prepared = new Map<string, Sqlite.Statement>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };
  let tail: Promise<unknown> = Promise.resolve();
  const conn: RawConnection = {
    all: async (sql, params) => {
      const s = statement(sql);
      return s.reader ? s.all(...params) : (s.run(...params), []);
    },
    // One connection, so one transaction at a time (as Prisma's SQLite adapter does): chained.
    transaction: (work) => {
      const result = tail.then(async () => {
        statement("BEGIN IMMEDIATE").run();
        try {
          const value = await work(conn);
          statement("COMMIT").run();
          return value;
        } catch (error) {
          statement("ROLLBACK").run();
          throw error;
        }
      });
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    time: (d) => d.toISOString().replace("Z", "+00:00"),
    json: (p) => p,
    close: async () => void db.close(),
  };
  return conn;
}

function postgresConnection(url: string): RawConnection {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  // A name per statement text: each connection parses and plans it once (as CareBot's do).
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `ceiling_${names.size + 1}`));
    return name;
  };
  const on = (client: pg.Pool | pg.PoolClient): RawConnection => ({
    all: async (sql, params) => {
      const text = numbered(sql);
      return (await client.query({ name: nameOf(text), text, values: params })).rows;
    },
    transaction: async (work) => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const result = await work(on(c));
        await c.query("COMMIT");
        return result;
      } catch (error) {
        await c.query("ROLLBACK");
        throw error;
      } finally {
        c.release();
      }
    },
    time: (d) => d,
    json: (p) => `CAST(${p} AS JSONB)`,
    close: () => pool.end(),
  });
  return on(pool);
}

export interface CeilingRig {
  probe: ReplyProbe;
  counter: { statements: number; transactions: number; reset(): void };
  startSurveys(chatIds: number[]): Promise<void>;
  stop(): Promise<void>;
}

const SKIP = { inline_keyboard: [[{ text: "Пропустить", callback_data: "skip" }]] };

export async function startCeilingRig(config: DatabaseConfig, seed: SeededClinic, bot: { token: string; apiRoot: string }): Promise<CeilingRig> {
  const conn = config.provider === "sqlite" ? sqliteConnection(config.file!) : postgresConnection(config.url);
  const counter = {
    statements: 0,
    transactions: 0,
    reset() {
      this.statements = 0;
      this.transactions = 0;
    },
  };
  const q = (c: RawConnection, sql: string, params: unknown[]) => {
    counter.statements++;
    return c.all(sql, params);
  };
  const clinicId = seed.clinicId;

  /** One of CareBot's own compiled statements, run with its values on the raw driver. */
  const carebotStatement = <O>(c: RawConnection, prepared: PreparedQuery<any, O>, params: object): Promise<O[]> => {
    const { compiled, bind } = prepared.compiledFor(config.provider);
    const values = bind(params as Record<string, unknown>).map((v) => (v instanceof Date ? conn.time(v) : v));
    counter.statements++;
    return c.all(compiled.sql, values) as Promise<O[]>;
  };
  const parsed = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);

  /**
   * The inbound step, with the statements CareBot sends for it (compiled from its own queries):
   * the chat touched and read with its clinic, patient and conversation, the transcript line, the
   * bonus facts, the NPS answer, then the reply's transcript line, outbox row and the snapshot
   * (one statement on PostgreSQL). What CareBot does around them (grammY's middleware, the flow
   * runtime, XState, templates, Kysely) is what the ceiling leaves out.
   */
  async function step(chatId: number, text: string, dedupeKey: string): Promise<{ messageId: number; reply: string; keyboard: boolean } | null> {
    counter.transactions++;
    return conn.transaction(async (c) => {
      const now = new Date();
      const key = { clinicId, channel: "telegram", externalChatId: String(chatId), now, locale: "ru" };
      let row: any;
      if (config.provider === "postgresql") {
        [row] = await carebotStatement(c, chatTargetQueries.touchAndReadQuery, key);
        if (!row) return null;
      } else {
        const [identity] = await carebotStatement(c, chatTargetQueries.touchQuery, key);
        if (!identity) return null;
        const [read] = await carebotStatement(c, chatTargetQueries.readQuery, { clinicId, patientId: identity.patientId, identityId: identity.id });
        row = { ...read, identityId: identity.id, identityPatientId: identity.patientId };
      }
      if (row.v_id === null || row.patientId === null) return null;
      const identityId: number = row.identityId;
      const patientId: number = row.patientId;
      const conversationId: number = row.v_id;
      await carebotStatement(c, chatTargetQueries.inboundLine, { clinicId, identityId, conversationId, text, payload: JSON.stringify({ type: "TEXT", text }), dedupeKey, now });
      await carebotStatement(c, summaryQuery, { patientId, soon: new Date(now.getTime() + 30 * 86_400_000) });
      const snapshot = parsed(row.v_snapshot);
      let reply: string;
      let done = false;
      if (snapshot.state === "score") {
        snapshot.state = "comment";
        snapshot.score = Number(text);
        reply = "Спасибо! Что вам понравилось больше всего? Напишите пару слов — или нажмите «Пропустить».";
      } else {
        // The flow's recordNps and the promoter's answer read back for the review links: CareBot's statements.
        await carebotStatement(c, npsAnswerStatements.withoutVisit, { clinicId, patientId, score: snapshot.score, category: "promoter", comment: text, now });
        await carebotStatement(c, npsAnswerStatements.latestOfPatient, { clinicId, patientId });
        snapshot.state = "promoter";
        reply = "Спасибо, нам очень приятно! А ещё вы можете пригласить друга — бонусы получите вы оба.";
        done = true;
      }
      const message = JSON.stringify({ text: reply, ...(done ? {} : { options: [{ value: "skip", label: "Пропустить" }] }) });
      const queued = { clinicId, identityId, conversationId, patientId, operatorId: null, text: reply, message, idempotencyKey: null, kind: "flow:nps", category: "reply", dueAt: now, now };
      const session = { conversationId, snapshot: JSON.stringify(snapshot), timerDueAt: null, timerEvent: null, now };
      const variant = done ? "closing" : "open";
      let messageId: number;
      if (config.provider === "postgresql") {
        const [written] = await carebotStatement(c, conversationWrites.messagesAndSessions[variant], { ...queued, ...session });
        messageId = Number(written!.messageId);
      } else {
        const [line] = await carebotStatement(c, conversationWrites.transcriptLine, queued);
        messageId = Number(line!.id);
        await carebotStatement(c, conversationWrites.outboxRow, { ...queued, idempotencyKey: `msg:${messageId}`, payload: `{"message":${message},"messageId":${messageId}}` });
        await carebotStatement(c, conversationWrites.sessionUpdates[variant], session);
      }
      return { messageId, reply, keyboard: !done };
    });
  }

  const grammy = new Bot(bot.token, { client: { apiRoot: bot.apiRoot } });
  const probe = new ReplyProbe();
  probe.attach(grammy);
  retryNetworkErrors(grammy.api);
  grammy.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  grammy.on("message:text", async (ctx) => {
    const done = await step(ctx.chat.id, ctx.message.text, `tg:${ctx.me.id}:m:${ctx.chat.id}:${ctx.message.message_id}`);
    if (!done) return;
    // The dispatcher's share: claim the row, send, mark it sent.
    const now = new Date();
    const [claimed] = await q(conn, `UPDATE "Outbox" SET "status" = 'sending', "leaseOwner" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1, "updatedAt" = ? WHERE "idempotencyKey" = ? AND "status" = 'pending' RETURNING "id"`, [
      "ceiling", conn.time(new Date(now.getTime() + 60_000)), conn.time(now), `msg:${done.messageId}`,
    ]);
    const sent = await ctx.api.sendMessage(ctx.chat.id, done.reply, done.keyboard ? { reply_markup: SKIP } : {});
    await q(conn, `UPDATE "Outbox" SET "status" = 'sent', "sentAt" = ?, "externalMessageId" = ?, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ?`, [
      conn.time(now), String(sent.message_id), conn.time(now), claimed.id,
    ]);
  });
  grammy.catch((err) => console.error("ceiling bot:", err.error));
  await grammy.init();
  await grammy.api.deleteWebhook();
  const handle: RunnerHandle = run(grammy, { runner: { fetch: { timeout: 1, allowed_updates: ["message", "callback_query"] }, silent: true } });

  return {
    probe,
    counter,
    // A survey waits in the score state; its question is not part of what is timed.
    startSurveys: async (chatIds) => {
      const now = new Date();
      await conn.transaction(async (c) => {
        for (const chatId of chatIds) {
          const identityId = seed.identities.get(chatId)!;
          await c.all(`UPDATE "Conversation" SET "status" = 'closed', "closedAt" = ?, "updatedAt" = ? WHERE "identityId" = ? AND "status" = 'bot'`, [conn.time(now), conn.time(now), identityId]);
          await c.all(
            `INSERT INTO "Conversation" ("clinicId", "identityId", "flowId", "flowVersion", "flowDefinition", "snapshot", "status", "startedAt", "updatedAt") VALUES (?, ?, 'nps', 1, ${conn.json("?")}, ${conn.json("?")}, 'bot', ?, ?)`,
            [clinicId, identityId, "{}", JSON.stringify({ state: "score" }), conn.time(now), conn.time(now)],
          );
        }
      });
    },
    stop: async () => {
      if (handle.isRunning()) await handle.stop();
      await conn.close();
    },
  };
}
