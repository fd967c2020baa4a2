// The map of docs/architecture.md, checked: the import graph of src/ has no cycle (between files
// or between parts), src/domain imports nothing about messengers, flows' machines, HTTP, templates,
// cron or Prisma's own packages, and only the start-up wiring knows the whole `CareBot` object.
//
// Type-only imports count. They vanish from the JavaScript, but they are what a part knows: the
// `import type { CareBot }` of a route file is exactly the service locator this test forbids, and a
// cycle of types still means two parts cannot be read, changed or moved one without the other.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findCycles, importedNames, importGraph } from "./import-graph.ts";
import type { ImportEdge } from "./import-graph.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Prisma writes src/db/generated; its cycles are its own business.
const edges = importGraph(root).filter((e) => !e.from.startsWith("src/db/generated/") && !e.to.startsWith("src/db/generated/"));

/**
 * A part is a folder directly under src/ (or a file there: core.ts, app.ts…). The web chat
 * (src/channels/web) is a part of its own: the preview's, not a messenger adapter.
 */
function partOf(file: string): string {
  const [, first, second] = file.split("/");
  if (first === "channels" && second === "web") return "channels/web";
  return first!.replace(/\.ts$/, "");
}

/** Part-to-part edges, each with the file imports that make it. */
function partEdges(all: ImportEdge[]): ImportEdge[] {
  return all
    .filter((e) => e.to.startsWith("src/") && partOf(e.from) !== partOf(e.to))
    .map((e) => ({ from: `src/${partOf(e.from)}`, to: `src/${partOf(e.to)}`, typeOnly: e.typeOnly }));
}

function explain(cycle: string[], all: ImportEdge[]): string {
  const steps = cycle.slice(1).map((to, i) => {
    const from = cycle[i]!;
    const files = all.filter((e) => e.to.startsWith("src/") && `src/${partOf(e.from)}` === from && `src/${partOf(e.to)}` === to).map((e) => `${e.from} → ${e.to}`);
    return `  ${from} → ${to}${files.length ? ` (${files.slice(0, 3).join("; ")}${files.length > 3 ? `; +${files.length - 3}` : ""})` : ""}`;
  });
  return [cycle.join(" → "), ...steps].join("\n");
}

/** What src/domain may import besides itself: the domain's own libraries, the data layer, the utilities. */
const DOMAIN_MAY_IMPORT = [
  "zod", "luxon", "libphonenumber-js", "petrovich", "snowball-stemmers",
  // Node's own modules: the word lists and the name dictionary are files; referral codes are random.
  "node:fs", "node:path", "node:crypto",
  // The data layer: the domain's rows live in the database, reached through src/db's client and
  // its queries (never @prisma/* directly: the client is src/db's, generated from the schema).
  "src/db/",
  // Languages, plural forms and zod's error messages: how the domain says what is wrong.
  "src/i18n/",
  "src/util/",
  "src/domain/",
];

function domainFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return domainFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The start-up wiring: what builds the service and hands each part its pieces. */
const WIRING = ["src/app.ts", "src/embed.ts", "src/cli/chat.ts", "src/cli/jobs.ts"];

describe("the import graph of src/", () => {
  it("reads the imports of the code (a sanity check of the parser)", () => {
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges).toContainEqual({ from: "src/app.ts", to: "src/core.ts", typeOnly: false });
    expect(edges.some((e) => e.from.startsWith("src/operators/") && e.to === "fastify" && e.typeOnly)).toBe(true);
  });

  it("finds a cycle when there is one, and prints it as a path", () => {
    const edge = (from: string, to: string) => ({ from, to, typeOnly: false });
    const cycles = findCycles([edge("src/a.ts", "src/b.ts"), edge("src/b.ts", "src/c.ts"), edge("src/c.ts", "src/a.ts"), edge("src/c.ts", "src/d.ts"), edge("src/e.ts", "src/e.ts"), edge("src/d.ts", "zod")]);
    expect(cycles).toEqual([
      ["src/a.ts", "src/b.ts", "src/c.ts", "src/a.ts"],
      ["src/e.ts", "src/e.ts"],
    ]);
  });

  it("has no cycle between files", () => {
    const cycles = findCycles(edges).map((cycle) => cycle.join(" → "));
    expect(cycles, `cycles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("has no cycle between parts (folders under src/)", () => {
    const cycles = findCycles(partEdges(edges)).map((cycle) => explain(cycle, edges));
    expect(cycles, `cycles:\n${cycles.join("\n\n")}`).toEqual([]);
  });

  it("keeps src/domain free of messengers, XState, HTTP, templates, cron and the other parts", () => {
    const outside = edges
      .filter((e) => e.from.startsWith("src/domain/"))
      .filter((e) => !DOMAIN_MAY_IMPORT.some((allowed) => (allowed.endsWith("/") ? e.to.startsWith(allowed) : e.to === allowed)))
      .map((e) => `${e.from} → ${e.to}`);
    expect(outside, `domain imports:\n${outside.join("\n")}`).toEqual([]);
  });

  it("keeps query building out of src/domain: its hand-written queries are src/db/queries' functions", () => {
    // Neither Kysely nor src/db's typed layer (src/db/kysely, the generated Kysely table types) nor
    // its string-built helpers: a domain file calls a function of src/db/queries with plain values.
    const builders = edges
      .filter((e) => e.from.startsWith("src/domain/"))
      .filter((e) => /kysely/i.test(e.to) || ["src/db/insert-rows.ts", "src/db/raw-sql.ts", "src/db/sql-statement.ts"].includes(e.to))
      .map((e) => `${e.from} → ${e.to}`);
    expect(builders, `domain files building queries:\n${builders.join("\n")}`).toEqual([]);
    // The same as `grep -rn kysely src/domain`: not even a comment leads a reader there.
    const naming = domainFiles(path.join(root, "src/domain")).filter((file) => /kysely/.test(readFileSync(file, "utf8")));
    expect(naming.map((file) => path.relative(root, file))).toEqual([]);
  });

  it("lets only the start-up wiring import the CareBot type", () => {
    const importers = edges
      .filter((e) => e.to === "src/core.ts" && !WIRING.includes(e.from))
      .map((e) => e.from);
    expect(importers, `files importing src/core.ts:\n${importers.join("\n")}`).toEqual([]);
  });

  // Pages build HTML with html`…` (src/web-assets/html.ts), which escapes every value: a hand-built
  // string with escapeHtml calls is one forgotten call away from an injection.
  it("lets only src/web-assets import escapeHtml", () => {
    const names = importedNames(root);
    expect(names).toContainEqual({ from: "src/operators/layout.ts", to: "src/web-assets/html.ts", name: "html" });
    const importers = names
      .filter((i) => i.to === "src/web-assets/html.ts" && (i.name === "escapeHtml" || i.name === "*") && !i.from.startsWith("src/web-assets/"))
      .map((i) => `${i.from} (${i.name})`);
    expect(importers, `files importing escapeHtml:\n${importers.join("\n")}`).toEqual([]);
  });
});
