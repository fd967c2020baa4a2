// What the preview uses, named narrowly: of the CareBot it serves, and of a patient's sandbox.
import type { CareBot } from "../../core.ts";
import type { ConversationRouter } from "../../conversations/router.ts";

/** The CareBot whose clinic is previewed: its data and flows are copied into sandboxes, never written. */
export type PreviewHost = Pick<CareBot, "db" | "clock" | "logger" | "clinic" | "flows"> & { router: Pick<ConversationRouter, "clinicCatalog"> };

/** A previewed patient's sandbox: the same flows and router over a throwaway copy of the clinic's data. */
export type PreviewSandbox = Pick<CareBot, "db" | "clock" | "clinic"> & { router: ConversationRouter };
