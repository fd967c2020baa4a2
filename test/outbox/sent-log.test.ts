import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directSqliteOf } from "../../src/db/direct-sqlite.ts";
import { SentLog } from "../../src/outbox/sent-log.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

describe(`recording sent rows together (on ${TEST_PROVIDER})`, () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let identityId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    const patient = await createPatient(t.db.prisma, clinicId);
    identityId = (await linkChat(t.db.prisma, clinicId, patient.id, "100")).id;
  });
  afterAll(() => t.dispose());

  const claimedRow = (key: string) =>
    t.db.prisma.outbox.create({
      data: { clinicId, idempotencyKey: key, identityId, kind: "flow:nps", category: "reply", payload: { message: { text: "Спасибо!" } }, dueAt: new Date(), status: "sending", leaseOwner: "me", leaseUntil: new Date(Date.now() + 60_000), lastError: "earlier try" },
    });

  it("writes each row's own time, chat and message id, leaves other rows alone, in one statement", async () => {
    const a = await claimedRow("sent-log:a");
    const b = await claimedRow("sent-log:b");
    const c = await claimedRow("sent-log:c");
    const untouched = await claimedRow("sent-log:d");
    const log = new SentLog(t.db);
    const statements: string[] = [];
    const direct = directSqliteOf(t.db.prisma);
    if (direct) direct.onStatement = (sql) => statements.push(sql);
    try {
      await Promise.all([
        log.record({ id: a.id, sentAt: new Date("2026-11-22T10:00:01Z"), sentVia: identityId, externalMessageId: "501" }),
        log.record({ id: b.id, sentAt: new Date("2026-11-22T10:00:02Z"), sentVia: null, externalMessageId: null }),
        log.record({ id: c.id, sentAt: new Date("2026-11-22T10:00:03Z"), sentVia: identityId, externalMessageId: "503" }),
      ]);
    } finally {
      if (direct) direct.onStatement = undefined;
    }
    if (direct) expect(statements).toHaveLength(1);

    const rows = await t.db.prisma.outbox.findMany({ where: { id: { in: [a.id, b.id, c.id, untouched.id] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.sentAt?.toISOString() ?? null, r.sentVia, r.externalMessageId, r.leaseUntil, r.lastError, r.leaseOwner])).toEqual([
      ["sent", "2026-11-22T10:00:01.000Z", identityId, "501", null, null, "me"],
      ["sent", "2026-11-22T10:00:02.000Z", null, null, null, null, "me"],
      ["sent", "2026-11-22T10:00:03.000Z", identityId, "503", null, null, "me"],
      ["sending", null, null, null, untouched.leaseUntil, "earlier try", "me"],
    ]);
    expect(rows[0]!.updatedAt.toISOString()).toBe("2026-11-22T10:00:01.000Z");
  });

  it("records rows that arrive later in a later statement, and many rows in several", async () => {
    const rows = await Promise.all(Array.from({ length: 120 }, (_, i) => claimedRow(`sent-log:many:${i}`)));
    const log = new SentLog(t.db);
    await Promise.all(rows.map((r, i) => log.record({ id: r.id, sentAt: new Date(), sentVia: identityId, externalMessageId: String(1000 + i) })));
    await log.record({ id: (await claimedRow("sent-log:late")).id, sentAt: new Date(), sentVia: identityId, externalMessageId: "late" });
    expect(await t.db.prisma.outbox.count({ where: { idempotencyKey: { startsWith: "sent-log:many:" }, status: "sent" } })).toBe(120);
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: "sent-log:late" } })).toMatchObject({ status: "sent", externalMessageId: "late" });
  });

  it("hands the database's failure to every waiting caller, who may try again", async () => {
    const row = await claimedRow("sent-log:fails");
    // A client whose raw writes fail; it hides SQLite's direct path too, so every write goes through it.
    const failing = new Proxy(t.db.prisma, {
      get: (target, prop) =>
        prop === "$executeRawUnsafe" ? () => Promise.reject(new Error("database away")) : prop === Symbol.for("carebot.direct-sqlite") ? undefined : Reflect.get(target, prop),
    });
    const broken = new SentLog({ ...t.db, prisma: failing });
    const log = new SentLog(t.db);
    const results = await Promise.allSettled([broken.record({ id: row.id, sentAt: new Date(), sentVia: null, externalMessageId: "1" }), broken.record({ id: row.id, sentAt: new Date(), sentVia: null, externalMessageId: "1" })]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    await log.record({ id: row.id, sentAt: new Date(), sentVia: null, externalMessageId: "1" });
    expect((await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
  });
});
