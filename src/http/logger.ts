// The logging interface the app writes to: the subset of pino's that it uses.

type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
