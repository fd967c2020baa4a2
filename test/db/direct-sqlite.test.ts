import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directSqliteOf } from "../../src/db/direct-sqlite.ts";
import { isDatabaseError, isUniqueViolation } from "../../src/db/errors.ts";
import { rawQuery } from "../../src/db/raw-sql.ts";
import { SqlStatement, sqlRunner } from "../../src/db/sql-statement.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// The hot path's raw SQL runs past Prisma on SQLite (src/db/direct-sqlite.ts). Callers cannot
// tell the difference: the same rows with the same JS types, the same errors, the same transaction.
describe.runIf(TEST_PROVIDER === "sqlite")("raw SQL on SQLite's connection, past Prisma", () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let identityId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await t.db.prisma.clinic.create({ data: { slug: "c", name: "Клиника", timezone: "Europe/Moscow", locale: "ru", settings: { bonus: { accrualPercent: 5 } } } });
    clinicId = clinic.id;
    const patient = await t.db.prisma.patient.create({ data: { clinicId, externalId: "p1", referralCode: "ANNA-1", fullName: "Анна Петрова", phone: "+79990000001", birthDate: "1990-03-04", tags: ["vip"] } });
    const identity = await t.db.prisma.channelIdentity.create({ data: { clinicId, channel: "telegram", externalChatId: "42", patientId: patient.id, lastInboundAt: new Date("2026-11-22T10:00:00Z") } });
    identityId = identity.id;
    await t.db.prisma.message.create({ data: { clinicId, identityId, direction: "inbound", text: "привет", payload: { type: "TEXT", text: "привет" }, dedupeKey: "tg:1", createdAt: new Date("2026-11-22T10:00:00Z") } });
    await t.db.prisma.message.create({ data: { clinicId, identityId, direction: "outbound", text: null, payload: undefined } });
    const consent = { clinicId, patientId: patient.id, at: new Date("2026-11-22T10:00:00Z"), source: "chat" as const, textVersion: "v1" };
    await t.db.prisma.consent.createMany({ data: [{ ...consent, kind: "care_messages", granted: true }, { ...consent, kind: "advertising", granted: false }] });
  });
  afterAll(() => t.dispose());

  it("is on once Prisma has connected (an adapter upgrade that hides the connection would turn it off)", () => {
    expect(directSqliteOf(t.db.prisma)).toBeDefined();
  });

  const QUERIES: [string, unknown[]][] = [
    [`SELECT * FROM "Clinic"`, []],
    [`SELECT * FROM "Patient"`, []],
    [`SELECT * FROM "ChannelIdentity" WHERE "externalChatId" = ?`, ["42"]],
    [`SELECT * FROM "Message" ORDER BY "id"`, []],
    [`SELECT COUNT(*) AS n, SUM("id") AS total, MAX("createdAt") AS newest, 1.5 AS half, NULL AS "empty", 'x' AS s FROM "Message"`, []],
    [`SELECT m."id", m."payload", i."lastInboundAt" AS "seen", json_object('id', m."id") AS obj FROM "Message" m JOIN "ChannelIdentity" i ON i."id" = m."identityId" WHERE m."createdAt" >= ?`, [new Date("2026-01-01T00:00:00Z")]],
    [`SELECT "id" FROM "Message" WHERE "id" = -1`, []],
    [`SELECT "granted", "at", "kind", "granted" = ? AS "same", CAST("id" AS REAL) AS "real" FROM "Consent" ORDER BY "id"`, [true]],
    [`UPDATE "ChannelIdentity" SET "locale" = ? WHERE "id" = ? RETURNING "id", "locale", "lastInboundAt"`, ["ru", 1]],
  ];

  it.each(QUERIES)("returns what $queryRawUnsafe returns for %s", async (sql, args) => {
    const direct = directSqliteOf(t.db.prisma)!;
    const viaPrisma = await t.db.prisma.$queryRawUnsafe(sql, ...args);
    expect(direct.query(sql, args)).toStrictEqual(viaPrisma);
  });

  it("binds times, booleans and JSON as Prisma does, so rows written either way read the same", async () => {
    const s = new SqlStatement("sqlite");
    const sql = `INSERT INTO "Message" ("clinicId", "identityId", "direction", "text", "payload", "createdAt") VALUES (${s.value(clinicId)}, ${s.value(identityId)}, 'outbound', ${s.value("ответ")}, ${s.json({ text: "ответ", options: [{ label: "Да" }] })}, ${s.time(new Date("2026-11-22T11:00:00Z"))}) RETURNING "id"`;
    const [row] = await s.run<{ id: number }[]>(t.db, sql);
    const written = await t.db.prisma.message.findUniqueOrThrow({ where: { id: row!.id } });
    expect(written.payload).toStrictEqual({ text: "ответ", options: [{ label: "Да" }] });
    expect(written.createdAt.toISOString()).toBe("2026-11-22T11:00:00.000Z");
  });

  it("reports a duplicate and a bad statement with the codes the rest of CareBot knows", async () => {
    const insert = `INSERT INTO "Message" ("clinicId", "identityId", "direction", "dedupeKey", "createdAt") VALUES ($1, $2, 'inbound', $3, $4)`;
    const duplicate = await rawQuery(t.db, insert, [clinicId, identityId, "tg:1", new Date()]).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate, "dedupeKey")).toBe(true);
    const broken = await rawQuery(t.db, `SELECT "nope" FROM "Message"`, []).catch((e: unknown) => e);
    expect(isDatabaseError(broken)).toBe(true);
    expect(String((broken as Error).message)).toContain("no such column");
  });

  it("takes part in Prisma's interactive transaction: a rollback undoes its writes", async () => {
    const before = await t.db.prisma.message.count();
    await expect(
      t.db.prisma.$transaction(async (tx) => {
        const sql = sqlRunner(tx, "sqlite");
        await sql.execute(`INSERT INTO "Message" ("clinicId", "identityId", "direction", "createdAt") VALUES ($1, $2, 'inbound', $3)`, [clinicId, identityId, new Date()]);
        // Prisma sees the direct write inside the same transaction…
        expect(await tx.message.count()).toBe(before + 1);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // …and it is gone with the rollback.
    expect(await t.db.prisma.message.count()).toBe(before);
  });

  it("keeps prepared statements between calls and counts every statement it runs", async () => {
    const direct = directSqliteOf(t.db.prisma)!;
    const seen: string[] = [];
    direct.onStatement = (sql) => seen.push(sql);
    try {
      for (let i = 0; i < 3; i++) await rawQuery(t.db, `SELECT "id" FROM "Clinic" WHERE "id" = $1`, [clinicId]);
    } finally {
      direct.onStatement = undefined;
    }
    expect(seen).toEqual(Array(3).fill(`SELECT "id" FROM "Clinic" WHERE "id" = ?`));
  });

  it("steps aside when the client is closed, and Prisma reconnects as before", async () => {
    await t.db.prisma.$disconnect();
    expect(directSqliteOf(t.db.prisma)).toBeUndefined();
    const rows = await rawQuery<{ id: number }[]>(t.db, `SELECT "id" FROM "Clinic"`, []);
    expect(rows).toEqual([{ id: clinicId }]);
    expect(directSqliteOf(t.db.prisma)).toBeDefined();
  });
});
