// The Logger port: the subset of pino's interface that the service writes to.

type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
