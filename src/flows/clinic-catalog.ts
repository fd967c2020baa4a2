// The flows a clinic's NEW conversations start on: the shipped files, with each flow the clinic
// published in the console (ContentVersion kind "flow") in place of its file. Cached like the
// clinic's settings: by the clinic row's updatedAt, which publishing and rolling back touch, so
// the per-message path reads nothing more than it already does (the clinic row).
import type { Database, Tx } from "../db/client.ts";
import { publishedOfKind } from "../domain/content/versions.ts";
import type { Logger } from "../logger.ts";
import { BoundedMap } from "../util/bounded-map.ts";
import { flowFormat } from "./definition/format.ts";
import type { FlowDefinition } from "./definition/schema.ts";
import { FlowCatalog } from "./loader/catalog.ts";
import type { LoadedFlow } from "./loader/catalog.ts";
import { formatProblem } from "./loader/problems.ts";
import { validateFlow } from "./loader/validate-flow.ts";

/** A stored flow version read back: the definition, or what keeps it from running. */
export function parseFlowVersion(body: unknown, base: FlowCatalog, key: string): { def: FlowDefinition } | { problems: string[] } {
  const parsed = flowFormat.safeRead(body);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  if (parsed.data.id !== key) return { problems: [`id: "${parsed.data.id}" is not "${key}"`] };
  const flowIds = new Set(base.flows.keys());
  const problems = validateFlow(parsed.data, `flow ${key}`, { registry: base.registry, templates: base.templates, flowIds });
  return problems.length > 0 ? { problems: problems.map(formatProblem) } : { def: parsed.data };
}

/** The catalog with one flow replaced (a published version, or a draft in the preview sandbox). */
export function withFlow(base: FlowCatalog, flow: LoadedFlow): FlowCatalog {
  const flows = new Map(base.flows);
  flows.set(flow.def.id, flow);
  return new FlowCatalog(flows, base.templates, base.registry, base.reader);
}

const MAX_CACHED = 50;

export class ClinicFlowCatalogs {
  /** By file catalog (a reload of flows/ starts afresh), then by clinic and settings version. */
  readonly #cache = new WeakMap<FlowCatalog, BoundedMap<string, Promise<FlowCatalog>>>();

  constructor(
    private readonly files: () => FlowCatalog,
    private readonly logger?: Logger,
  ) {}

  /** The clinic's catalog; `stamp` is the clinic row's updatedAt (ms), which publishing moves. */
  catalogFor(tx: Tx, clinicId: number, stamp: number): Promise<FlowCatalog> {
    const base = this.files();
    let byClinic = this.#cache.get(base);
    if (!byClinic) this.#cache.set(base, (byClinic = new BoundedMap(MAX_CACHED)));
    const key = `${clinicId}:${stamp}`;
    let pending = byClinic.touch(key);
    if (!pending) {
      pending = this.#build(tx, base, clinicId);
      // A failed read is not kept: the next message tries again.
      pending.catch(() => byClinic!.delete(key));
      byClinic.set(key, pending);
    }
    return pending;
  }

  /** The clinic's catalog now, outside any transaction (planners, the preview). */
  current(db: Database, clinicId: number): Promise<FlowCatalog> {
    return db.transaction(async (tx) => {
      const clinic = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { updatedAt: true } });
      return this.catalogFor(tx, clinicId, clinic.updatedAt.getTime());
    });
  }

  async #build(tx: Tx, base: FlowCatalog, clinicId: number): Promise<FlowCatalog> {
    const published = await publishedOfKind(tx, clinicId, "flow");
    if (published.size === 0) return base;
    let catalog = base;
    for (const [key, row] of published) {
      const read = parseFlowVersion(row.body, base, key);
      if ("problems" in read) {
        // Checked when saved; a later edit of templates/ may still break it: the file keeps serving.
        this.logger?.error({ flow: key, version: row.version, problems: read.problems }, "published flow version no longer loads; the shipped file serves");
        continue;
      }
      catalog = withFlow(catalog, { def: read.def, file: `version ${row.version}`, contentVersionId: row.id });
    }
    return catalog;
  }
}
