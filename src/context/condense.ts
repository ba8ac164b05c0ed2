import { cleanLine, isErrorLine, normalizeLine, startsNewRecord } from "./log-lines.js";
import { redact } from "./redact.js";
import type { CondensedLog } from "./types.js";

/**
 * Log condensing: one pass over the text, line by line, with bounded state, so
 * a 50 MB log costs no more memory than a small one. Keeps the first lines,
 * the first error with a few lines before it and its stack trace, other
 * distinct errors with how often they occurred, and the last lines before
 * exit; consecutive lines equal up to numbers/timestamps/ids collapse into one
 * with a repeat count. Kept lines carry their original 1-based line numbers and
 * are redacted.
 */

export const DEFAULT_LOG_MAX_BYTES = 12_000;
const MAX_LINE_CHARS = 600;
const HEAD_LINES = 5;
const CONTEXT_BEFORE_ERROR = 3;
const STACK_LINES = 40;
const TAIL_ENTRIES = 30;
const DISTINCT_ERRORS = 12;
const COUNTED_SIGNATURES = 500;

export interface CondenseOptions {
  evidenceId: string;
  maxBytes?: number;
}

interface Entry {
  n: number;
  text: string;
  key: string;
  repeat: number;
  priority: number;
  /** For distinct errors: how often the normal form occurred in the whole log. */
  seen?: number;
}

export type CondensedLogResult = CondensedLog & { redactions: number };

/** Priorities: lower is kept first when the byte budget is short. */
const P = { firstError: 0, lastLines: 1, stack: 2, context: 3, tail: 4, errors: 5, head: 6 } as const;

class Scanner {
  head: Entry[] = [];
  before: Entry[] = [];
  errorBlock: Entry[] = [];
  tail: Entry[] = [];
  errors = new Map<string, Entry>();
  errorCounts = new Map<string, number>();
  firstError?: number;
  stackOpen = false;
  lines = 0;
  cut = false;

  add(n: number, raw: string): void {
    this.lines = n;
    if (raw.length > MAX_LINE_CHARS) this.cut = true;
    const text = cleanLine(raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}…` : raw);
    const entry: Entry = { n, text, key: normalizeLine(text), repeat: 1, priority: P.tail };
    this.addHead(entry);
    this.track(entry);
    pushCollapsed(this.tail, entry, TAIL_ENTRIES);
  }

  private addHead(entry: Entry): void {
    const last = this.head[this.head.length - 1];
    const continuesRun = last !== undefined && last.key === entry.key && last.n + last.repeat === entry.n;
    if (continuesRun) last.repeat++;
    else if (this.head.length < HEAD_LINES && (!last || last.n + last.repeat === entry.n)) this.head.push({ ...entry, priority: P.head });
  }

  private track(entry: Entry): void {
    const error = entry.text.trim() !== "" && isErrorLine(entry.text);
    if (this.firstError === undefined) {
      if (!error) return pushCollapsed(this.before, { ...entry, priority: P.context }, CONTEXT_BEFORE_ERROR);
      this.firstError = entry.n;
      this.stackOpen = true;
      this.errorBlock.push({ ...entry, priority: P.firstError });
      return this.count(entry);
    }
    if (this.stackOpen) this.continueStack(entry);
    else if (error) this.count(entry);
  }

  private continueStack(entry: Entry): void {
    const ended = this.errorBlock.length > STACK_LINES || startsNewRecord(entry.text);
    if (ended) {
      this.stackOpen = false;
      if (isErrorLine(entry.text)) this.count(entry);
      return;
    }
    pushCollapsed(this.errorBlock, { ...entry, priority: P.stack }, STACK_LINES + 1);
  }

  private count(entry: Entry): void {
    const seen = this.errorCounts.get(entry.key);
    if (seen !== undefined) {
      this.errorCounts.set(entry.key, seen + 1);
      return;
    }
    if (this.errorCounts.size < COUNTED_SIGNATURES) this.errorCounts.set(entry.key, 1);
    if (this.errors.size < DISTINCT_ERRORS) this.errors.set(entry.key, { ...entry, priority: P.errors });
  }
}

/** Appends, merging into the previous entry when the normal forms match; drops the oldest beyond `max`. */
function pushCollapsed(list: Entry[], entry: Entry, max: number): void {
  const last = list[list.length - 1];
  if (last && last.key === entry.key && last.n + last.repeat === entry.n) {
    last.repeat++;
    return;
  }
  list.push(entry);
  if (list.length > max) list.shift();
}

function* linesOf(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    // Never copy more than needed of an overlong line.
    const line = text.slice(start, Math.min(end, start + MAX_LINE_CHARS + 1));
    yield line.endsWith("\r") ? line.slice(0, -1) : line;
    start = end + 1;
  }
}

function candidates(s: Scanner): Entry[] {
  const tail = s.tail.map((e, i) => ({ ...e, priority: i >= s.tail.length - 5 ? P.lastLines : P.tail }));
  const errors = [...s.errors.values()].map((e) => ({ ...e, seen: s.errorCounts.get(e.key) ?? 1 }));
  const before = s.firstError !== undefined ? s.before : [];
  return [...s.errorBlock, ...tail, ...before, ...errors, ...s.head];
}

function render(e: { n: number; text: string; repeat?: number; seen?: number }): string {
  const times = e.repeat && e.repeat > 1 ? `  [×${e.repeat}]` : "";
  const seen = e.seen && e.seen > 1 ? `  [seen ${e.seen} times in this log]` : "";
  return `${e.n}: ${e.text}${times}${seen}`;
}

/** Picks entries by priority within the byte budget, one per line number, in line order. */
function select(all: Entry[], maxBytes: number): Entry[] {
  const byLine = new Map<number, Entry>();
  let bytes = 0;
  for (const e of [...all].sort((a, b) => a.priority - b.priority || a.n - b.n)) {
    const same = byLine.get(e.n);
    if (same) {
      same.repeat = Math.max(same.repeat, e.repeat);
      continue;
    }
    const size = Buffer.byteLength(render(e)) + 1;
    if (bytes + size > maxBytes) continue;
    byLine.set(e.n, { ...e });
    bytes += size;
  }
  const out: Entry[] = [];
  let coveredUntil = 0;
  for (const e of [...byLine.values()].sort((a, b) => a.n - b.n)) {
    if (e.n < coveredUntil) continue; // inside a collapsed run kept earlier
    out.push(e);
    coveredUntil = e.n + e.repeat;
  }
  return out;
}

function renderText(kept: { n: number; text: string; repeat?: number; seen?: number }[], total: number): string {
  const out: string[] = [];
  let next = 1;
  for (const e of kept) {
    if (e.n > next) out.push(`… ${e.n - next} line(s) omitted …`);
    out.push(render(e));
    next = e.n + (e.repeat ?? 1);
  }
  if (total >= next && kept.length > 0) out.push(`… ${total - next + 1} line(s) omitted …`);
  return out.join("\n");
}

/** Condenses a container log; see the module comment. Never holds more than a bounded number of lines. */
export function condenseLog(text: string, opts: CondenseOptions): CondensedLogResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const scanner = new Scanner();
  let n = 0;
  for (const line of linesOf(text)) scanner.add(++n, line);
  let redactions = 0;
  const kept = select(candidates(scanner), maxBytes).map((e) => {
    const r = redact(e.text);
    redactions += r.count;
    return { ...e, text: r.text };
  });
  const lines = kept.map((e) => (e.repeat > 1 ? { n: e.n, text: e.text, repeat: e.repeat } : { n: e.n, text: e.text }));
  const covered = lines.reduce((sum, l) => sum + (l.repeat ?? 1), 0);
  return {
    evidenceId: opts.evidenceId,
    text: renderText(kept, n),
    lines,
    ...(scanner.firstError !== undefined ? { firstErrorLine: scanner.firstError } : {}),
    totalLines: n,
    totalBytes: Buffer.byteLength(text),
    truncated: scanner.cut || covered < n,
    redactions,
  };
}

/** Evidence id citing a line range of a condensed log: `logs/shop/web-1/web/previous#L12-L30`. */
export function citeLines(log: Pick<CondensedLog, "evidenceId">, from: number, to: number = from): string {
  return `${log.evidenceId}#L${from}-L${to}`;
}
