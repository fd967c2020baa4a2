// The one place a CareBot reads its clinic's settings: the router (every message), the dispatcher
// (quiet hours, the marketing cap) and the scheduler (schedules, planners) all come here. The
// cache policy is the clinic row's updatedAt: saving the settings or the clinic page moves it
// (Prisma's @updatedAt), and publishing content or saving the branches moves it too
// (src/domain/content/changed.ts), so
// whoever reads the row next sees the new version — no time-to-live, no polling of its own.
import type { Database, Tx } from "../db/client.ts";
import { typedSqlOn } from "../db/kysely/index.ts";
import type { Provider } from "../db/kysely/index.ts";
import { clinicHasBranches } from "../db/queries/clinic-branches.ts";
import { parseClinicSettings } from "../domain/clinic/settings.ts";
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { clinicTextFields } from "../domain/clinic/text-fields.ts";
import { loadClinicTexts } from "./templates/clinic-texts.ts";
import type { TextLayer } from "./templates/overlay.ts";
import type { ChatTarget } from "./runtime/facts.ts";
import { BoundedMap } from "../util/bounded-map.ts";

/**
 * The clinic row as read from the database (any select that has these columns): its settings as
 * read, or as JSON text (the router's per-message read), parsed only for a version not seen yet.
 */
export type ClinicRow = { id: number; name: string; timezone: string; locale: string; updatedAt: Date } & ({ settings: unknown } | { settingsText: string });

/** The clinic as its readers use it: the row with its settings parsed, and the version (ms). */
export interface ClinicVersion {
  id: number;
  name: string;
  timezone: string;
  locale: string;
  settings: ClinicSettings;
  /** The row's updatedAt in ms: what every per-clinic cache is keyed by. */
  stamp: number;
}

/** Versions kept: a clinic's current one and a few just replaced, for every clinic a process serves. */
const MAX_VERSIONS = 64;

interface Cached {
  settings: ClinicSettings;
  /** Read and compiled on first use only: the dispatcher and the scheduler never need them. */
  texts?: Promise<TextLayer>;
  /** Whether the clinic lists branches: saving them moves the row's updatedAt too (clinic/routes.ts). */
  branches?: Promise<boolean>;
  /** The clinic as a chat's steps see it, once its texts and branches are known (never changed in place). */
  chat?: ChatTarget["clinic"];
}

export class ClinicSource {
  readonly #versions = new BoundedMap<string, Cached>(MAX_VERSIONS);

  /** The clinic now, with its settings (parsed once per version). Throws on invalid settings. */
  async read(client: Pick<Tx, "clinic">, clinicId: number): Promise<ClinicVersion> {
    const row = await client.clinic.findUniqueOrThrow({
      where: { id: clinicId },
      select: { id: true, name: true, timezone: true, locale: true, settings: true, updatedAt: true },
    });
    return this.versionOf(row);
  }

  /** A row the caller already read (the router reads it with the patient) as a version. */
  versionOf(row: ClinicRow): ClinicVersion {
    return { id: row.id, name: row.name, timezone: row.timezone, locale: row.locale, settings: this.#cached(row).settings, stamp: row.updatedAt.getTime() };
  }

  /**
   * The clinic as a chat's steps see it (settings, text fields, the clinic's own texts, whether it
   * lists branches): made once per version, in the caller's transaction; every message of that
   * version gets the same one.
   */
  async chatClinicOf(tx: Tx, provider: Provider, row: ClinicRow): Promise<ChatTarget["clinic"]> {
    const cached = this.#cached(row);
    if (cached.chat) return cached.chat;
    const texts = await this.#textsIn(tx, row, cached);
    const hasBranches = await this.#branchesIn(tx, provider, row, cached);
    // The clinic as texts show it: its phone formatted once here (libphonenumber), not per message.
    const fields = clinicTextFields(row.name, cached.settings);
    cached.chat = { id: row.id, name: row.name, timezone: row.timezone, locale: row.locale, settings: cached.settings, fields, texts, hasBranches };
    return cached.chat;
  }

  /** The clinic's own published texts, read and compiled once per version, in the caller's transaction. */
  #textsIn(tx: Tx, row: ClinicRow, cached: Cached): Promise<TextLayer> {
    if (!cached.texts) {
      const pending = loadClinicTexts(tx, row.id);
      // A failed read is not kept: the next message tries again.
      pending.catch(() => {
        if (cached.texts === pending) delete cached.texts;
      });
      cached.texts = pending;
    }
    return cached.texts;
  }

  /** Whether the clinic lists any branch, read once per version in the caller's transaction. */
  #branchesIn(tx: Tx, provider: Provider, row: ClinicRow, cached: Cached): Promise<boolean> {
    if (!cached.branches) {
      const pending = clinicHasBranches(typedSqlOn(tx, provider), row.id);
      pending.catch(() => {
        if (cached.branches === pending) delete cached.branches;
      });
      cached.branches = pending;
    }
    return cached.branches;
  }

  #cached(row: ClinicRow): Cached {
    const key = `${row.id}:${row.updatedAt.getTime()}`;
    let cached = this.#versions.touch(key);
    if (!cached) {
      cached = { settings: parseClinicSettings("settingsText" in row ? JSON.parse(row.settingsText) : row.settings) };
      this.#versions.set(key, cached);
    }
    return cached;
  }
}

// By database, not by process: two databases (tests, a CLI beside a server) may both have a
// clinic 1 edited at the same millisecond.
const sources = new WeakMap<Database, ClinicSource>();

/** The clinic source of one database, shared by everything in the process that uses it. */
export function clinicSource(db: Database): ClinicSource {
  let source = sources.get(db);
  if (!source) sources.set(db, (source = new ClinicSource()));
  return source;
}
