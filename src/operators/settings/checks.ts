import type { SettingsChecks } from "../../domain/clinic/settings-checks.ts";
import { cannedReplyProblem } from "../../flows/templates/canned-reply-problem.ts";
import { cronProblem } from "../../scheduler/runnable.ts";

/** The template engine's and the scheduler's word on a submitted settings document. */
export const settingsChecks: SettingsChecks = { templateProblem: cannedReplyProblem, cronProblem };
