import { createHash } from "node:crypto";
import type { FlowDefinition } from "../definition/schema.ts";
import { normalizeWords } from "../../domain/understanding/index.ts";
import type { Registry } from "../registry/types.ts";
import type { TemplateStore } from "../templates/index.ts";
import type { Intent, Reader } from "../../domain/understanding/index.ts";

export interface LoadedFlow {
  def: FlowDefinition;
  file: string;
  /** The clinic's published version this definition comes from (ContentVersion.id); absent for the shipped file. */
  contentVersionId?: number;
}

/** A flow the clinic turned off (`enabled: false`) starts for nobody; its running conversations finish. */
export const isEnabled = (flow: LoadedFlow): boolean => flow.def.enabled !== false;

/** A flow definition's identity: id, version and a hash of its content. */
export function definitionKey(def: FlowDefinition): string {
  return `${def.id}@${def.version}#${createHash("sha1").update(JSON.stringify(def)).digest("hex").slice(0, 12)}`;
}

/** The flows and templates in force, with the lookups the router needs. Immutable: reload builds a new one. */
export class FlowCatalog {
  readonly #byCommand = new Map<string, LoadedFlow>();
  readonly #byKeyword = new Map<string, LoadedFlow>();
  /** The flows that start, in file order: the catalog never changes, and the router asks on every message. */
  readonly #enabledFlows: LoadedFlow[];
  /** Each flow's pattern, compiled on first use (an invalid one fails where it is matched, as before). */
  readonly #patterns = new Map<LoadedFlow, RegExp>();

  constructor(
    readonly flows: ReadonlyMap<string, LoadedFlow>,
    readonly templates: TemplateStore,
    readonly registry: Registry,
    /** Reads patients' free text with CareBot's word lists and the clinic's additions (flows/words/). */
    readonly reader: Reader,
  ) {
    this.#enabledFlows = [...flows.values()].filter(isEnabled);
    for (const flow of this.#enabledFlows) {
      for (const command of flow.def.triggers.commands) this.#byCommand.set(command, flow);
      for (const keyword of flow.def.triggers.keywords) this.#byKeyword.set(normalizeWords(keyword), flow);
    }
  }

  #enabled(): readonly LoadedFlow[] {
    return this.#enabledFlows;
  }

  /** Whether the whole text matches the flow's pattern, compiled once per flow. */
  #matches(flow: LoadedFlow, text: string): boolean {
    const source = flow.def.triggers.pattern;
    if (!source) return false;
    let pattern = this.#patterns.get(flow);
    if (!pattern) {
      pattern = new RegExp(`^(?:${source})$`, "iu");
      this.#patterns.set(flow, pattern);
    }
    return pattern.test(text);
  }

  /** The flow to start by its id; undefined when there is none or the clinic turned it off. */
  get(id: string): LoadedFlow | undefined {
    const flow = this.flows.get(id);
    return flow && isEnabled(flow) ? flow : undefined;
  }

  /** A flow whose pattern the whole message matches (a typed referral code). */
  patternFlow(text: string): LoadedFlow | undefined {
    const trimmed = text.trim();
    return this.#enabled().find((f) => this.#matches(f, trimmed));
  }

  /** The flow a whole message starts: a command ("/balance") or a keyword ("баланс"). */
  triggeredBy(text: string): LoadedFlow | undefined {
    const trimmed = text.trim();
    if (trimmed.startsWith("/")) return this.#byCommand.get(trimmed.split(/\s+/)[0]!.toLowerCase());
    return this.#byKeyword.get(normalizeWords(trimmed));
  }

  /** The flow free text with this meaning starts when no conversation takes it (triggers.intents). */
  byIntent(intent: Intent): LoadedFlow | undefined {
    return this.#enabled().find((f) => (f.def.triggers.intents as readonly Intent[]).includes(intent));
  }

  byPayload(payload: string): LoadedFlow | undefined {
    return this.#enabled().find((f) => f.def.triggers.payloadPrefix && payload.startsWith(f.def.triggers.payloadPrefix));
  }

  forScheduledKind(kind: string): LoadedFlow | undefined {
    return this.#enabled().find((f) => f.def.triggers.scheduled.includes(kind));
  }

  /** Main-menu entries in their order: every flow with triggers.menu. */
  menu(): { flowId: string; label: string }[] {
    return this.#enabled()
      .filter((f) => f.def.triggers.menu)
      .sort((a, b) => a.def.triggers.menu!.order - b.def.triggers.menu!.order || a.def.id.localeCompare(b.def.id))
      .map((f) => ({ flowId: f.def.id, label: f.def.triggers.menu!.label }));
  }
}
