import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { flowJsonSchema } from "../../src/flows/definition/json-schema.ts";
import { loadFlowCatalog } from "../../src/flows/loader/load-flows.ts";
import { formatProblem } from "../../src/flows/loader/problems.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { runCli } from "../support/cli.ts";
import { SHIPPED } from "../support/runtime.ts";

let dirs: { root: string; flowsDir: string; templatesDir: string } | null = null;

function copy() {
  const root = mkdtempSync(path.join(tmpdir(), "carebot-validate-"));
  cpSync(SHIPPED.flowsDir, path.join(root, "flows"), { recursive: true });
  cpSync(SHIPPED.templatesDir, path.join(root, "templates"), { recursive: true });
  dirs = { root, flowsDir: path.join(root, "flows"), templatesDir: path.join(root, "templates") };
  return dirs;
}
afterEach(() => {
  if (dirs) rmSync(dirs.root, { recursive: true, force: true });
  dirs = null;
});

/** Edits one flow file of a fresh copy and returns every problem, formatted as the CLI prints them. */
function problemsAfter(edit: (flow: any) => void, file = "opt-out.json"): string[] {
  const d = copy();
  const full = path.join(d.flowsDir, file);
  const flow = JSON.parse(readFileSync(full, "utf8"));
  edit(flow);
  writeFileSync(full, JSON.stringify(flow, null, 2));
  return loadFlowCatalog({ ...d, registry: createRegistry() }).problems.map(formatProblem);
}

describe("flow validation", () => {
  it("accepts the shipped flows and texts", () => {
    const result = loadFlowCatalog({ ...SHIPPED, registry: createRegistry() });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.catalog!.flows.size).toBeGreaterThanOrEqual(3);
  });

  it("names the line and column of bad JSON", () => {
    const d = copy();
    writeFileSync(path.join(d.flowsDir, "opt-out.json"), '{\n  "id": "opt-out",\n  "version": 1,,\n}');
    const problems = loadFlowCatalog({ ...d, registry: createRegistry() }).problems.map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/^flows\/opt-out\.json: invalid JSON at line 3, column 16: /)]);
  });

  it.each([
    ["an unknown action", (f: any) => (f.states.stopped.entry[1].type = "sya"), /^flows\/opt-out\.json: states\.stopped\.entry\[1\]\.type: unknown action "sya" \(known: .*say.*\)$/],
    ["an unknown guard", (f: any) => (f.states.confirm.on.CHOICE[0].guard.type = "optionIz"), /^flows\/opt-out\.json: states\.confirm\.on\.CHOICE\[0\]\.guard\.type: unknown guard "optionIz"/],
    ["bad params", (f: any) => (f.states.confirm.entry[0].params.maxInvalid = 0), /^flows\/opt-out\.json: states\.confirm\.entry\[0\]\.params\.maxInvalid: must be at least 1$/],
    ["an unknown template", (f: any) => (f.states.kept.entry[0].params.template = "opt-out.kpet"), /^flows\/opt-out\.json: states\.kept\.entry\[0\]\.params: no template "opt-out\.kpet" in templates\/ru$/],
    ["an unknown target", (f: any) => (f.states.confirm.on.CHOICE[1].target = "kpet"), /^flows\/opt-out\.json: states\.confirm\.on\.CHOICE\[1\]\.target: no state "kpet" \(states: confirm, stopped, kept, kept-silently\)$/],
    ["an unknown initial state", (f: any) => (f.initial = "start"), /^flows\/opt-out\.json: initial: no state "start"/],
    ["an unreachable state", (f: any) => (f.states.orphan = { type: "final" }), /^flows\/opt-out\.json: states\.orphan: unreachable from "confirm"$/],
    ["a state with no way out", (f: any) => (f.states.kept = { entry: f.states.kept.entry }), /^flows\/opt-out\.json: states\.kept: has no way out and is not final$/],
    ["an unknown event", (f: any) => (f.states.confirm.on.CHOISE = "kept"), /^flows\/opt-out\.json: states\.confirm\.on\.CHOISE: unknown event \(events: START, TEXT, CHOICE/],
    ["a bad delay", (f: any) => (f.states.confirm.after = { "one day": "kept" }), /^flows\/opt-out\.json: states\.confirm\.after\.one day: "one day" is not a delay/],
    ["an unknown flow to start", (f: any) => (f.states.kept.entry.push({ type: "startFlow", params: { flow: "nope" } })), /^flows\/opt-out\.json: states\.kept\.entry\[1\]\.params\.flow: no flow "nope"$/],
    ["an id that is not the file name", (f: any) => (f.id = "opt-in"), /^flows\/opt-out\.json: id: "opt-in" does not match the file name/],
    ["a keyword another flow uses", (f: any) => f.triggers.keywords.push("Меню"), /^flows\/opt-out\.json: triggers\.keywords\[\d+\]: keyword "меню" is already used by flow "main-menu"$/],
    ["a missing field", (f: any) => delete f.description, /^flows\/opt-out\.json: description: /],
  ])("refuses %s with the file and the path inside it", (_what, edit, expected) => {
    expect(problemsAfter(edit)).toContainEqual(expect.stringMatching(expected));
  });

  it("refuses a template that uses a context value the flow does not declare", () => {
    const d = copy();
    writeFileSync(path.join(d.templatesDir, "ru", "opt-out.kept.hbs"), "Хорошо, {{context.reason}}.\n");
    const problems = loadFlowCatalog({ ...d, registry: createRegistry() }).problems.map(formatProblem);
    expect(problems).toContainEqual(
      'flows/opt-out.json: states.kept.entry[0].params: template "opt-out.kept" (ru) uses context.reason, which the flow\'s "context" does not declare',
    );
  });

  it("refuses a text missing in English and a text with a typo in a variable", () => {
    const d = copy();
    unlinkSync(path.join(d.templatesDir, "en", "opt-out.kept.hbs"));
    writeFileSync(path.join(d.templatesDir, "ru", "opt-out.done.hbs"), "Готово, {{patient.frstName}}.\n");
    const problems = loadFlowCatalog({ ...d, registry: createRegistry() }).problems.map(formatProblem);
    expect(problems).toContainEqual(expect.stringMatching(/^templates\/en\/opt-out\.kept\.hbs: missing/));
    expect(problems).toContainEqual(expect.stringMatching(/^templates\/ru\/opt-out\.done\.hbs: .*patient\.frstName/));
  });

  it("ships a JSON Schema that matches the flow format and the registry", () => {
    const registry = createRegistry();
    const shipped = JSON.parse(readFileSync(path.join(SHIPPED.flowsDir, "flow.schema.json"), "utf8"));
    expect(shipped).toEqual(flowJsonSchema(Object.keys(registry.actions), Object.keys(registry.guards)));
    for (const file of ["main-menu.json", "opt-out.json", "operator-request.json"]) {
      expect(JSON.parse(readFileSync(path.join(SHIPPED.flowsDir, file), "utf8")).$schema).toBe("./flow.schema.json");
    }
  });
});

describe("carebot flows", () => {
  it("validate exits 0 on the shipped flows", async () => {
    const result = await runCli(["flows", "validate"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK: \d+ flows, \d+ texts in Russian and English\.\n$/);
  });

  it("validate exits 1 and prints each problem on a broken folder", async () => {
    const d = copy();
    writeFileSync(path.join(d.flowsDir, "broken.json"), "{ nope }");
    const result = await runCli(["flows", "validate", "--dir", d.flowsDir, "--templates", d.templatesDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken\.json: invalid JSON at line 1, column 3/);
  });

  it("graph prints a Mermaid state diagram", async () => {
    const result = await runCli(["flows", "graph", "opt-out"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stateDiagram-v2\n  [*] --> confirm\n");
    expect(result.stdout).toContain("confirm --> stopped: CHOICE [optionIs yes]");
    const unknown = await runCli(["flows", "graph", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no flow "nope"');
  });
});

describe("docs/flow-graphs.md", () => {
  it("shows the current diagram of every shipped flow", async () => {
    const { allGraphsMarkdown } = await import("../../src/cli/flows.ts");
    const page = readFileSync(path.join(SHIPPED.root, "docs/flow-graphs.md"), "utf8");
    expect(page, "run: npx carebot flows graph --all > docs/flow-graphs.md").toBe(allGraphsMarkdown(SHIPPED));
  });
});
