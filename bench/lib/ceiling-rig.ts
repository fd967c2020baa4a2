// The ceiling: the database work CareBot does for one NPS answer, written by hand on the raw
// driver (better-sqlite3 prepared statements in one transaction; pg with BEGIN/COMMIT), on the
// same grammY runner and fake Bot API. No ORM, no XState, no templates: what is left is the
// cost of the statements themselves, the upper bound CareBot's inbound path is measured against.
import { run, sequentialize } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import Sqlite from "better-sqlite3";
import { Bot } from "grammy";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";
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
  const on = (client: pg.Pool | pg.PoolClient): RawConnection => ({
    all: async (sql, params) => (await client.query({ text: numbered(sql), values: params })).rows,
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

  /** The inbound step: who, which conversation, transcript, facts, answer, outbox, snapshot. */
  async function step(chatId: number, text: string, dedupeKey: string): Promise<{ outboxId: number; reply: string; keyboard: boolean } | null> {
    counter.transactions++;
    return conn.transaction(async (c) => {
      const now = new Date();
      const [identity] = await q(c, `UPDATE "ChannelIdentity" SET "lastInboundAt" = ?, "locale" = ? WHERE "clinicId" = ? AND "channel" = 'telegram' AND "externalChatId" = ? RETURNING "id", "patientId"`, [conn.time(now), "ru", clinicId, String(chatId)]);
      if (!identity) return null;
      const [who] = await q(
        c,
        `SELECT p."fullName", p."locale", p."timezone", p."optedOutAt", k."name", k."timezone" AS "clinicTimezone", k."settings", k."updatedAt" FROM "Patient" p JOIN "Clinic" k ON k."id" = p."clinicId" WHERE p."id" = ?`,
        [identity.patientId],
      );
      const [conversation] = await q(c, `SELECT "id", "flowId", "snapshot", "status" FROM "Conversation" WHERE "identityId" = ? AND "status" IN ('bot', 'operator') ORDER BY "id" DESC LIMIT 1`, [identity.id]);
      if (!conversation || !who) return null;
      await q(c, `INSERT INTO "Message" ("clinicId", "identityId", "conversationId", "direction", "text", "payload", "dedupeKey", "createdAt") VALUES (?, ?, ?, 'inbound', ?, ${conn.json("?")}, ?, ?)`, [
        clinicId, identity.id, conversation.id, text, JSON.stringify({ type: "TEXT", text }), dedupeKey, conn.time(now),
      ]);
      // The facts every step loads (the bonus summary): three reads, as CareBot's.
      await q(c, `SELECT "balance" FROM "BonusAccount" WHERE "patientId" = ?`, [identity.patientId]);
      await q(c, `SELECT SUM("remaining") AS "overdue" FROM "BonusEntry" WHERE "patientId" = ? AND "remaining" > 0 AND "expiresAt" <= ?`, [identity.patientId, conn.time(now)]);
      await q(c, `SELECT "remaining", "expiresAt" FROM "BonusEntry" WHERE "patientId" = ? AND "remaining" > 0 AND "expiresAt" > ? AND "expiresAt" <= ? ORDER BY "expiresAt"`, [
        identity.patientId, conn.time(now), conn.time(new Date(now.getTime() + 30 * 86_400_000)),
      ]);
      const snapshot = typeof conversation.snapshot === "string" ? JSON.parse(conversation.snapshot) : conversation.snapshot;
      let reply: string;
      let done = false;
      if (snapshot.state === "score") {
        snapshot.state = "comment";
        snapshot.score = Number(text);
        reply = "Спасибо! Что вам понравилось больше всего? Напишите пару слов — или нажмите «Пропустить».";
      } else {
        await q(c, `INSERT INTO "NpsResponse" ("clinicId", "patientId", "score", "category", "comment", "createdAt") VALUES (?, ?, ?, 'promoter', ?, ?)`, [clinicId, identity.patientId, snapshot.score, text, conn.time(now)]);
        snapshot.state = "promoter";
        reply = "Спасибо, нам очень приятно! А ещё вы можете пригласить друга — бонусы получите вы оба.";
        done = true;
      }
      const message = { text: reply };
      const [out] = await q(c, `INSERT INTO "Message" ("clinicId", "identityId", "conversationId", "direction", "text", "payload", "createdAt") VALUES (?, ?, ?, 'outbound', ?, ${conn.json("?")}, ?) RETURNING "id"`, [
        clinicId, identity.id, conversation.id, reply, JSON.stringify(message), conn.time(now),
      ]);
      const [row] = await q(
        c,
        `INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "patientId", "identityId", "conversationId", "kind", "category", "payload", "dueAt", "status", "attempts", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, 'flow:nps', 'reply', ${conn.json("?")}, ?, 'pending', 0, ?, ?) RETURNING "id"`,
        [clinicId, `msg:${out.id}`, identity.patientId, identity.id, conversation.id, JSON.stringify({ message, messageId: out.id }), conn.time(now), conn.time(now), conn.time(now)],
      );
      await q(c, `UPDATE "Conversation" SET "snapshot" = ${conn.json("?")}, "status" = ?, "closedAt" = ?, "updatedAt" = ? WHERE "id" = ?`, [
        JSON.stringify(snapshot), done ? "closed" : "bot", done ? conn.time(now) : null, conn.time(now), conversation.id,
      ]);
      return { outboxId: Number(row.id), reply, keyboard: !done };
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
    await q(conn, `UPDATE "Outbox" SET "status" = 'sending', "leaseOwner" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1, "updatedAt" = ? WHERE "id" = ? AND "status" = 'pending'`, [
      "ceiling", conn.time(new Date(now.getTime() + 60_000)), conn.time(now), done.outboxId,
    ]);
    const sent = await ctx.api.sendMessage(ctx.chat.id, done.reply, done.keyboard ? { reply_markup: SKIP } : {});
    await q(conn, `UPDATE "Outbox" SET "status" = 'sent', "sentAt" = ?, "externalMessageId" = ?, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ?`, [
      conn.time(now), String(sent.message_id), conn.time(now), done.outboxId,
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
