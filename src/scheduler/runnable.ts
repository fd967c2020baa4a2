// Whether a stored schedule can run: CareBot's reader (the one the settings page explains with)
// and node-cron (the one that runs it) must both accept it, so the page never calls a saved
// schedule wrong and the scheduler never meets one it cannot start.
import nodeCron from "node-cron";
import { explainCron } from "../domain/schedules/explain.ts";

/** Null when the expression runs; else what is wrong with it, in English (server messages). */
export function cronProblem(expression: string): string | null {
  const explained = explainCron(expression, "en");
  if (!explained.ok) return explained.error.replace(/^Not a schedule: /, "");
  return nodeCron.validate(expression.trim()) ? null : "node-cron cannot run it";
}
