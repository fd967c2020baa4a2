import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Issue #16: every hand-written query goes through the typed SQL layer (src/db/kysely); SQL text
// is written only in src/db (the layer, the migration runner) and the migration files. This finds
// SQL written anywhere else in src: statement keywords in code (comments aside), Prisma's raw
// entry points, and the old string-built helpers.
const SRC = path.resolve(import.meta.dirname, "../../src");

/**
 * Files still on the string-built helpers of src/db/sql-statement.ts, to be moved to typed
 * queries. The list only shrinks: a file listed here that no longer holds SQL fails below.
 */
const NOT_YET_MOVED = new Set([
  // Built on the segment compiler (string fragments), which moves with them.
  "campaigns/advertising-consent.ts",
  "campaigns/dry-run.ts",
  "campaigns/results.ts",
  "campaigns/run.ts",
  "domain/segments/compile.ts",
  "domain/segments/query.ts",
  "scheduler/plan.ts",
  "scheduler/planners/expiry.ts",
  "scheduler/planners/followup.ts",
  "scheduler/planners/unconfirmed-calls.ts",
  "scheduler/planners/waitlist.ts",
  "scheduler/run-planner.ts",
]);

const SQL_IN_CODE = [
  /\bSELECT\b[\s\S]{0,200}?\bFROM\b/,
  /\bINSERT\s+INTO\b/,
  /\bUPDATE\s+"[A-Za-z]+"\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\$(queryRaw|executeRaw)(Unsafe)?\b/,
  /\b(SqlStatement|sqlRunner|rawQuery|rawQueryOn|rawExecuteOn|enumConstant)\b/,
];

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

  it("finds no SQL string outside the typed layer, except in the files not yet moved", () => {
    const found = outside.filter((file) => holdsSql(path.join(SRC, file)) && !NOT_YET_MOVED.has(file));
    expect(found).toEqual([]);
  });

  it("lists only files that still hold SQL, so the list shrinks as they move", () => {
    const moved = [...NOT_YET_MOVED].filter((file) => !holdsSql(path.join(SRC, file)));
    expect(moved).toEqual([]);
  });

  it("recognises SQL written as a string, and not a comment about it", () => {
    expect(SQL_IN_CODE.some((p) => p.test(code('const q = `SELECT "id" FROM "Outbox" WHERE 1`;')))).toBe(true);
    expect(SQL_IN_CODE.some((p) => p.test(code("// one joined SELECT of the clinic FROM its row")))).toBe(false);
  });
});
