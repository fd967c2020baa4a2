import { ConfigError } from "../config.ts";

/** Exit codes: 1 = the command failed, 2 = it was called or configured wrongly. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Prints one line a person can act on and ends the process; stack traces only with DEBUG=1. */
export function failAndExit(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`carebot: configuration: ${error.message}\n`);
    process.exit(EXIT_USAGE);
  }
  const err = error as NodeJS.ErrnoException;
  const line =
    err?.code === "EADDRINUSE"
      ? `the port is already in use (${err.message}); set PORT to a free one`
      : err?.code === "ECONNREFUSED"
        ? `cannot reach the database (${err.message}); is PostgreSQL running and DATABASE_URL right?`
        : (err?.message ?? String(error));
  process.stderr.write(`carebot: ${line}\n`);
  if (process.env.DEBUG === "1" && err?.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(EXIT_FAILURE);
}
