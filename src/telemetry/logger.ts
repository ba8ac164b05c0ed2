// The process logger: pino JSON lines with stable base fields.
import { hostname } from "node:os";
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

export interface LoggerOptions {
  level: string;
  /** Component name, logged as `name`; default "production-fixer". */
  name?: string;
  /** Where the lines go; stdout by default. */
  destination?: DestinationStream;
}

/** A JSON logger with `name`, `pid`, `hostname` and ISO timestamps on every line. */
export function createLogger(opts: LoggerOptions): Logger {
  const options = {
    name: opts.name ?? "production-fixer",
    level: opts.level,
    base: { pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.errWithCause },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
