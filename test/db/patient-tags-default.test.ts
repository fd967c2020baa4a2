// Patient.tags is JSON the app reads back (Prisma parses it, segments run json_each over it), so a
// row written past Prisma without tags must still get valid JSON: the column's default, '[]'.
// SQLite's first migration had the bare `DEFAULT []`, which SQLite stores as ''; the
// patient_tags_default migration rebuilt the table with '[]' and repaired the rows it found.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";
import { readMigrationsList } from "../../src/db/migrate/migrations-list.ts";
import { migrationsDir } from "../../src/db/schema-source.ts";
import { createEmptyDatabase, createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase, TestDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { migrationsHash } from "../support/template-database.ts";

const REPAIR = "20261204185016_patient_tags_default";

/** A patient inserted as an import or a DBA would: raw SQL, no tags. Returns its id. */
async function insertWithoutTags(db: Db, clinicId: number, externalId: string, tags?: string): Promise<number> {
  const columns = `"clinicId", "externalId", "fullName", "referralCode", "updatedAt"${tags === undefined ? "" : `, "tags"`}`;
  const values = `${clinicId}, '${externalId}', 'Сидорова Мария', 'R-${externalId}', CURRENT_TIMESTAMP${tags === undefined ? "" : `, '${tags}'`}`;
  await db.$executeRawUnsafe(`INSERT INTO "Patient" (${columns}) VALUES (${values})`);
  return (await db.patient.findFirstOrThrow({ where: { clinicId, externalId }, select: { id: true } })).id;
}

/** The tags as stored, and how many elements the database's own JSON functions find in them. */
async function storedTags(db: Db, id: number): Promise<{ text: string; elements: number }> {
  const [row] = await db.$queryRawUnsafe<{ text: string; elements: number | bigint }[]>(
    TEST_PROVIDER === "sqlite"
      ? `SELECT CAST("tags" AS TEXT) AS text, (SELECT count(*) FROM json_each("tags")) AS elements FROM "Patient" WHERE "id" = ${id}`
      : `SELECT "tags"::text AS text, jsonb_array_length("tags") AS elements FROM "Patient" WHERE "id" = ${id}`,
  );
  return { text: row!.text, elements: Number(row!.elements) };
}

describe(`a patient inserted without tags on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  it("gets the empty JSON array, which Prisma and the database's JSON functions both read", async () => {
    const clinic = await createClinic(t.db.prisma);
    const id = await insertWithoutTags(t.db.prisma, clinic.id, "RAW-1");
    expect(await storedTags(t.db.prisma, id)).toEqual({ text: "[]", elements: 0 });
    expect((await t.db.prisma.patient.findUniqueOrThrow({ where: { id } })).tags).toEqual([]);
  });
});

describe.runIf(TEST_PROVIDER === "sqlite")("SQLite's JSON column defaults", () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  // Prisma writes a Json default unquoted on SQLite (prisma/orm#26571): a migration it generates
  // that rebuilds such a table brings the bare default back. This catches it on any table.
  it("are all quoted JSON literals", async () => {
    const columns = await t.db.prisma.$queryRawUnsafe<{ tbl: string; name: string; dflt: string }[]>(
      `SELECT m."name" AS tbl, c."name" AS name, c."dflt_value" AS dflt
         FROM sqlite_master m, pragma_table_info(m."name") c
        WHERE m."type" = 'table' AND upper(c."type") IN ('JSON', 'JSONB') AND c."dflt_value" IS NOT NULL`,
    );
    expect(columns.map((c) => `${c.tbl}.${c.name}`)).toContain("Patient.tags");
    for (const c of columns) {
      const literal = /^'((?:[^']|'')*)'$/.exec(c.dflt)?.[1]?.replaceAll("''", "'");
      expect({ column: `${c.tbl}.${c.name}`, valid: literal !== undefined && isJson(literal) }).toEqual({ column: `${c.tbl}.${c.name}`, valid: true });
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(TEST_PROVIDER === "sqlite")(`the ${REPAIR} migration on a database made before it`, () => {
  let target: TestDatabase;
  let file: string;
  const ids = { bare: 0, tagged: 0, garbage: 0, deleted: 0 };
  let linked: { patientId: number; identityId: number; visitId: number };
  let indexesBefore: unknown[];

  const indexes = (db: Sqlite.Database) =>
    db.prepare(`SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'index' AND "tbl_name" = 'Patient' ORDER BY "name"`).all();

  beforeAll(async () => {
    target = await createEmptyDatabase();
    file = target.config.file!;
    const list = readMigrationsList(migrationsDir("sqlite"));
    const before = list.migrationDirectories.filter((dir) => dir.path < REPAIR);
    await applyMigrations(target.config, { ...list, migrationDirectories: before });

    const db = openDatabase(target.config);
    try {
      const p = db.prisma;
      const clinic = await createClinic(p);
      ids.bare = await insertWithoutTags(p, clinic.id, "OLD-BARE");
      ids.tagged = await insertWithoutTags(p, clinic.id, "OLD-TAGGED", '["vip","кардиология"]');
      ids.garbage = await insertWithoutTags(p, clinic.id, "OLD-GARBAGE", "vip, кардиология");
      // Rows that point at a patient: the rebuild drops the old table, which must neither null
      // them (ON DELETE SET NULL) nor be refused for them (ON DELETE RESTRICT).
      const patient = await createPatient(p, clinic.id);
      const identity = await linkChat(p, clinic.id, patient.id, "chat-1");
      const visit = await p.visit.create({
        data: { clinicId: clinic.id, patientId: patient.id, externalId: "V-1", doctor: "Иванов", service: "Осмотр", amount: 100000, status: "completed", startsAt: new Date("2026-11-01T09:00:00Z") },
      });
      linked = { patientId: patient.id, identityId: identity.id, visitId: visit.id };
      // The highest id ever given, deleted since: AUTOINCREMENT must not give it again.
      ids.deleted = await insertWithoutTags(p, clinic.id, "OLD-DELETED");
      await p.patient.deleteMany({ where: { id: ids.deleted } });
    } finally {
      await db.close();
    }
    const old = new Sqlite(file);
    try {
      indexesBefore = indexes(old);
    } finally {
      old.close();
    }
  });
  afterAll(() => target.drop());

  it("stored '' for a row without tags before it: not JSON", () => {
    const db = new Sqlite(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT "tags", json_valid("tags") AS valid FROM "Patient" WHERE "id" = ?`).get(ids.bare)).toEqual({ tags: "", valid: 0 });
    } finally {
      db.close();
    }
  });

  it("applies alone, repairs what is not JSON, keeps what is, and leaves every reference and index as it was", async () => {
    // Only the repair on top (later migrations are not this test's).
    const list = readMigrationsList(migrationsDir("sqlite"));
    const upToRepair = list.migrationDirectories.filter((dir) => dir.path <= REPAIR);
    expect(await applyMigrations(target.config, { ...list, migrationDirectories: upToRepair })).toEqual([REPAIR]);
    const db = new Sqlite(file);
    try {
      const tags = db.prepare(`SELECT "id", "tags" FROM "Patient" ORDER BY "id"`).all();
      expect(tags).toEqual([
        { id: ids.bare, tags: "[]" },
        { id: ids.tagged, tags: '["vip","кардиология"]' },
        { id: ids.garbage, tags: "[]" },
        { id: linked.patientId, tags: "[]" },
      ]);
      expect(db.prepare(`SELECT "patientId" FROM "ChannelIdentity" WHERE "id" = ?`).get(linked.identityId)).toEqual({ patientId: linked.patientId });
      expect(db.prepare(`SELECT "patientId" FROM "Visit" WHERE "id" = ?`).get(linked.visitId)).toEqual({ patientId: linked.patientId });
      expect(db.prepare(`SELECT count(*) AS n FROM "Consent" WHERE "patientId" = ?`).get(linked.patientId)).toEqual({ n: 3 });
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(indexes(db)).toEqual(indexesBefore);
      expect(db.prepare(`SELECT "seq" FROM sqlite_sequence WHERE "name" = 'Patient'`).all()).toEqual([{ seq: ids.deleted }]);
    } finally {
      db.close();
    }
    const app = openDatabase(target.config);
    try {
      const clinicId = (await app.prisma.clinic.findFirstOrThrow()).id;
      const fresh = await insertWithoutTags(app.prisma, clinicId, "NEW-BARE");
      expect(fresh).toBeGreaterThan(ids.deleted);
      expect(await storedTags(app.prisma, fresh)).toEqual({ text: "[]", elements: 0 });
      expect((await app.prisma.patient.findUniqueOrThrow({ where: { id: ids.garbage } })).tags).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("the migrated template's key", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "carebot-migrations-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("differs without the repair migration, so no run copies a template made before it", () => {
    cpSync(migrationsDir("sqlite"), dir, { recursive: true });
    expect(migrationsHash("sqlite", dir)).toBe(migrationsHash("sqlite"));
    rmSync(path.join(dir, REPAIR), { recursive: true });
    expect(migrationsHash("sqlite", dir)).not.toBe(migrationsHash("sqlite"));
  });
});
