import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../src/db/client.ts";
import { rawExecuteOn } from "../../src/db/raw-sql.ts";
import { claimDue } from "../../src/outbox/claim.ts";
import { markSent } from "../../src/db/queries/mark-sent.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// SQLite has one connection under Prisma's adapter. A write made outside a transaction while
// another transaction is open on it used to join that transaction, and its rollback (every
// redelivered Telegram update rolls back on DuplicateUpdate) silently erased the write: the
// dispatcher's claim, its `sent` record, its retry bookkeeping. Such writes now wait for the
// connection's lock. On PostgreSQL they run on another connection of the pool anyway.
describe(`writes outside a transaction while another rolls back (on ${TEST_PROVIDER})`, () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let identityId: number;
  let n = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    const patient = await createPatient(t.db.prisma, clinicId);
    identityId = (await linkChat(t.db.prisma, clinicId, patient.id, "300")).id;
  });
  afterAll(() => t.dispose());

  const pendingRow = (status: "pending" | "sending" = "pending") =>
    t.db.prisma.outbox.create({
      data: { clinicId, idempotencyKey: `beside:${++n}`, identityId: null, kind: "flow:nps", category: "care", payload: { message: { text: "Как вы себя чувствуете?" } }, dueAt: new Date(Date.now() - 1000), status, attempts: 0 },
    });

  /** What a router transaction writes before it finds the update is a duplicate. */
  const inboundLine = (tx: Tx, key: string) => tx.message.create({ data: { clinicId, identityId, direction: "inbound", text: "меню", dedupeKey: key } });

  /**
   * Opens a transaction, runs `beside` while it is open, then rolls it back. `beside`'s writes
   * get a moment to run inside the open transaction, as they did before the fix; now they wait.
   */
  async function besideARollback(open: (work: (tx: Tx) => Promise<void>) => Promise<unknown>, beside: () => Promise<unknown>): Promise<void> {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let rollBack!: () => void;
    const gate = new Promise<void>((resolve) => (rollBack = resolve));
    const key = `tg:beside:${++n}`;
    const rolledBack = open(async (tx) => {
      await inboundLine(tx, key);
      entered();
      await gate;
      throw new Error("DuplicateUpdate");
    });
    await inside;
    const writes = beside();
    await Promise.race([writes.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 200))]);
    rollBack();
    await expect(rolledBack).rejects.toThrow("DuplicateUpdate");
    await writes;
    expect(await t.db.prisma.message.count({ where: { dedupeKey: key } })).toBe(0);
  }

  const viaDbTransaction = (work: (tx: Tx) => Promise<void>) => t.db.transaction(work);
  const viaPrismaTransaction = (work: (tx: Tx) => Promise<void>) => t.db.prisma.$transaction((tx) => work(tx as Tx));

  for (const [name, open] of [
    ["db.transaction", viaDbTransaction],
    ["Prisma's interactive transaction", viaPrismaTransaction],
  ] as const) {
    it(`keeps the dispatcher's claim, sent record and retry bookkeeping when ${name} rolls back`, async () => {
      const claimed = await pendingRow();
      const sent = await pendingRow("sending");
      const retried = await pendingRow("sending");
      // Not due, so the claim leaves it alone (on PostgreSQL the two run side by side).
      const raw = await pendingRow("sending");
      let claimedIds: number[] = [];
      await besideARollback(open, () =>
        Promise.all([
          claimDue(t.db, "dispatcher-1", new Date(), 60_000, 100).then((ids) => (claimedIds = ids)),
          markSent(t.db, [{ id: sent.id, sentAt: new Date(), sentVia: identityId, externalMessageId: "901" }]),
          t.db.prisma.outbox.update({ where: { id: retried.id }, data: { status: "pending", dueAt: new Date(Date.now() + 60_000), lastError: "429: retry later", attempts: { increment: 1 } } }),
          rawExecuteOn(t.db.prisma, t.db.provider, `UPDATE "Outbox" SET "lastError" = $1 WHERE "id" = $2`, ["raw note", raw.id]),
        ]),
      );
      expect(claimedIds).toContain(claimed.id);
      const rows = await t.db.prisma.outbox.findMany({ where: { id: { in: [claimed.id, sent.id, retried.id, raw.id] } }, orderBy: { id: "asc" } });
      expect(rows.map((r) => [r.status, r.leaseOwner, r.externalMessageId, r.lastError, r.attempts])).toEqual([
        ["sending", "dispatcher-1", null, null, 1],
        ["sent", null, "901", null, 0],
        ["pending", null, null, "429: retry later", 1],
        ["sending", null, null, "raw note", 0],
      ]);
    });
  }

  it("keeps a row a model call creates outside while db.transaction rolls back", async () => {
    const key = `beside:created:${++n}`;
    await besideARollback(viaDbTransaction, () =>
      t.db.prisma.outbox.create({ data: { clinicId, idempotencyKey: key, kind: "flow:nps", category: "care", payload: {}, dueAt: new Date(Date.now() + 3_600_000), status: "pending" } }),
    );
    expect(await t.db.prisma.outbox.count({ where: { idempotencyKey: key } })).toBe(1);
  });

  it("still lets raw SQL run inside Prisma's interactive transaction on the same client (no waiting on itself)", async () => {
    const row = await pendingRow();
    await t.db.prisma.$transaction(async (tx) => {
      await rawExecuteOn(tx as Tx, t.db.provider, `UPDATE "Outbox" SET "lastError" = $1 WHERE "id" = $2`, ["inside", row.id]);
    });
    expect((await t.db.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).lastError).toBe("inside");
  });
});
