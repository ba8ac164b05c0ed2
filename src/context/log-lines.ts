/**
 * Line classification for log condensing: what looks like an error, what
 * continues a stack trace, what starts a new log record, and a normal form
 * under which lines that differ only in numbers, timestamps and ids collapse.
 */

const ERROR_WORDS =
  /\b(?:error|errors?:|err|fatal|panic|panicked|exception|traceback|failed|failure|refused|denied|cannot|can't|could not|unable|not found|no such|killed|segmentation fault|timed? ?out|unhandled|uncaught|critical|emerg|abort(?:ed)?|invalid|missing|unreachable|exceeded|expired|oomkilled|out of memory)\b/i;
const ERROR_LEVEL = /(?:^|\s|\[|")(?:E\d{4} |level=(?:error|fatal|panic|crit)|"level":\s*"(?:error|fatal|panic|critical)"|\[(?:ERROR|FATAL|CRIT|CRITICAL|SEVERE)\]|ERROR|FATAL|SEVERE|CRITICAL)/;
const NOT_ERROR = /\b(?:0 errors?|no errors?|without errors?|error_count=0|errors=0)\b/i;

export function isErrorLine(line: string): boolean {
  if (NOT_ERROR.test(line)) return false;
  return ERROR_LEVEL.test(line) || ERROR_WORDS.test(line);
}

const NEW_RECORD =
  /^(?:\d{4}[-/]\d{2}[-/]\d{2}[T ]|\[?\d{2}:\d{2}:\d{2}|[IWEF]\d{4} \d|\{"|level=|time=|ts=|t=|\[(?:INFO|WARN|WARNING|DEBUG|TRACE|ERROR|FATAL)\]|(?:INFO|WARN|WARNING|DEBUG|TRACE|ERROR|FATAL|CRITICAL|PANIC)\b)/;

/** True when the line begins a new log record (timestamp, level, JSON object) rather than continuing one. */
export function startsNewRecord(line: string): boolean {
  return NEW_RECORD.test(line);
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const CLOCK = /\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b(?:0x)?[0-9a-f]{8,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/** The line with timestamps, ids, hex and numbers replaced, so near-identical lines compare equal. */
export function normalizeLine(line: string): string {
  return line.replace(TIMESTAMP, "<ts>").replace(CLOCK, "<t>").replace(UUID, "<id>").replace(HEX, "<hex>").replace(NUMBER, "<n>").trim();
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Strips ANSI colour codes, carriage returns and other control characters; tabs stay. */
export function cleanLine(line: string): string {
  return line.replace(ANSI, "").replace(CONTROL, "");
}
