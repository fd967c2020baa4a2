// SQLite in WAL mode copies the log back into the database file ("checkpoint") inside whichever
// commit crosses 1,000 pages, with two fsyncs: on the inbound path that was half of all commit
// time, paid by one patient's message in forty (bench/results/profile.md). Here a worker thread
// with its own connection checkpoints every second instead, beside the event loop. A PASSIVE
// checkpoint never blocks a reader or writer; should the worker stall or die, the connection's
// own automatic checkpoint, raised to CHECKPOINT_FALLBACK_PAGES, still bounds the log.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_INTERVAL_MS = 1000;
/** The main connection checkpoints by itself only past this many pages (40 MiB at 4 KiB). */
export const CHECKPOINT_FALLBACK_PAGES = 10_000;

// Plain CommonJS run with `eval`: a worker needs no TypeScript loader this way. The driver's
// path is resolved here, since an eval'd worker resolves modules from the working directory.
const DRIVER = createRequire(import.meta.url).resolve("better-sqlite3");
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma("synchronous = NORMAL");
let pages = 0;
const checkpoint = () => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    if (result && result.checkpointed > 0) {
      pages += result.checkpointed;
      parentPort.postMessage({ type: "checkpointed", pages: result.checkpointed, total: pages });
    }
  } catch (error) {
    // Busy or locked: the next tick tries again.
    parentPort.postMessage({ type: "skipped", error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface CheckpointEvent {
  type: "checkpointed" | "skipped";
  pages?: number;
  total?: number;
  error?: string;
}

export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  /** Pages copied into the database file so far. */
  pagesCheckpointed = 0;
  /** Why the worker stopped early, if it did (the fallback checkpoint is in charge then). */
  failure: string | null = null;
  onEvent?: (event: CheckpointEvent) => void;

  constructor(file: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver: DRIVER } });
    // Never what keeps a finished command (carebot jobs run …) alive.
    this.#worker.unref();
    this.#worker.on("message", (event: CheckpointEvent) => {
      if (event.type === "checkpointed") this.pagesCheckpointed = event.total ?? this.pagesCheckpointed;
      this.onEvent?.(event);
    });
    // A worker that cannot start (the file vanished) leaves the fallback checkpoint in charge.
    this.#worker.on("error", (error) => {
      this.failure = error.message;
    });
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
  }

  /** Checkpoints once more, closes the worker's connection and waits for the thread to end. */
  async stop(): Promise<void> {
    // Held open while it finishes: an awaited thread that is unref'd would let Node exit under us.
    this.#worker.ref();
    this.#worker.postMessage("stop");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
    await Promise.race([this.#exited, timeout]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }
}
