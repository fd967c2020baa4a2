import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { concat, earlierOf, enumValue, int, json, jsonTextElementIn, text, time, toNumber, typedSql, typedSqlOn } from "../../src/db/kysely/index.ts";
import { createMigratedDatabase } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// The typed SQL layer (src/db/kysely) on the real database: Kysely writes the SQL, CareBot's own
// connection path runs it, and the rows come back with the types the generated tables promise.
describe("typed SQL (Kysely on CareBot's connections)", () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let identityId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await t.db.prisma.clinic.create({ data: { slug: "c", name: "Клиника", timezone: "Europe/Moscow", locale: "ru", settings: { bonus: { accrualPercent: 5 } } } });
    clinicId = clinic.id;
    const identity = await t.db.prisma.channelIdentity.create({ data: { clinicId, channel: "telegram", externalChatId: "42", lastInboundAt: new Date("2026-11-22T10:00:00Z") } });
    identityId = identity.id;
  });
  afterAll(() => t.dispose());

  it("reads times as Dates, JSON parsed and enums as their names, as the generated types say", async () => {
    const q = typedSql(t.db);
    const clinic = await q.selectFrom("Clinic").select(["id", "settings", "updatedAt"]).where("id", "=", clinicId).executeTakeFirstOrThrow();
    expect(clinic.settings).toStrictEqual({ bonus: { accrualPercent: 5 } });
    expect(clinic.updatedAt).toBeInstanceOf(Date);
    const identity = await q.selectFrom("ChannelIdentity").select(["channel", "lastInboundAt"]).where("id", "=", identityId).executeTakeFirstOrThrow();
    expect(identity).toStrictEqual({ channel: "telegram", lastInboundAt: new Date("2026-11-22T10:00:00Z") });
  });

  it("writes what Prisma reads back the same: a time, a JSON document, an enum, a boolean", async () => {
    const q = typedSql(t.db);
    const at = new Date("2026-11-22T11:00:00Z");
    const row = await q
      .insertInto("Message")
      .values({ clinicId, identityId, direction: enumValue(q.provider, "MessageDirection", "outbound"), text: "ответ", payload: json(q.provider, { text: "ответ", options: [{ label: "Да" }] }), createdAt: at })
      .returning(["id", "createdAt"])
      .executeTakeFirstOrThrow();
    expect(row.createdAt).toStrictEqual(at);
    const written = await t.db.prisma.message.findUniqueOrThrow({ where: { id: row.id } });
    expect(written.payload).toStrictEqual({ text: "ответ", options: [{ label: "Да" }] });
    expect(written.createdAt.toISOString()).toBe("2026-11-22T11:00:00.000Z");
    expect(written.direction).toBe("outbound");

    await q.updateTable("ChannelIdentity").set({ unreachableAt: at }).where("id", "=", identityId).execute();
    const later = await q.selectFrom("ChannelIdentity").select("id").where("unreachableAt", ">=", at).where("channel", "=", "telegram").execute();
    expect(later).toStrictEqual([{ id: identityId }]);
  });

  it("reports how many rows an UPDATE changed", async () => {
    const q = typedSql(t.db);
    const result = await q.updateTable("ChannelIdentity").set({ locale: "ru" }).where("clinicId", "=", clinicId).executeTakeFirstOrThrow();
    expect(result.numUpdatedRows).toBe(1n);
    const none = await q.updateTable("ChannelIdentity").set({ locale: "ru" }).where("clinicId", "=", -1).executeTakeFirstOrThrow();
    expect(none.numUpdatedRows).toBe(0n);
  });

  it("types a value PostgreSQL cannot infer in a SELECT list the same on both databases", async () => {
    const q = typedSql(t.db);
    const at = new Date("2099-12-01T09:30:00Z");
    const row = await q
      .selectFrom("Clinic")
      .select([text("привет").as("greeting"), int(q.provider, 7).as("seven"), enumValue(q.provider, "Channel", "whatsapp").as("channel")])
      .select(sql<number>`CASE WHEN ${time(q.provider, at)} > "updatedAt" THEN 1 ELSE 0 END`.as("later"))
      .where("id", "=", clinicId)
      .executeTakeFirstOrThrow();
    expect({ ...row, seven: toNumber(row.seven), later: toNumber(row.later) }).toStrictEqual({ greeting: "привет", seven: 7, channel: "whatsapp", later: 1 });
  });

  it("leaves a literal that looks like a placeholder alone", async () => {
    const q = typedSql(t.db);
    const row = await q
      .selectFrom("Clinic")
      .select(sql<string>`'costs $1 or ?'`.as("literal"))
      .select("name")
      .where("id", "=", clinicId)
      .executeTakeFirstOrThrow();
    expect(row).toStrictEqual({ literal: "costs $1 or ?", name: "Клиника" });
  });

  it("runs inside db.transaction's tx: its writes are undone with the transaction", async () => {
    const failed = await t.db
      .transaction(async (tx) => {
        await typedSqlOn(tx, t.db.provider).updateTable("Clinic").set({ name: "Другая" }).where("id", "=", clinicId).execute();
        const inside = await typedSqlOn(tx, t.db.provider).selectFrom("Clinic").select("name").where("id", "=", clinicId).executeTakeFirstOrThrow();
        expect(inside.name).toBe("Другая");
        throw new Error("undo");
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    const after = await typedSql(t.db).selectFrom("Clinic").select("name").where("id", "=", clinicId).executeTakeFirstOrThrow();
    expect(after.name).toBe("Клиника");
  });

  it("refuses Kysely's own transactions: db.transaction is the one way", async () => {
    const attempt = await typedSql(t.db)
      .transaction()
      .execute(async () => 1)
      .catch((e: unknown) => e);
    expect(String(attempt)).toContain("db.transaction");
  });

  it("shows every statement to onStatement (tests and benchmarks count them)", async () => {
    const seen: string[] = [];
    await typedSqlOn(t.db.prisma, t.db.provider, (s) => seen.push(s)).selectFrom("Clinic").select("id").execute();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^select "id" from "Clinic"/);
  });
  it("writes a key from text and numbers as both databases read it: `1`, not `1.0`, and + before ||", async () => {
    const q = typedSql(t.db);
    const row = await q
      .selectFrom("Clinic as c")
      .select((eb) => concat(text("followup:"), eb.ref("c.id"), text(":"), eb(eb.lit<number>(0), "+", eb.lit<number>(1))).as("key"))
      .where("c.id", "=", clinicId)
      .executeTakeFirstOrThrow();
    expect(row.key).toBe(`followup:${clinicId}:1`);
  });

  it("picks the earlier of two times, and finds a text element of a JSON array, the same on both databases", async () => {
    const q = typedSql(t.db);
    const patient = await t.db.prisma.patient.create({ data: { clinicId, externalId: "mis-1", referralCode: "ANNA1", fullName: "Анна", tags: ["vip", "implant"] } });
    const early = new Date("2026-11-20T10:00:00Z");
    const row = await q
      .selectFrom("Patient as p")
      .select((eb) => [
        earlierOf(q.provider, eb.ref("p.createdAt"), time(q.provider, early)).as("earlier"),
        jsonTextElementIn(q.provider, eb.ref("p.tags"), ["implant", "kids"]).as("tagged"),
        jsonTextElementIn(q.provider, eb.ref("p.tags"), ["kids"]).as("untagged"),
      ])
      .where("p.id", "=", patient.id)
      .executeTakeFirstOrThrow();
    expect(new Date(row.earlier as unknown as string).toISOString()).toBe(early.toISOString());
    expect([Boolean(row.tagged), Boolean(row.untagged)]).toEqual([true, false]);
  });
});
