import pino from "pino";
import type { Logger } from "pino";
import { maskName, maskPhone } from "./util/privacy.ts";

export type { Logger };

// Keys that may carry a patient's phone or name anywhere in a log object. They are masked, never
// dropped, so a log line still tells an engineer which record it was about.
const PHONE_KEYS = ["phone", "phoneNumber", "phone_number"];
const NAME_KEYS = ["fullName", "firstName", "lastName", "first_name", "last_name", "username", "displayName", "name"];
const paths = [...PHONE_KEYS, ...NAME_KEYS].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  level?: string;
  /** Pretty, coloured lines for a person at a terminal; JSON otherwise. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !process.env.CI);
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "carebot" },
      redact: {
        paths,
        censor: (value, path) => {
          const key = path[path.length - 1] ?? "";
          if (typeof value !== "string") return value === undefined || value === null ? value : "[redacted]";
          return PHONE_KEYS.includes(key) ? maskPhone(value) : maskName(value);
        },
      },
      ...(pretty && !options.destination
        ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service" } } }
        : {}),
    },
    options.destination,
  );
}
