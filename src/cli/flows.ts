import { writeFileSync } from "node:fs";
import path from "node:path";
import { flowJsonSchema } from "../flows/definition/json-schema.ts";
import { flowToMermaid } from "../flows/loader/graph.ts";
import { loadFlowCatalog } from "../flows/loader/load-flows.ts";
import { formatProblem } from "../flows/loader/problems.ts";
import { createRegistry } from "../flows/registry/index.ts";

export interface FlowDirs {
  flowsDir: string;
  templatesDir: string;
}

/** `carebot flows validate`: every problem as `file: path: what`, exit 1 on any. */
export function validateCommand(dirs: FlowDirs): number {
  const { catalog, problems } = loadFlowCatalog({ ...dirs, registry: createRegistry() });
  for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
  if (!catalog) {
    process.stdout.write(`\n${problems.length} problem(s). Nothing is served until they are fixed; a running CareBot keeps the last good version.\n`);
    return 1;
  }
  const templates = catalog.templates.keys("ru").length;
  process.stdout.write(`OK: ${catalog.flows.size} flows, ${templates} texts in Russian and English.\n`);
  return 0;
}

/** `carebot flows graph <id>`: the flow as a Mermaid state diagram. */
export function graphCommand(dirs: FlowDirs, id: string): number {
  const { catalog, problems } = loadFlowCatalog({ ...dirs, registry: createRegistry() });
  if (!catalog) {
    for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
    return 1;
  }
  const flow = catalog.get(id);
  if (!flow) {
    process.stderr.write(`carebot: no flow "${id}" (flows: ${[...catalog.flows.keys()].sort().join(", ")})\n`);
    return 2;
  }
  process.stdout.write(flowToMermaid(flow.def));
  return 0;
}

/** `carebot flows schema`: writes flows/flow.schema.json for editors. */
export function schemaCommand(dirs: FlowDirs): number {
  const registry = createRegistry();
  const file = path.join(dirs.flowsDir, "flow.schema.json");
  writeFileSync(file, `${JSON.stringify(flowJsonSchema(Object.keys(registry.actions), Object.keys(registry.guards)), null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}
