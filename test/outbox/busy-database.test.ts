// Two CareBot processes on one database: the other one's transaction may hold what the dispatcher
// is writing. A message the messenger accepted must still be recorded "sent" once the database is
// free (else its lease ends and it goes out again), and one row's failed write must not end the
// pass for the rest of its batch. The other process is a second real connection here: a raw
// better-sqlite3 one holding SQLite's write lock, or a pg client in a deadlock with the dispatcher.
import Sqlite from "better-sqlite3";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isDatabaseBusy } from "../../src/db/errors.ts";
import { createLogger } from "../../src/logger.ts";
import type { ChannelSender, SendResult } from "../../src/outbox/channel-sender.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const LEASE_MS = 60_000;

interface LogLine {
  level: number;
  msg: string;
  outboxId?: number;
}

describe(`dispatcher while another connection holds the database, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let chat = 0;
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  let lines: LogLine[] = [];
  /** Called with each log line as it is written (a test reacts to the dispatcher's own account). */
  let onLine: (line: LogLine) => void = () => {};
  const logger = createLogger({
    level: "warn",
    pretty: false,
    destination: {
      write(text: string) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        onLine(line);
      },
    },
  });
  /** Chats each send went to, in order; what the messenger answers is up to each test. */
  let sends: string[] = [];
  let answer: (chatId: string) => Promise<SendResult> = async () => ({ ok: true });
  const sender: ChannelSender = {
    channel: "telegram",
    send: (chatId) => {
      sends.push(chatId);
      return answer(chatId);
    },
  };
  const dispatcher = () => new Dispatcher({ db: t.db, clock, logger, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } }, leaseMs: LEASE_MS });

  /** A reply due now in a chat of its own. */
  const queueReply = async () => {
    const patient = await createPatient(t.db.prisma, clinicId);
    const identity = await linkChat(t.db.prisma, clinicId, patient.id, `busy-${++chat}`);
    const row = await t.db.prisma.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: identity.id, idempotencyKey: `busy:${chat}`, kind: "message", category: "reply", payload: { message: { text: "Ваша запись подтверждена" } }, dueAt: clock.now() },
    });
    return { id: row.id, chatId: identity.externalChatId };
  };
  const statusOf = async (id: number) => (await t.db.prisma.outbox.findUniqueOrThrow({ where: { id } })).status;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    // SQLite: a short busy timeout on CareBot's one connection (5 s by default), so a write under
    // the other connection's lock fails soon; better-sqlite3 blocks the process while it waits.
    if (TEST_PROVIDER === "sqlite") await t.db.prisma.$queryRawUnsafe("PRAGMA busy_timeout = 100");
  });
  beforeEach(() => {
    lines = [];
    onLine = () => {};
    sends = [];
    answer = async () => ({ ok: true });
  });
  afterAll(() => t.dispose());

  describe.runIf(TEST_PROVIDER === "sqlite")("SQLite's write lock held by another connection", () => {
    let holder: Sqlite.Database;
    beforeAll(() => {
      holder = new Sqlite(t.config.url.replace(/^file:/, ""));
    });
    afterAll(() => holder.close());
    const lock = () => holder.exec("BEGIN IMMEDIATE");
    const release = () => {
      if (holder.inTransaction) holder.exec("COMMIT");
    };

    it("records 'sent' once the lock is released, and the message goes out once", async () => {
      const row = await queueReply();
      // The other process takes the lock while the messenger has the message, and lets go once
      // the dispatcher has found it busy.
      answer = async () => {
        lock();
        return { ok: true, externalMessageId: "m-1" };
      };
      onLine = (line) => {
        if (/retrying the record/.test(line.msg)) release();
      };
      try {
        expect(await dispatcher().drain()).toMatchObject({ claimed: 1, sent: 1 });
      } finally {
        release();
      }
      expect(lines.some((l) => /retrying the record/.test(l.msg) && l.outboxId === row.id)).toBe(true);
      expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", externalMessageId: "m-1", leaseUntil: null });
      // Past the lease nothing is claimed again.
      clock.advance(LEASE_MS + 1);
      expect((await dispatcher().drain()).claimed).toBe(0);
      expect(sends).toEqual([row.chatId]);
    });

    it("a row whose write fails under the lock waits out its lease; the rest of its batch is sent and recorded", async () => {
      const sent = await queueReply();
      const failing = await queueReply();
      // The messenger takes one message and answers 500 to the other, whose retry cannot be written.
      answer = async (chatId) => {
        if (!holder.inTransaction) lock();
        return chatId === failing.chatId ? { ok: false, reason: "server", permanent: false, error: "500: Internal Server Error" } : { ok: true, externalMessageId: "m-2" };
      };
      onLine = (line) => {
        if (/delivering an outbox row failed/.test(line.msg)) release();
      };
      try {
        expect(await dispatcher().runOnce()).toMatchObject({ claimed: 2, sent: 1, retried: 0, settled: false });
      } finally {
        release();
      }
      expect(lines.filter((l) => /delivering an outbox row failed/.test(l.msg)).map((l) => l.outboxId)).toEqual([failing.id]);
      expect(await statusOf(sent.id)).toBe("sent");
      // Whether the failed write happened is not known: the row stays claimed until its lease ends.
      expect(await statusOf(failing.id)).toBe("sending");
      expect((await dispatcher().drain()).claimed).toBe(0);
      answer = async () => ({ ok: true });
      clock.advance(LEASE_MS + 1);
      expect(await dispatcher().drain()).toMatchObject({ claimed: 1, sent: 1 });
      expect(await statusOf(failing.id)).toBe("sent");
      expect(sends.filter((c) => c === sent.chatId)).toHaveLength(1);
      expect(sends.filter((c) => c === failing.chatId)).toHaveLength(2);
    });
  });

  describe.runIf(TEST_PROVIDER === "postgresql")("PostgreSQL: the record of 'sent' in a deadlock with another transaction", () => {
    let other: pg.Client;
    beforeAll(async () => {
      other = new pg.Client({ connectionString: t.config.url });
      await other.connect();
    });
    afterAll(() => other.end());

    /** Until the dispatcher's statement waits for a row lock the other transaction holds. */
    const untilWaitingForLock = async () => {
      for (let i = 0; i < 1000; i++) {
        const { rows } = await other.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        if (rows[0]!.n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("the dispatcher's record never waited for the other transaction's lock");
    };

    it("records 'sent' for both rows after PostgreSQL aborts it as the deadlock's victim, and each message goes out once", async () => {
      const first = await queueReply();
      const second = await queueReply();
      // Both messages are answered in one turn, so one UPDATE records both (src/outbox/sent-log.ts),
      // locking the first row and then waiting for the second, which the other transaction holds.
      let answered!: () => void;
      const both = new Promise<void>((resolve) => (answered = resolve));
      answer = async () => {
        if (sends.length === 2) {
          await other.query("BEGIN");
          // The dispatcher's statement checks first (1 s), so PostgreSQL picks it as the victim.
          await other.query("SET LOCAL deadlock_timeout = '60s'");
          await other.query('SELECT id FROM "Outbox" WHERE id = $1 FOR UPDATE', [second.id]);
          answered();
        }
        await both;
        return { ok: true, externalMessageId: "m-3" };
      };
      const drained = dispatcher().drain();
      try {
        await untilWaitingForLock();
        // The other transaction now wants the first row: a cycle, 40P01 for the dispatcher's UPDATE.
        await other.query('UPDATE "Outbox" SET "lastError" = "lastError" WHERE id = $1', [first.id]);
      } finally {
        await other.query("ROLLBACK");
      }
      expect(await drained).toMatchObject({ claimed: 2, sent: 2 });
      expect(lines.some((l) => /retrying the record/.test(l.msg))).toBe(true);
      expect([await statusOf(first.id), await statusOf(second.id)]).toEqual(["sent", "sent"]);
      clock.advance(LEASE_MS + 1);
      expect((await dispatcher().drain()).claimed).toBe(0);
      expect(sends.sort()).toEqual([first.chatId, second.chatId].sort());
    });
  });
});

// The shapes seen above and on the other paths to the database, as each layer wraps them.
describe("isDatabaseBusy", () => {
  const adapterError = (cause: Record<string, unknown>) => new DriverAdapterError(cause as never);
  it.each([
    ["SQLite on the direct path", { name: "DirectSqliteError", code: "SQLITE_BUSY", message: "database is locked" }],
    ["SQLite's extended code", { code: "SQLITE_BUSY_SNAPSHOT", message: "database is locked" }],
    ["SQLite under a model call (P1008, the driver's code in meta)", { code: "P1008", meta: { driverAdapterError: adapterError({ kind: "SocketTimeout", originalCode: "SQLITE_BUSY", originalMessage: "database is locked" }) } }],
    ["a PostgreSQL deadlock on the direct path", { name: "DirectPostgresError", code: "P2010", cause: adapterError({ kind: "TransactionWriteConflict", originalCode: "40P01", originalMessage: "deadlock detected" }) }],
    ["a PostgreSQL serialization failure under a model call", { code: "P2034", message: "Transaction failed due to a write conflict or a deadlock. Please retry your transaction" }],
  ])("takes %s for a busy database", (_label, error) => {
    expect(isDatabaseBusy(error)).toBe(true);
  });

  it.each([
    ["a PostgreSQL statement timeout (P1008 without SQLite's code)", { code: "P1008", meta: { driverAdapterError: adapterError({ kind: "SocketTimeout" }) } }],
    ["a unique violation", { code: "P2002", meta: { target: ["idempotencyKey"] } }],
    ["a dropped connection", new Error("Connection terminated unexpectedly")],
  ])("does not take %s for one", (_label, error) => {
    expect(isDatabaseBusy(error)).toBe(false);
  });
});
