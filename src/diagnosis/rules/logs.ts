import { isErrorLine, startsNewRecord } from "../../context/log-lines.js";
import type { CondensedLog, InvestigationContext } from "../../context/types.js";

/** One log line that matched a rule's pattern, with where it came from. */
export interface LogHit {
  container: string;
  previous: boolean;
  /** 1-based line number in the original log. */
  n: number;
  text: string;
  match: RegExpExecArray;
  evidenceId: string;
  log: CondensedLog;
  /** True when an earlier, separate log record already reported an error: the hit is probably a consequence, not the cause. */
  late: boolean;
}

/** The logs of one container in the order a person reads them after a crash: the previous run first, then the current one. */
export function containerLogs(ctx: InvestigationContext, container: string): { log: CondensedLog; previous: boolean }[] {
  const logs = ctx.logs[container];
  if (!logs) return [];
  const out: { log: CondensedLog; previous: boolean }[] = [];
  if (logs.previous) out.push({ log: logs.previous, previous: true });
  if (logs.current) out.push({ log: logs.current, previous: false });
  return out;
}

/** Line number of the first error-looking line: the collector's when it found one, else our own reading. */
export function firstErrorLine(log: CondensedLog): number | undefined {
  if (log.firstErrorLine !== undefined) return log.firstErrorLine;
  return log.lines.find((l) => isErrorLine(l.text))?.n;
}

/** Whether a new log record starts between the first error and line n (so line n belongs to a later, separate error). */
function isLate(log: CondensedLog, n: number): boolean {
  const first = firstErrorLine(log);
  if (first === undefined || n <= first) return false;
  return log.lines.some((l) => l.n > first && l.n <= n && startsNewRecord(l.text) && isErrorLine(l.text));
}

/** First line of the container's logs (previous run first) matching re. */
export function findInLogs(ctx: InvestigationContext, container: string, re: RegExp): LogHit | undefined {
  for (const { log, previous } of containerLogs(ctx, container)) {
    for (const line of log.lines) {
      const match = re.exec(line.text);
      if (match) return { container, previous, n: line.n, text: line.text, match, evidenceId: log.evidenceId, log, late: isLate(log, line.n) };
    }
  }
  return undefined;
}

/** First line matching any of the patterns, earliest line wins. */
export function findFirstOf(ctx: InvestigationContext, container: string, patterns: RegExp[]): LogHit | undefined {
  let best: LogHit | undefined;
  for (const re of patterns) {
    const hit = findInLogs(ctx, container, re);
    if (hit && (!best || earlier(hit, best))) best = hit;
  }
  return best;
}

function earlier(a: LogHit, b: LogHit): boolean {
  if (a.previous !== b.previous) return a.previous;
  return a.n < b.n;
}

/** The lines after a hit (a stack trace, the rest of a message), up to max lines, for excerpts and parsing. */
export function linesAfter(hit: LogHit, max: number): string[] {
  return hit.log.lines.filter((l) => l.n > hit.n && l.n <= hit.n + max).map((l) => l.text);
}

/** A short excerpt around a hit: the line and a few after it. */
export function excerptOf(hit: LogHit, after = 4): string {
  const lines = hit.log.lines.filter((l) => l.n >= hit.n && l.n <= hit.n + after);
  return lines.map((l) => `L${l.n}: ${l.text}`).join("\n").slice(0, 1500);
}

/** The first error line of the container's logs, for Unknown and fallback diagnoses. */
export function firstError(ctx: InvestigationContext, container: string): { text: string; n: number; evidenceId: string } | undefined {
  for (const { log } of containerLogs(ctx, container)) {
    const n = firstErrorLine(log);
    const line = n === undefined ? undefined : log.lines.find((l) => l.n === n);
    if (line) return { text: line.text, n: line.n, evidenceId: log.evidenceId };
  }
  return undefined;
}

/** Shortens a log line for summaries. */
export function clip(text: string, max = 140): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}
