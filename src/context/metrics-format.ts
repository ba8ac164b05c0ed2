// Text of metrics evidence: the query, a summary (first, last, peak, limit) and a
// few sampled points, bounded so an incident excerpt stays readable.
import type { MetricFacts } from "./types.js";
import type { PromSample, PromSeries } from "./view.js";

const SAMPLED_POINTS = 12;
const MAX_TEXT = 2000;

export function describeSeries(values: PromSample[]): { last?: number; max?: number } {
  if (values.length === 0) return {};
  return { last: values.at(-1)!.v, max: Math.max(...values.map((p) => p.v)) };
}

/** 268435456 → "256Mi"; ratios as percentages; other values with up to 4 significant digits. */
export function formatValue(v: number, unit: string): string {
  if (unit === "bytes") return formatBytes(v);
  if (unit === "ratio") return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

function formatBytes(v: number): string {
  const units = ["B", "Ki", "Mi", "Gi", "Ti"];
  let n = v;
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)}${units[i]}`;
}

/** Every n-th point so that at most `count` remain, the last one always kept. */
export function samplePoints(points: PromSample[], count = SAMPLED_POINTS): PromSample[] {
  if (points.length <= count) return points;
  const stride = Math.ceil(points.length / count);
  const out = points.filter((_, i) => i % stride === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1)!);
  return out;
}

function summary(f: MetricFacts): string {
  const fmt = (v: number): string => formatValue(v, f.unit);
  const pts = f.points;
  if (pts.length === 0) return "no data";
  const seconds = pts.at(-1)!.t - pts[0]!.t;
  const span = seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
  const parts = [`${pts.length} points over ${span}: first ${fmt(pts[0]!.v)}, last ${fmt(f.last ?? pts.at(-1)!.v)}, peak ${fmt(f.max ?? pts[0]!.v)}`];
  if (f.limit !== undefined && f.limit > 0) {
    parts.push(`limit ${fmt(f.limit)} (peak at ${Math.round(((f.max ?? 0) / f.limit) * 100)}% of it)`);
  }
  return parts.join("; ");
}

function labelsText(metric: Record<string, string>): string {
  const pairs = Object.entries(metric).map(([k, v]) => `${k}="${v}"`);
  return `{${pairs.join(",")}}`;
}

function pointsText(points: PromSample[], unit: string): string {
  return samplePoints(points)
    .map((p) => `${new Date(p.t * 1000).toISOString().slice(11, 19)}Z ${formatValue(p.v, unit)}`)
    .join(", ");
}

/** The evidence text of a metric: query, summary, sampled points, other series of the same query. */
export function evidenceText(query: string, facts: MetricFacts, series: PromSeries[] = []): string {
  const lines = [`query: ${query}`, summary(facts), `samples: ${pointsText(facts.points, facts.unit)}`];
  for (const s of series.slice(1)) {
    const peak = Math.max(...s.values.map((p) => p.v));
    lines.push(`also ${labelsText(s.metric)}: last ${formatValue(s.values.at(-1)!.v, facts.unit)}, peak ${formatValue(peak, facts.unit)}`);
  }
  const text = lines.join("\n");
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
