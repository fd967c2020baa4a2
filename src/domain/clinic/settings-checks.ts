import type { saysParams } from "../../i18n/zod.ts";

/**
 * What a settings document needs judged by parts the domain does not know: whether a canned reply
 * is a usable template (the template engine: src/flows/templates/canned-reply-problem.ts) and
 * whether a schedule can run (the scheduler: src/scheduler/runnable.ts). The console and the CLI
 * pass both (src/operators/settings/checks.ts).
 */
export interface SettingsChecks {
  /** Why the text is not a usable template, as the words of the schema's texts, or null. */
  templateProblem(text: string): ReturnType<typeof saysParams> | null;
  /** Why the scheduler cannot run the cron expression, or null. */
  cronProblem(expression: string): string | null;
}
