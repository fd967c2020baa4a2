/** Console settings read from the environment (src/config.ts belongs to the core; these are the console's own). */
export interface ConsoleOptions {
  /** A held conversation with no operator activity this long goes back to the bot (OPERATOR_IDLE_MINUTES, default 30). */
  idleMinutes: number;
  /** How often the idle check and the queue poll run. */
  tickMs: number;
  /** Server-Sent Events heartbeat. */
  heartbeatMs: number;
}

export function consoleOptions(env: Record<string, string | undefined> = process.env, overrides: Partial<ConsoleOptions> = {}): ConsoleOptions {
  const raw = env.OPERATOR_IDLE_MINUTES;
  let idleMinutes = 30;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 24 * 60) throw new Error(`OPERATOR_IDLE_MINUTES: must be a whole number of minutes from 1 to 1440, got "${raw}"`);
    idleMinutes = n;
  }
  return { idleMinutes, tickMs: 30_000, heartbeatMs: 25_000, ...overrides };
}
