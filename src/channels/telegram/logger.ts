// The logging the adapters need: a pino logger fits, and the default says nothing.
type LogFn = (obj: object, msg?: string) => void;

export interface TelegramLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const quiet: LogFn = () => {};
export const silentLogger: TelegramLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
