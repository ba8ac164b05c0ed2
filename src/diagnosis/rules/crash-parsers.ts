import type { InvestigationContext } from "../../context/types.js";
import { findInLogs, linesAfter, type LogHit } from "./logs.js";

/** An application crash read off a runtime's crash report. */
export interface Crash {
  runtime: "Go" | "Java" | "Node.js" | "Python" | "Rust" | ".NET" | "Ruby" | "native";
  /** Exception type or panic kind, e.g. java.lang.NullPointerException, TypeError, panic. */
  kind: string;
  message: string;
  /** First frame in the application's own code, when the trace shows one. */
  location?: string;
  hit: LogHit;
}

interface Parser {
  runtime: Crash["runtime"];
  start: RegExp;
  parse(hit: LogHit, after: string[]): Omit<Crash, "runtime" | "hit">;
}

function firstMatch(lines: string[], re: RegExp, skip?: RegExp): RegExpExecArray | undefined {
  for (const line of lines) {
    const m = re.exec(line);
    if (m && !(skip && skip.test(line))) return m;
  }
  return undefined;
}

function lastMatch(lines: string[], re: RegExp): RegExpExecArray | undefined {
  let out: RegExpExecArray | undefined;
  for (const line of lines) out = re.exec(line) ?? out;
  return out;
}

const PARSERS: Parser[] = [
  {
    runtime: "Go",
    start: /^(?:panic: (.+)|fatal error: (.+))$/,
    parse: (hit, after) => {
      const message = (hit.match[1] ?? hit.match[2] ?? "").replace(/\s*\[recovered\]$/, "");
      const signal = firstMatch(after, /^\[signal (\w+)/);
      const loc = firstMatch(after, /^\s+(\/\S+\.go:\d+)/, /\/(?:usr\/local\/go|go\/src|runtime)\//);
      return { kind: hit.match[1] ? "panic" : "fatal error", message: signal ? `${message} (${signal[1]})` : message, location: loc?.[1] };
    },
  },
  {
    runtime: "Rust",
    start: /thread '([^']+)' panicked at (?:'([^']*)', )?([\w/.-]+\.rs:\d+:\d+):?(.*)$/,
    parse: (hit, after) => ({ kind: "panic", message: hit.match[2] ?? (hit.match[4]?.trim() || after[0]?.trim() || ""), location: hit.match[3] }),
  },
  {
    runtime: ".NET",
    start: /Unhandled exception\. ([\w.]+(?:Exception|Error)): ?(.*)$/,
    parse: (hit, after) => ({ kind: hit.match[1]!, message: hit.match[2] ?? "", location: firstMatch(after, /\bin (\/\S+\.cs:line \d+)/)?.[1] ?? firstMatch(after, /^\s+at ([\w.]+\.\w+\()/, /at (System|Microsoft)\./)?.[1] }),
  },
  {
    runtime: "Python",
    start: /^Traceback \(most recent call last\):/,
    parse: (_hit, after) => {
      const end = after.findIndex((l) => /^[A-Za-z_][\w.]*(?:: .*)?$/.test(l) && !/^\s/.test(l));
      const block = end >= 0 ? after.slice(0, end + 1) : after;
      const last = end >= 0 ? /^([\w.]+)(?:: (.*))?$/.exec(after[end]!) : undefined;
      const frame = lastMatch(block, /File "([^"]+)", line (\d+), in (\S+)/);
      return { kind: last?.[1] ?? "exception", message: last?.[2] ?? "", location: frame ? `${frame[1]}:${frame[2]} in ${frame[3]}` : undefined };
    },
  },
  {
    runtime: "Java",
    start: /^(?:Exception in thread "[^"]+" )?((?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))(?:: (.*))?$/,
    parse: (hit, after) => {
      const caused = lastMatch(after, /^Caused by: ([\w.$]+)(?:: (.*))?$/);
      const loc = firstMatch(after, /^\s+at ((?:[\w$]+\.)+[\w$<>]+\([\w$]+\.(?:java|kt|scala):\d+\))/, /at (?:java|javax|jdk|sun|kotlin|scala|org\.springframework|org\.apache|com\.fasterxml)\./);
      return { kind: caused?.[1] ?? hit.match[1]!, message: caused?.[2] ?? hit.match[2] ?? "", location: loc?.[1] };
    },
  },
  {
    runtime: "Node.js",
    start: /^(?:Uncaught |\[UnhandledPromiseRejection: .*?)?(\w*(?:Error|Exception))(?: \[\w+\])?: (.+)$|^(node:internal\/\S+)/,
    parse: (hit, after) => {
      const err = hit.match[1] ? hit.match : firstMatch(after, /^(\w*(?:Error|Exception))(?: \[\w+\])?: (.+)$/);
      const loc = firstMatch(after, /^\s+at (?:.* \()?(\/[^):]+:\d+(?::\d+)?)\)?/, /node_modules|node:internal/);
      return { kind: err?.[1] ?? "Error", message: err?.[2] ?? "", location: loc?.[1] };
    },
  },
  {
    runtime: "Ruby",
    start: /^(\S+\.rb:\d+):in [`'][^']*': (.+) \((\w+(?:::\w+)*)\)$/,
    parse: (hit) => ({ kind: hit.match[3]!, message: hit.match[2]!, location: hit.match[1] }),
  },
  {
    runtime: "native",
    start: /(Segmentation fault|Assertion [`'].*' failed|core dumped|SIGSEGV|SIGABRT|double free or corruption)/,
    parse: (hit) => ({ kind: hit.match[1]!, message: hit.text.trim() }),
  },
];

/** A Node.js error must come with a stack ("    at ...") to count as a crash, not a logged message. */
function hasStack(hit: LogHit): boolean {
  return linesAfter(hit, 3).some((l) => /^\s+at /.test(l) || /^\s*\^/.test(l));
}

function earlier(a: LogHit, b: LogHit): boolean {
  return a.previous === b.previous ? a.n < b.n : a.previous;
}

/** The earliest crash report in the container's logs. */
export function findCrash(ctx: InvestigationContext, container: string): Crash | undefined {
  let best: Crash | undefined;
  for (const p of PARSERS) {
    const hit = findInLogs(ctx, container, p.start);
    if (!hit) continue;
    if ((p.runtime === "Node.js" || p.runtime === "Java") && !hit.match[3] && !hasStack(hit) && !/^(Uncaught|Exception in thread)/.test(hit.text)) continue;
    if (best && !earlier(hit, best.hit)) continue;
    best = { runtime: p.runtime, hit, ...p.parse(hit, linesAfter(hit, 60)) };
  }
  return best;
}
