import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import type { Logger } from "../logger.ts";
import type { FlowCatalog } from "./loader/catalog.ts";
import { loadFlowCatalog } from "./loader/load-flows.ts";
import type { LoadOptions } from "./loader/load-flows.ts";
import { formatProblem } from "./loader/problems.ts";
import type { Problem } from "./loader/problems.ts";

export class FlowLoadError extends Error {
  override name = "FlowLoadError";
  constructor(readonly problems: Problem[]) {
    super(`flows and templates have ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`);
  }
}

/**
 * The flows and templates in force. A clinic's edit is picked up while CareBot runs; an edit
 * that breaks anything is logged with the same messages as `carebot flows validate`, and the
 * last good version keeps serving.
 */
export class FlowService {
  #catalog: FlowCatalog;
  #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: LoadOptions,
    catalog: FlowCatalog,
  ) {
    this.#catalog = catalog;
  }

  /** Loads everything or throws FlowLoadError listing every problem. */
  static load(options: LoadOptions): FlowService {
    const { catalog, problems } = loadFlowCatalog(options);
    if (!catalog) throw new FlowLoadError(problems);
    return new FlowService(options, catalog);
  }

  catalog(): FlowCatalog {
    return this.#catalog;
  }

  /** Loads again; on success the new catalog serves from the next message on. */
  reload(logger?: Logger): Problem[] {
    const { catalog, problems } = loadFlowCatalog(this.options);
    if (catalog) {
      this.#catalog = catalog;
      logger?.info({ flows: catalog.flows.size }, "flows and templates reloaded");
    } else {
      for (const problem of problems) logger?.error({ problem: formatProblem(problem) }, "flow edit refused; the last good version keeps serving");
    }
    return problems;
  }

  /** Watches the flow and template folders; bursts of changes (an editor saving) reload once. */
  watch(logger: Logger, debounceMs = 250): void {
    const schedule = () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.reload(logger), debounceMs);
    };
    for (const dir of [this.options.flowsDir, this.options.templatesDir]) {
      try {
        this.#watchers.push(watch(dir, { recursive: true }, schedule));
      } catch (error) {
        logger.warn({ dir, err: error }, "cannot watch folder; edits there need a restart");
      }
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const w of this.#watchers.splice(0)) w.close();
  }
}
