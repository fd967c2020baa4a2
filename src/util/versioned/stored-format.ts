import { z } from "zod";

// A document CareBot stores and reads back later (a conversation's session, the flow definition a
// conversation runs on, a clinic's settings) outlives the code that wrote it. Each such format
// has a version field and an ordered chain of pure upgrade steps, one per change of its shape
// (v1 → v2, v2 → v3, …): a reader upgrades what it finds step by step, then validates it with
// today's schema. Changing a stored shape means adding a step and a fixture of the old shape.

/** One change of a format's shape: takes a document of version N, returns it as version N + 1. */
export type UpgradeStep = (doc: Record<string, unknown>) => Record<string, unknown>;

/** A document whose version this code cannot read: newer than the code, or not a version at all. */
export class FormatVersionError extends Error {
  constructor(
    readonly format: string,
    readonly field: string,
    readonly found: unknown,
    readonly current: number,
  ) {
    super(
      typeof found === "number" && Number.isInteger(found) && found > current
        ? `this ${format} is version ${found}, newer than this CareBot reads (${current}); update CareBot before reading it`
        : `the ${format}'s ${field} must be a whole number from 1 to ${current}, not ${JSON.stringify(found)}`,
    );
    this.name = "FormatVersionError";
  }

  /** True when the document was written by a newer CareBot (as opposed to a broken version field). */
  get isNewer(): boolean {
    return typeof this.found === "number" && Number.isInteger(this.found) && this.found > this.current;
  }
}

export interface StoredFormatSpec<S extends z.ZodType> {
  /** How errors name the document ("session", "flow definition", "clinic settings"). */
  name: string;
  /** The document's version field; a document without it is version 1. */
  field: string;
  /** Today's schema: what an upgraded document must satisfy. */
  schema: S;
  /** steps[0] upgrades version 1 to 2, steps[1] 2 to 3, …; the current version is steps.length + 1. */
  steps: readonly UpgradeStep[];
}

export type ReadResult<T> = { success: true; data: T } | { success: false; error: z.ZodError };

export class StoredFormat<S extends z.ZodType> {
  readonly name: string;
  readonly field: string;
  readonly schema: S;
  readonly current: number;
  readonly #steps: readonly UpgradeStep[];

  constructor(spec: StoredFormatSpec<S>) {
    this.name = spec.name;
    this.field = spec.field;
    this.schema = spec.schema;
    this.#steps = spec.steps;
    this.current = spec.steps.length + 1;
  }

  /** The version a stored document declares: 1 when it has no version field; throws FormatVersionError when unreadable. */
  versionOf(doc: Record<string, unknown>): number {
    if (!(this.field in doc) || doc[this.field] === undefined) return 1;
    const found = doc[this.field];
    if (typeof found !== "number" || !Number.isInteger(found) || found < 1 || found > this.current) {
      throw new FormatVersionError(this.name, this.field, found, this.current);
    }
    return found;
  }

  /**
   * The document brought to the current version (its version field set), without validating it.
   * Anything but a plain object is returned as it is, for the schema to refuse with its own words.
   */
  upgrade(raw: unknown): unknown {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
    let doc = raw as Record<string, unknown>;
    for (let version = this.versionOf(doc); version < this.current; version++) {
      doc = { ...this.#steps[version - 1]!(doc), [this.field]: version + 1 };
    }
    return doc[this.field] === this.current ? doc : { ...doc, [this.field]: this.current };
  }

  /** Upgrades and validates a stored document; throws FormatVersionError or a ZodError. */
  read(raw: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>): z.output<S> {
    return this.schema.parse(this.upgrade(raw), params);
  }

  /** Like read, with every problem as a ZodError (a version this code cannot read is an issue at the version field). */
  safeRead(raw: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>): ReadResult<z.output<S>> {
    let upgraded: unknown;
    try {
      upgraded = this.upgrade(raw);
    } catch (error) {
      if (!(error instanceof FormatVersionError)) throw error;
      // params let a reader word it in its person's language (versionIssueOf).
      const params = { storedFormat: { found: error.found, current: error.current, newer: error.isNewer } };
      return { success: false, error: new z.ZodError([{ code: "custom", path: [this.field], message: error.message, input: error.found, params }]) };
    }
    const parsed = this.schema.safeParse(upgraded, params);
    return parsed.success ? { success: true, data: parsed.data as z.output<S> } : { success: false, error: parsed.error };
  }
}

/** The version problem a safeRead issue reports, if it is one: what was found and what this code reads. */
export function versionIssueOf(issue: z.core.$ZodIssue): { found: unknown; current: number; newer: boolean } | null {
  if (issue.code !== "custom") return null;
  const params = (issue as { params?: { storedFormat?: { found: unknown; current: number; newer: boolean } } }).params;
  return params?.storedFormat ?? null;
}
