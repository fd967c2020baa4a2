import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { csvField, errorsFileOf, importRows, parseCsv } from "../../src/cli/import.ts";
import { patientInputSchema } from "../../src/domain/patients/upsert.ts";
import type { Db } from "../../src/db/client.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

describe("the CSV reader", () => {
  const fields = (text: string) => parseCsv(text).map((r) => r.fields);

  it("reads plain, quoted and escaped fields with any line end", () => {
    expect(fields('a,b,c\r\n1,"2,5","say ""hi"""\n3,,""\r4,x,y')).toEqual([
      ["a", "b", "c"],
      ["1", "2,5", 'say "hi"'],
      ["3", "", ""],
      ["4", "x", "y"],
    ]);
  });

  it("keeps line breaks inside quotes and tells each record's first line", () => {
    const records = parseCsv('h1,h2\r\n"two\r\nlines",x\r\n\r\nlast,"a\nb"\n');
    expect(records).toEqual([
      { line: 1, fields: ["h1", "h2"] },
      { line: 2, fields: ["two\r\nlines", "x"] },
      { line: 5, fields: ["last", "a\nb"] },
    ]);
  });

  it("drops a byte order mark and blank lines, keeps a final line without a line end", () => {
    expect(fields("\uFEFFexternalId,phone\n\nP-1,123")).toEqual([
      ["externalId", "phone"],
      ["P-1", "123"],
    ]);
  });

  it("keeps a stray quote inside an unquoted field, refuses text after a closing quote", () => {
    expect(fields('ООО "Ромашка",x')).toEqual([['ООО "Ромашка"', "x"]]);
    expect(parseCsv('a,"quoted"tail,c\nnext,1,2')).toEqual([
      { line: 1, fields: ["a", "quotedtail", "c"], error: expect.stringContaining("text after the closing quote of field 2") },
      { line: 2, fields: ["next", "1", "2"] },
    ]);
  });

  it("refuses a quote that is never closed, naming the line it opened on", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/^line 2: a quoted field is never closed/);
  });

  it("writes fields back that read the same", () => {
    const values = ["plain", "a,b", 'say "hi"', "two\nlines", " padded", ""];
    expect(parseCsv(values.map(csvField).join(","))[0]!.fields).toEqual(values);
    expect(errorsFileOf("/data/patients.csv")).toBe("/data/patients.errors.csv");
    expect(errorsFileOf("/data/export.CSV")).toBe("/data/export.errors.csv");
    expect(errorsFileOf("/data/export.txt")).toBe("/data/export.txt.errors.csv");
  });
});

describe(`carebot import patients on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
    dir = mkdtempSync(path.join(tmpdir(), "carebot-import-"));
  });
  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const patient = (externalId: string) => db.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId } }, include: { bonusAccount: true } });

  it("imports the good rows, refuses the bad ones with their lines, and exits 1", async () => {
    const file = path.join(dir, "patients.csv");
    const csv = [
      "\uFEFFexternalId,fullName,phone,birthDate,timezone,locale,tags,source",
      "C-1,Петрова Анна Сергеевна,8 (999) 123-45-67,1985-03-09,Asia/Vladivostok,ru,vip;implant,website",
      'C-2,"Иванов, Борис ""Боря""\r\nПетрович",+7 999 7654321,,,en,,"ads, spring"',
      "C-3,Плохой Телефон,123,,,,,",
      "C-4,Плохая Дата,+79990001111,1990-02-30,,,,",
      "C-5,Сидоров Пётр,9990002222,,Europe/Moscow,,,",
      "",
    ].join("\r\n");
    writeFileSync(file, csv);

    const result = await runCli(["import", "patients", file], env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("imported 3/3 rows");
    expect(result.stdout).toContain("3 created, 0 updated, 2 refused (5 rows)");
    expect(result.stderr).toContain('line 5: phone: "123" is not a valid phone number\n');
    expect(result.stderr).toContain('line 6: birthDate: "1990-02-30" is not a date "YYYY-MM-DD"\n');
    const errorLines = result.stderr.split("\n").filter((l) => l.startsWith("line "));
    expect(errorLines).toHaveLength(2);

    const report = readFileSync(path.join(dir, "patients.errors.csv"), "utf8");
    expect(parseCsv(report).map((r) => r.fields)).toEqual([
      ["line", "externalId", "error"],
      ["5", "C-3", 'phone: "123" is not a valid phone number'],
      ["6", "C-4", 'birthDate: "1990-02-30" is not a date "YYYY-MM-DD"'],
    ]);

    expect(await patient("C-1")).toMatchObject({
      fullName: "Петрова Анна Сергеевна",
      phone: "+79991234567",
      birthDate: "1985-03-09",
      birthMonthDay: 309,
      timezone: "Asia/Vladivostok",
      locale: "ru",
      tags: ["vip", "implant"],
      source: "website",
      bonusAccount: { balance: 0 },
    });
    expect(await patient("C-2")).toMatchObject({ fullName: 'Иванов, Борис "Боря"\r\nПетрович', phone: "+79997654321", locale: "en", birthDate: null, tags: [], source: "ads, spring" });
    expect(await patient("C-5")).toMatchObject({ phone: "+79990002222", timezone: "Europe/Moscow" });
    expect(await patient("C-3")).toBeNull();
    expect(await patient("C-4")).toBeNull();
    expect(await db.patient.count({ where: { clinicId } })).toBe(3);
  });

  it("imports a larger file in batches, updates known patients, and exits 0 with no report left", async () => {
    const file = path.join(dir, "patients.csv");
    const rows = Array.from({ length: 250 }, (_, i) => `B-${i + 1},Пациент ${i + 1},+7999${String(3000000 + i)},,,,,`);
    // C-1 comes again with a new phone: updated, its other fields kept
    writeFileSync(file, ["externalId,fullName,phone,birthDate,timezone,locale,tags,source", "C-1,Петрова Анна Сергеевна,+79991112233,,,,,", ...rows].join("\n"));

    const result = await runCli(["import", "patients", file], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/imported 100\/251 rows\nimported 200\/251 rows\nimported 251\/251 rows\n/);
    expect(result.stdout).toContain("250 created, 1 updated, 0 refused (251 rows)");
    expect(result.stderr).toBe("");
    expect(existsSync(path.join(dir, "patients.errors.csv"))).toBe(false);
    expect(await patient("C-1")).toMatchObject({ phone: "+79991112233", birthDate: "1985-03-09", timezone: "Asia/Vladivostok", tags: ["vip", "implant"] });
    expect(await db.patient.count({ where: { clinicId, externalId: { startsWith: "B-" } } })).toBe(250);
    expect(await db.bonusAccount.count({ where: { clinicId } })).toBe(253);
  });

  it("refuses a repeated externalId and a row with too many fields", async () => {
    const file = path.join(dir, "dupes.csv");
    // A spreadsheet's unnamed empty last column is ignored.
    writeFileSync(file, "externalId,fullName,phone,\nD-1,Один,+79994440001,\nD-1,Снова,+79994440002,\nD-2,Лишнее,+79994440003,,extra\n");
    const result = await runCli(["import", "patients", file], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 3: externalId: "D-1" already appears on line 2\n');
    expect(result.stderr).toContain("line 4: has 5 fields, the header has 4");
    expect((await patient("D-1"))?.fullName).toBe("Один");
    expect(await patient("D-2")).toBeNull();
  });

  it("stops before importing anything when the header or the file is wrong", async () => {
    const file = path.join(dir, "bad-header.csv");
    writeFileSync(file, "externalId,name,phone\nE-1,Кто-то,+79995550001\n");
    const unknown = await runCli(["import", "patients", file], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^carebot: .*bad-header\.csv: line 1: unknown column "name"/);

    writeFileSync(file, "externalId,fullName\nE-1,Кто-то\n");
    const missing = await runCli(["import", "patients", file], env);
    expect(missing.stderr).toContain('the header lacks "phone"');

    const absent = await runCli(["import", "patients", path.join(dir, "nope.csv")], env);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
    expect(await patient("E-1")).toBeNull();
  });

  it("draws an in-place progress bar on a terminal", async () => {
    let out = "";
    const stdout = Object.assign(new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) }), { isTTY: true, columns: 60 });
    const rows = [1, 2, 3].map((i) => ({ line: i + 1, input: patientInputSchema.parse({ externalId: `T-${i}`, fullName: "Терминал", phone: `+7999666000${i}` }) }));
    const summary = await importRows(t.db, clinicId, rows, { stdout, stderr: stdout }, 2);
    expect(summary).toEqual({ created: 3, updated: 0, refused: [] });
    expect(out).toBe(`\r[${"#".repeat(20)}${"-".repeat(10)}] 2/3 rows\r[${"#".repeat(30)}] 3/3 rows\n`);
  });

  it("is listed in the help", async () => {
    const help = await runCli(["import", "--help"]);
    expect(help.stdout).toContain("patients");
  });
});
