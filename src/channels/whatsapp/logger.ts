// The logging the WhatsApp adapter needs: a pino logger fits, and the default says nothing.
type LogFn = (obj: object, msg?: string) => void;

export interface WhatsAppLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const quiet: LogFn = () => {};
export const silentLogger: WhatsAppLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
