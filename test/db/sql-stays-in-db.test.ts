import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Issue #16: every hand-written query goes through the typed SQL layer (src/db/kysely); SQL text
// is written only in src/db (the layer, the migration runner) and the migration files. This finds
// SQL written anywhere else in src: statement keywords in code, Prisma's raw entry points, the
// old string-built helpers, and (so a reader searching for queries lands only in src/db) SQL
// keywords spelled out in comments.
const SRC = path.resolve(import.meta.dirname, "../../src");

const SQL_IN_CODE = [
  /\bSELECT\b[\s\S]{0,200}?\bFROM\b/,
  /\bINSERT\s+INTO\b/,
  /\bUPDATE\s+"[A-Za-z]+"\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\$(queryRaw|executeRaw)(Unsafe)?\b/,
  /\b(SqlStatement|sqlRunner|rawQuery|rawQueryOn|rawExecuteOn|enumConstant)\b/,
  // Kysely's raw fragments (CASE, CAST, window functions): named helpers in src/db/kysely instead.
  /\bsql(<[^>]*>)?`/,
  /\bsql\.(raw|lit|ref|join|id|val)\(/,
];

/**
 * SQL spelled out in a comment: a reader looking for every hand-written query searches for these
 * words and must land in src/db only. Elsewhere a comment says what a query does in words ("an
 * insert from a select that skips existing keys"). Upper case only: HTTP's DELETE stays a word.
 */
const SQL_IN_WORDS = /\b(SELECT|INSERT|UPDATE|UPSERT|RETURNING|ON CONFLICT|DELETE FROM|WITH [a-z]+ AS|JOIN|WHERE)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The code without its comments: a comment may say what a query does. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[\s;{}(),])\/\/.*$/gm, "$1");
}

function holdsSql(file: string): boolean {
  const text = code(readFileSync(file, "utf8"));
  return SQL_IN_CODE.some((pattern) => pattern.test(text));
}

describe("SQL is written only in src/db", () => {
  const outside = sourceFiles(SRC)
    .map((file) => path.relative(SRC, file).split(path.sep).join("/"))
    .filter((file) => !file.startsWith("db/"));

  it("finds no SQL string outside the typed layer", () => {
    const found = outside.filter((file) => holdsSql(path.join(SRC, file)));
    expect(found).toEqual([]);
  });

  it("finds no SQL keyword in the comments outside src/db either", () => {
    const found = outside.flatMap((file) =>
      readFileSync(path.join(SRC, file), "utf8")
        .split("\n")
        .flatMap((line, i) => (SQL_IN_WORDS.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it("recognises SQL written in words, and HTTP's methods as not", () => {
    expect(SQL_IN_WORDS.test('// with one INSERT … SELECT … ON CONFLICT ("idempotencyKey") DO NOTHING')).toBe(true);
    expect(SQL_IN_WORDS.test("// conversation come in one joined SELECT")).toBe(true);
    expect(SQL_IN_WORDS.test("// one UPDATE per distinct amount")).toBe(true);
    expect(SQL_IN_WORDS.test("// an insert from a select that skips the keys already queued")).toBe(false);
    expect(SQL_IN_WORDS.test('const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);')).toBe(false);
  });

  it("recognises SQL written as a string, and not a comment about it", () => {
    expect(SQL_IN_CODE.some((p) => p.test(code('const q = `SELECT "id" FROM "Outbox" WHERE 1`;')))).toBe(true);
    expect(SQL_IN_CODE.some((p) => p.test(code("// one joined SELECT of the clinic FROM its row")))).toBe(false);
    expect(SQL_IN_CODE.some((p) => p.test(code("const flag = sql<number>`CASE WHEN ${c} THEN 1 ELSE 0 END`;")))).toBe(true);
  });
});
