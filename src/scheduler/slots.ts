import type { ScheduledTask } from "node-cron";

const MINUTE = 60_000;

/**
 * The latest minute in (now − window, now] that a cron task matches, or null. node-cron matches
 * in the task's own time zone; stepping back a minute at a time costs ~90 ms for three days,
 * once per job at start, which beats a second cron parser.
 */
export function previousSlot(task: Pick<ScheduledTask, "match">, now: Date, windowMs: number): Date | null {
  const latest = Math.floor(now.getTime() / MINUTE) * MINUTE;
  for (let t = latest; t > now.getTime() - windowMs; t -= MINUTE) {
    const slot = new Date(t);
    if (task.match(slot)) return slot;
  }
  return null;
}
