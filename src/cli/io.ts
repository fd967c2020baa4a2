// What a run of the command line reads and writes. The real `carebot` passes its process's (src/cli.ts);
// the tests pass strings and buffers, to run a command in their own process (test/support/cli.ts).
import type { Readable, Writable } from "node:stream";

export interface CliIo {
  /** The environment the command reads: its configuration, language and DEBUG. */
  env: Record<string, string | undefined>;
  /** A terminal's stdin has isTTY and setRawMode (a typed password is not echoed). */
  stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; hasColors?(): boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number; hasColors?(): boolean };
}

/** The output half of CliIo, for the commands that only print. */
export type CliOutput = Pick<CliIo, "stdout" | "stderr">;
