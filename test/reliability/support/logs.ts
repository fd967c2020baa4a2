// A pino destination that keeps every line in memory, so a test can read what the service logged.
import type { DestinationStream } from "pino";

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface MemoryLog extends DestinationStream {
  readonly lines: LogLine[];
  /** Lines at `level` (pino numbers: 40 warn, 50 error) or above. */
  atLeast(level: number): LogLine[];
}

export function memoryLog(): MemoryLog {
  const lines: LogLine[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
    },
    atLeast: (level) => lines.filter((l) => l.level >= level),
  };
}
