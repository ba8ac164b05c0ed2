import type { SnapshotSeries } from "../api/snapshot.js";
import type { MetricsSource, PromRangeQuery, PromSample, PromSeries } from "./view.js";

/**
 * Metrics of a ClusterSnapshot answered like Prometheus would, for the small
 * PromQL subset evidence collection uses: selectors with =, !=, =~, !~;
 * `rate`/`increase` over a range; `max|min|sum|avg [by (labels)] (...)`;
 * a comparison filter (`> 0`); and `/` between two such expressions matched on
 * their labels. Anything else is a bad query.
 */

type Vector = PromSeries[];
interface Matcher {
  name: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export class SnapshotQueryError extends Error {
  override name = "SnapshotQueryError";
}

function parseMatchers(body: string): Matcher[] {
  const out: Matcher[] = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) out.push({ name: m[1]!, op: m[2] as Matcher["op"], value: m[3]!.replace(/\\(.)/g, "$1") });
  if (re.lastIndex !== body.length && body.trim() !== "" && out.length === 0) throw new SnapshotQueryError(`cannot parse label matchers {${body}}`);
  return out;
}

function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labels[m.name] ?? "";
  if (m.op === "=") return v === m.value;
  if (m.op === "!=") return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === "=~" ? re.test(v) : !re.test(v);
}

/** Splits `a / b` at a top-level slash. */
function splitTopLevel(expr: string, op: string): [string, string] | undefined {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === '"' && expr[i - 1] !== "\\") quoted = !quoted;
    if (quoted) continue;
    if ("({[".includes(ch)) depth++;
    if (")}]".includes(ch)) depth--;
    if (depth === 0 && ch === op) return [expr.slice(0, i), expr.slice(i + 1)];
  }
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
function seconds(d: string): number {
  const m = /^(\d+)([smhd])$/.exec(d.trim());
  if (!m) throw new SnapshotQueryError(`unsupported duration ${d}`);
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

function labelKey(labels: Record<string, string>, by?: string[]): string {
  const keys = by ?? Object.keys(labels).filter((k) => k !== "__name__").sort();
  return keys.map((k) => `${k}=${labels[k] ?? ""}`).join(",");
}

const AGG: Record<string, (vs: number[]) => number> = {
  max: (vs) => Math.max(...vs),
  min: (vs) => Math.min(...vs),
  sum: (vs) => vs.reduce((a, b) => a + b, 0),
  avg: (vs) => vs.reduce((a, b) => a + b, 0) / vs.length,
};

function aggregate(fn: string, by: string[] | undefined, input: Vector): Vector {
  const groups = new Map<string, { metric: Record<string, string>; byT: Map<number, number[]> }>();
  for (const s of input) {
    const key = labelKey(s.metric, by ?? []);
    const metric = Object.fromEntries((by ?? []).filter((k) => s.metric[k] !== undefined).map((k) => [k, s.metric[k]!]));
    const g = groups.get(key) ?? { metric, byT: new Map() };
    groups.set(key, g);
    for (const p of s.values) g.byT.set(p.t, [...(g.byT.get(p.t) ?? []), p.v]);
  }
  return [...groups.values()].map((g) => ({
    metric: g.metric,
    values: [...g.byT.entries()].sort((a, b) => a[0] - b[0]).map(([t, vs]) => ({ t, v: AGG[fn]!(vs) })),
  }));
}

function divide(a: Vector, b: Vector): Vector {
  const out: Vector = [];
  for (const left of a) {
    const right = b.find((r) => labelKey(r.metric) === labelKey(left.metric));
    if (!right) continue;
    const byT = new Map(right.values.map((p) => [p.t, p.v]));
    const values = left.values.flatMap((p) => {
      const d = byT.get(p.t);
      return d ? [{ t: p.t, v: p.v / d }] : [];
    });
    out.push({ metric: left.metric, values });
  }
  return out;
}

/** Per-sample increase of a counter over the previous `window` seconds (resets handled). */
function increaseOver(values: PromSample[], window: number, perSecond: boolean): PromSample[] {
  return values.flatMap((p, i) => {
    const inWindow = values.slice(0, i + 1).filter((q) => q.t >= p.t - window);
    if (inWindow.length < 2) return [];
    let inc = 0;
    for (let j = 1; j < inWindow.length; j++) {
      const d = inWindow[j]!.v - inWindow[j - 1]!.v;
      inc += d >= 0 ? d : inWindow[j]!.v;
    }
    return [{ t: p.t, v: perSecond ? inc / window : inc }];
  });
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  ">": (a, b) => a > b,
  "<": (a, b) => a < b,
  ">=": (a, b) => a >= b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

export class SnapshotMetrics implements MetricsSource {
  private readonly series: PromSeries[];

  constructor(series: SnapshotSeries[]) {
    this.series = series.map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => ({ t, v: Number(v) })) }));
  }

  async range(q: PromRangeQuery): Promise<PromSeries[]> {
    const start = q.start.getTime() / 1000;
    const end = q.end.getTime() / 1000;
    return this.evaluate(q.query.trim(), start, end).filter((s) => s.values.length > 0);
  }

  async instant(query: string, at?: Date): Promise<PromSeries[]> {
    const end = (at ?? new Date()).getTime() / 1000;
    const all = this.evaluate(query.trim(), Number.NEGATIVE_INFINITY, end);
    return all.flatMap((s) => {
      const last = s.values.at(-1);
      return last && end - last.t <= 300 ? [{ metric: s.metric, values: [last] }] : [];
    });
  }

  private evaluate(expr: string, start: number, end: number): Vector {
    const e = stripParens(expr);
    const parts = splitTopLevel(e, "/");
    if (parts) return divide(this.evaluate(parts[0], start, end), this.evaluate(parts[1], start, end));
    const cmp = /^(.*\S)\s*(>=|<=|==|!=|>|<)\s*(-?[\d.]+)$/s.exec(e);
    if (cmp) return this.evaluate(cmp[1]!, start, end).map((s) => ({ metric: s.metric, values: s.values.filter((p) => COMPARE[cmp[2]!]!(p.v, Number(cmp[3]))) }));
    const agg = /^(max|min|sum|avg)\s*(?:by\s*\(([^)]*)\))?\s*\((.*)\)$/s.exec(e);
    if (agg) return aggregate(agg[1]!, agg[2]?.split(",").map((l) => l.trim()).filter(Boolean), this.evaluate(agg[3]!, start, end));
    const fn = /^(rate|increase)\s*\((.*)\[(\w+)\]\s*\)$/s.exec(e);
    if (fn) {
      const window = seconds(fn[3]!);
      return this.select(fn[2]!, start - window, end).map((s) => ({ metric: s.metric, values: increaseOver(s.values, window, fn[1] === "rate").filter((p) => p.t >= start) }));
    }
    return this.select(e, start, end);
  }

  private select(selector: string, start: number, end: number): Vector {
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)?\s*(?:\{(.*)\})?$/s.exec(selector.trim());
    if (!m || (!m[1] && !m[2])) throw new SnapshotQueryError(`unsupported query: ${selector}`);
    const matchers = parseMatchers(m[2] ?? "");
    if (m[1]) matchers.push({ name: "__name__", op: "=", value: m[1] });
    return this.series
      .filter((s) => matchers.every((x) => matches(s.metric, x)))
      .map((s) => ({ metric: s.metric, values: s.values.filter((p) => p.t >= start && p.t <= end) }));
  }
}

function stripParens(expr: string): string {
  let e = expr.trim();
  while (e.startsWith("(") && e.endsWith(")") && balanced(e.slice(1, -1))) e = e.slice(1, -1).trim();
  return e;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}
