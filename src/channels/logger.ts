// The logging a channel adapter needs: a pino logger fits, and the default says nothing.
type LogFn = (obj: object, msg?: string) => void;

export interface ChannelLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const quiet: LogFn = () => {};
export const silentLogger: ChannelLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
