import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDirectPostgres } from "../../src/db/direct-postgres.ts";
import { isDatabaseError, isUniqueViolation } from "../../src/db/errors.ts";
import { rawQuery, rawQueryOn, runNative } from "../../src/db/raw-sql.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// On PostgreSQL the hot path's raw SQL runs on the driver adapter's connection, past Prisma
// (src/db/direct-postgres.ts). Callers cannot tell the difference: the same rows with the same JS
// types, the same errors, the same transaction.
describe.runIf(TEST_PROVIDER === "postgresql")("raw SQL on PostgreSQL's connection, past Prisma", () => {
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
  });
  afterAll(() => t.dispose());

  const QUERIES: [string, unknown[]][] = [
    [`SELECT * FROM "Clinic"`, []],
    [`SELECT * FROM "Patient"`, []],
    [`SELECT * FROM "ChannelIdentity" WHERE "externalChatId" = $1`, ["42"]],
    [`SELECT * FROM "Message" ORDER BY "id"`, []],
    [`SELECT COUNT(*) AS n, SUM("id") AS total, MAX("createdAt") AS newest, 1.5 AS half, NULL AS "empty", 'x' AS s, TRUE AS yes, CAST(2 AS INTEGER) AS two FROM "Message"`, []],
    [`SELECT m."id", m."payload", i."lastInboundAt" AS "seen", jsonb_build_object('id', m."id") AS obj FROM "Message" m JOIN "ChannelIdentity" i ON i."id" = m."identityId" WHERE m."createdAt" >= $1`, [new Date("2026-01-01T00:00:00Z")]],
    [`SELECT "id" FROM "Message" WHERE "id" = -1`, []],
    [`SELECT CAST($1 AS DATE) AS day, ARRAY[1, 2] AS ints, CAST($2 AS NUMERIC) AS money`, ["2026-03-04", "12.50"]],
    [`UPDATE "ChannelIdentity" SET "locale" = $1 WHERE "id" = $2 RETURNING "id", "locale", "lastInboundAt"`, ["ru", 1]],
  ];

  it("is on once Prisma has connected", async () => {
    await t.db.prisma.clinic.count();
    expect(runDirectPostgres(t.db.prisma, `SELECT 1 AS one`, [], "rows")).toBeDefined();
  });

  it.each(QUERIES)("returns what $queryRawUnsafe returns for %s", async (sql, args) => {
    const viaPrisma = await t.db.prisma.$queryRawUnsafe(sql, ...args);
    expect(await runDirectPostgres(t.db.prisma, sql, args, "rows")).toStrictEqual(viaPrisma);
    // Twice: the second run binds the statement prepared by the first.
    expect(await runDirectPostgres(t.db.prisma, sql, args, "rows")).toStrictEqual(viaPrisma);
  });

  it("binds times and JSON as Prisma does, so rows written either way read the same", async () => {
    const at = new Date("2026-11-22T11:00:00.123Z");
    const [row] = await rawQuery<{ id: number }[]>(
      t.db,
      `INSERT INTO "Message" ("clinicId", "identityId", "direction", "text", "payload", "createdAt") VALUES ($1, $2, 'outbound', $3, CAST($4 AS JSONB), $5) RETURNING "id"`,
      [clinicId, identityId, "ответ", JSON.stringify({ text: "ответ", options: [{ label: "Да" }] }), at],
    );
    const written = await t.db.prisma.message.findUniqueOrThrow({ where: { id: row!.id } });
    expect(written.payload).toStrictEqual({ text: "ответ", options: [{ label: "Да" }] });
    expect(written.createdAt.toISOString()).toBe(at.toISOString());
    const [read] = await rawQuery<{ createdAt: Date }[]>(t.db, `SELECT "createdAt" FROM "Message" WHERE "createdAt" = $1`, [at]);
    expect(read!.createdAt.toISOString()).toBe(at.toISOString());
  });

  it("reports a duplicate and a bad statement with the codes the rest of CareBot knows", async () => {
    const insert = `INSERT INTO "Message" ("clinicId", "identityId", "direction", "dedupeKey", "createdAt") VALUES ($1, $2, 'inbound', $3, $4)`;
    const viaPrisma = await t.db.prisma.$executeRawUnsafe(insert, clinicId, identityId, "tg:1", new Date()).catch((e: unknown) => e);
    const duplicate = await runNative(t.db.prisma, "postgresql", insert, [clinicId, identityId, "tg:1", new Date()], "count").catch((e: unknown) => e);
    expect(isUniqueViolation(viaPrisma, "dedupeKey")).toBe(true);
    expect(isUniqueViolation(duplicate, "dedupeKey")).toBe(true);
    expect((duplicate as { code: string }).code).toBe((viaPrisma as { code: string }).code);
    const broken = await rawQuery(t.db, `SELECT "nope" FROM "Message"`, []).catch((e: unknown) => e);
    expect(isDatabaseError(broken)).toBe(true);
    expect(String((broken as Error).message)).toContain(`column "nope" does not exist`);
  });

  it("runs db.transaction's statements in its transaction: a rollback undoes them, and its client refuses work once it ended", async () => {
    const before = await t.db.prisma.message.count();
    let kept: Parameters<Parameters<typeof t.db.transaction>[0]>[0] | undefined;
    await expect(
      t.db.transaction(async (tx) => {
        kept = tx;
        await runNative(tx, "postgresql", `INSERT INTO "Message" ("clinicId", "identityId", "direction", "createdAt") VALUES ($1, $2, 'inbound', $3)`, [clinicId, identityId, new Date()], "count");
        // Prisma sees the direct write inside the same transaction…
        expect(await tx.message.count()).toBe(before + 1);
        const [seen] = await rawQueryOn<{ n: bigint }[]>(tx, "postgresql", `SELECT COUNT(*) AS n FROM "Message"`, []);
        expect(seen!.n).toBe(BigInt(before + 1));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // …and it is gone with the rollback.
    expect(await t.db.prisma.message.count()).toBe(before);
    await expect(rawQueryOn(kept!, "postgresql", `SELECT 1 AS one`, [])).rejects.toThrow(/after the transaction ended/);
  });

  it("leaves Prisma's own interactive transactions to Prisma", async () => {
    await t.db.prisma.$transaction(async (tx) => {
      expect(runDirectPostgres(tx, `SELECT 1 AS one`, [], "rows")).toBeUndefined();
    });
  });
});
