import { createRouter } from "../../../conversations/create-router.ts";
import type { PreviewHost, PreviewSandbox } from "../host.ts";
import { openDatabase } from "../../../db/client.ts";
import { ThrowawaySqlite } from "../../../db/throwaway-sqlite.ts";
import { copyPatientFacts } from "./copy-patient-facts.ts";
import { withFlow } from "../../../flows/clinic-catalog.ts";
import type { LoadedFlow } from "../../../flows/loader/catalog.ts";

/** How many patients' sandboxes stay open at once; the longest unused one is closed for a new one. */
export const OPEN_SANDBOX_LIMIT = 20;

interface Sandbox {
  carebot: PreviewSandbox;
  file: string;
}

/**
 * The preview's sandboxes: one throwaway SQLite database per previewed patient, holding a copy of
 * the clinic (its settings) and of that patient's facts taken when the sandbox opens. A sandbox is
 * the CareBot the preview talks to: the same flows and the same router, pointed at the copy, so
 * everything a flow writes (bookings, points, NPS, escalations, outbox, conversations) stays in
 * it and never reaches the clinic's database, the dashboard, the MIS API or the console queue.
 * Nobody dispatches a sandbox's outbox: the preview reads what a flow said from its transcript.
 */
export class PreviewSandboxes {
  readonly #files: ThrowawaySqlite;
  /** By patient id, the longest unused first. */
  readonly #open = new Map<number, Promise<Sandbox>>();

  readonly #limit: number;
  /** The draft flow version a patient's sandbox runs instead of the clinic's live one, if any. */
  readonly #drafts = new Map<number, LoadedFlow>();

  constructor(
    private readonly clinic: PreviewHost,
    options: { limit?: number } = {},
  ) {
    this.#files = new ThrowawaySqlite("carebot-preview-");
    this.#limit = options.limit ?? OPEN_SANDBOX_LIMIT;
  }

  /** Where the sandboxes' files are (a folder of its own under the system's temp folder). */
  get folder(): string {
    return this.#files.folder;
  }

  /**
   * The patient's sandbox with their facts as the clinic has them now: a new one, or the open one
   * with its copy refreshed (its chat and conversations stay).
   */
  async open(patientId: number): Promise<PreviewSandbox> {
    const open = this.#touch(patientId);
    if (open) return this.refresh((await open).carebot, patientId);
    // In the map while it is made, so that a second request waits for it rather than making another.
    const made = this.#make(patientId);
    this.#open.set(patientId, made);
    let sandbox: Sandbox;
    try {
      sandbox = await made;
    } catch (error) {
      if (this.#open.get(patientId) === made) this.#open.delete(patientId);
      throw error;
    }
    // Only a sandbox that opened makes room: a failed one closes nobody else's.
    await this.#evictBeyondLimit();
    return sandbox.carebot;
  }

  /** The patient's open sandbox, or null (none opened since the service started, or closed since). */
  async find(patientId: number): Promise<PreviewSandbox | null> {
    const open = this.#touch(patientId);
    return open ? (await open).carebot : null;
  }

  /** Copies the patient's facts into their open sandbox again, replacing what flows changed there. */
  async refresh(sandbox: PreviewSandbox, patientId: number): Promise<PreviewSandbox> {
    await copyPatientFacts(this.clinic.db.prisma, sandbox.db, { clinicId: this.clinic.clinic.id, patientId, now: this.clinic.clock.now() });
    return sandbox;
  }

  /**
   * Runs `draft` (an unpublished version from the console) in the patient's sandbox in place of
   * the clinic's version of that flow; null goes back to what the clinic runs.
   */
  useDraft(patientId: number, draft: LoadedFlow | null): void {
    if (draft) this.#drafts.set(patientId, draft);
    else this.#drafts.delete(patientId);
  }

  /** Throws the patient's sandbox away and opens a new one from the clinic's data as it is now. */
  async renew(patientId: number): Promise<PreviewSandbox> {
    await this.#close(patientId);
    return this.open(patientId);
  }

  /** Closes every sandbox and deletes their files. */
  async close(): Promise<void> {
    await Promise.all([...this.#open.keys()].map((id) => this.#close(id)));
    this.#files.dispose();
  }

  #touch(patientId: number): Promise<Sandbox> | undefined {
    const open = this.#open.get(patientId);
    if (open) {
      this.#open.delete(patientId);
      this.#open.set(patientId, open);
    }
    return open;
  }

  async #make(patientId: number): Promise<Sandbox> {
    const { clinic } = this;
    const config = await this.#files.create();
    // One connection and no checkpoint thread: a sandbox is one staff member's chat.
    const db = openDatabase(config, { backgroundCheckpoint: false });
    try {
      await copyPatientFacts(clinic.db.prisma, db, { clinicId: clinic.clinic.id, patientId, now: clinic.clock.now() });
    } catch (error) {
      await db.close();
      this.#files.remove(config.file);
      throw error;
    }
    // The clinic's own flow versions (read from its database), with the draft being tried, if any.
    const catalogFor = async () => {
      const live = await clinic.router.clinicCatalog();
      const draft = this.#drafts.get(patientId);
      return draft ? withFlow(live, draft) : live;
    };
    const clinicCatalogs = { catalogFor, current: catalogFor };
    const router = createRouter({ db, clock: clinic.clock, logger: clinic.logger, flows: clinic.flows, clinicId: clinic.clinic.id, clinicCatalogs });
    return { carebot: { db, clock: clinic.clock, clinic: clinic.clinic, router }, file: config.file };
  }

  async #close(patientId: number): Promise<void> {
    this.#drafts.delete(patientId);
    const open = this.#open.get(patientId);
    if (!open) return;
    this.#open.delete(patientId);
    const sandbox = await open.catch(() => null);
    if (!sandbox) return;
    await sandbox.carebot.db.close();
    this.#files.remove(sandbox.file);
  }

  async #evictBeyondLimit(): Promise<void> {
    while (this.#open.size > this.#limit) await this.#close(this.#open.keys().next().value!);
  }
}
