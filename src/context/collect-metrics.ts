// Prometheus evidence: the series that matter for a failure (memory working set
// against the limit before an OOM kill, CPU throttling, restarts) and, for an
// alert, the alert's own expression over its window. Prometheus being down or a
// query failing becomes a note, never an error.
import { PrometheusError, promString } from "./prometheus.js";
import { describeSeries, evidenceText } from "./metrics-format.js";
import type { Evidence, InvestigationContext, MetricFacts } from "./types.js";
import type { MetricsSource, PromSeries } from "./view.js";

const WINDOW_MS = 3600_000;
const ALERT_LEAD_MS = 30 * 60_000;
const MAX_WINDOW_MS = 6 * 3600_000;
const STEP_SECONDS = 15;
const MAX_PODS = 3;
/** A series with fewer points over the hour (a young pod) is queried again over its last minutes, finer. */
const MIN_POINTS = 10;
const ZOOM_MS = 10 * 60_000;

export interface MetricsPod {
  name: string;
  /** Containers to report on (the failing one first). */
  containers: string[];
  /** When a container of this pod was last OOM-killed: the memory window ends there. */
  oomKilledAt?: string;
}

export interface MetricsAlert {
  name: string;
  generatorURL?: string;
  startsAt?: string;
  endsAt?: string;
}

export interface MetricsInput {
  namespace: string;
  pods: MetricsPod[];
  alert?: MetricsAlert;
  now: Date;
}

export interface MetricsCollection {
  metrics: MetricFacts[];
  evidence: Evidence[];
  notes: string[];
}

interface StandardSeries {
  name: string;
  unit: string;
  /** PromQL over the pod's containers, grouped by container. */
  query: (sel: string) => string;
  limitQuery?: (sel: string) => string;
}

/** The workload's standard series, each grouped by container. */
export const STANDARD_SERIES: StandardSeries[] = [
  {
    name: "memory_working_set_bytes",
    unit: "bytes",
    query: (sel) => `max by (container) (container_memory_working_set_bytes{${sel}})`,
    limitQuery: (sel) => `max by (container) (container_spec_memory_limit_bytes{${sel}} > 0)`,
  },
  {
    name: "cpu_throttling_ratio",
    unit: "ratio",
    query: (sel) =>
      `sum by (container) (rate(container_cpu_cfs_throttled_periods_total{${sel}}[5m])) / sum by (container) (rate(container_cpu_cfs_periods_total{${sel}}[5m]))`,
  },
  {
    name: "restarts_15m",
    unit: "restarts",
    query: (sel) => `max by (container) (increase(kube_pod_container_status_restarts_total{${sel}}[15m]))`,
  },
];

/** The PromQL expression an alert came from: the `g0.expr` parameter of its generatorURL. */
export function alertExpression(generatorURL: string | undefined): string | undefined {
  if (!generatorURL) return undefined;
  try {
    const expr = new URL(generatorURL).searchParams.get("g0.expr");
    return expr?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What collectMetrics needs, read off a collected context (the failing pod and its containers). */
export function metricsInputFor(ctx: InvestigationContext, alert: MetricsAlert | undefined, now: Date): MetricsInput {
  const pods: MetricsPod[] = [];
  const podName = ctx.target.pod ?? ctx.pod?.metadata?.name;
  if (podName) {
    const failing = ctx.target.container;
    const names = ctx.containers.filter((c) => !c.init).map((c) => c.name);
    const containers = failing ? [failing, ...names.filter((n) => n !== failing)] : names;
    const oom = ctx.containers.map((c) => c.lastTerminated ?? (c.state.kind === "terminated" ? c.state : undefined)).find((t) => t?.reason === "OOMKilled");
    pods.push({ name: podName, containers, oomKilledAt: oom?.finishedAt });
  }
  return { namespace: ctx.target.namespace, pods, alert, now };
}

/** Queries the standard series of each pod and the alert's expression, in parallel. */
export async function collectMetrics(source: MetricsSource, input: MetricsInput): Promise<MetricsCollection> {
  const jobs: Promise<MetricsCollection>[] = input.pods.slice(0, MAX_PODS).flatMap((pod) => STANDARD_SERIES.map((s) => standardSeries(source, input, pod, s)));
  if (input.alert) jobs.push(alertSeries(source, input.alert, input.now));
  const results = await Promise.all(jobs);
  return merge(results);
}

function merge(results: MetricsCollection[]): MetricsCollection {
  const out: MetricsCollection = { metrics: [], evidence: [], notes: [] };
  for (const r of results) {
    out.metrics.push(...r.metrics);
    out.evidence.push(...r.evidence);
    out.notes.push(...r.notes);
  }
  out.notes = dedupeNotes(out.notes);
  return out;
}

/** One note when Prometheus is down, instead of one per query. */
function dedupeNotes(notes: string[]): string[] {
  const unique = [...new Set(notes)];
  const down = unique.filter((n) => n.startsWith("Prometheus unavailable"));
  if (down.length <= 1) return unique;
  return [down[0]!, ...unique.filter((n) => !n.startsWith("Prometheus unavailable"))];
}

const empty = (notes: string[] = []): MetricsCollection => ({ metrics: [], evidence: [], notes });

function podWindow(input: MetricsInput, pod: MetricsPod): { start: Date; end: Date } {
  const now = input.now.getTime();
  const oom = pod.oomKilledAt ? Date.parse(pod.oomKilledAt) : Number.NaN;
  const end = Number.isFinite(oom) && oom <= now && now - oom < MAX_WINDOW_MS ? oom + 60_000 : now;
  return { start: new Date(end - WINDOW_MS), end: new Date(Math.min(end, now)) };
}

async function standardSeries(source: MetricsSource, input: MetricsInput, pod: MetricsPod, s: StandardSeries): Promise<MetricsCollection> {
  const sel = `namespace="${promString(input.namespace)}",pod="${promString(pod.name)}",container!="",container!="POD"`;
  const query = s.query(sel);
  const window = podWindow(input, pod);
  try {
    const [series, limits] = await Promise.all([
      rangeWithZoom(source, query, window),
      s.limitQuery ? source.instant(s.limitQuery(sel), window.end) : Promise.resolve([]),
    ]);
    return factsOf(s, { namespace: input.namespace, pod: pod.name, containers: pod.containers, query }, series, limits);
  } catch (err) {
    return empty([noteFor(err, query)]);
  }
}

/** The hour at the usual step, or the last minutes at a fine step when the hour holds only a few points. */
async function rangeWithZoom(source: MetricsSource, query: string, window: { start: Date; end: Date }): Promise<PromSeries[]> {
  const wide = await source.range({ query, start: window.start, end: window.end, stepSeconds: STEP_SECONDS });
  const most = Math.max(0, ...wide.map((s) => s.values.length));
  if (wide.length === 0 || most >= MIN_POINTS) return wide;
  const start = new Date(Math.max(window.start.getTime(), window.end.getTime() - ZOOM_MS));
  const fine = await source.range({ query, start, end: window.end, stepSeconds: 1 });
  return fine.some((s) => s.values.length > most) ? fine : wide;
}

interface PodQuery {
  namespace: string;
  pod: string;
  containers: string[];
  query: string;
}

function factsOf(s: StandardSeries, ref: PodQuery, series: PromSeries[], limits: PromSeries[]): MetricsCollection {
  const out = empty();
  for (const one of series) {
    const container = one.metric.container ?? "";
    if (!container || one.values.length === 0 || (ref.containers.length > 0 && !ref.containers.includes(container))) continue;
    const limit = limits.find((l) => l.metric.container === container)?.values.at(-1)?.v;
    const facts: MetricFacts = {
      evidenceId: `metrics/${s.name}/${ref.namespace}/${ref.pod}/${container}`,
      name: s.name,
      container,
      unit: s.unit,
      ...describeSeries(one.values),
      limit,
      points: one.values,
    };
    out.metrics.push(facts);
    out.evidence.push({
      id: facts.evidenceId,
      source: "Metrics",
      title: `${s.name} of ${ref.namespace}/${ref.pod} (${container})`,
      text: evidenceText(ref.query, facts),
    });
  }
  return out;
}

function alertWindow(alert: MetricsAlert, now: Date): { start: Date; end: Date } {
  const started = alert.startsAt ? Date.parse(alert.startsAt) : Number.NaN;
  const ended = alert.endsAt ? Date.parse(alert.endsAt) : Number.NaN;
  const end = Number.isFinite(ended) && ended > 0 && ended < now.getTime() ? ended : now.getTime();
  const start = Number.isFinite(started) && started < end ? started - ALERT_LEAD_MS : end - WINDOW_MS;
  return { start: new Date(Math.max(start, end - MAX_WINDOW_MS)), end: new Date(end) };
}

async function alertSeries(source: MetricsSource, alert: MetricsAlert, now: Date): Promise<MetricsCollection> {
  const query = alertExpression(alert.generatorURL);
  if (!query) return empty();
  const window = alertWindow(alert, now);
  let series: PromSeries[];
  try {
    series = await source.range({ query, start: window.start, end: window.end, stepSeconds: STEP_SECONDS });
  } catch (err) {
    return empty([noteFor(err, query)]);
  }
  const withPoints = series.filter((s) => s.values.length > 0);
  if (withPoints.length === 0) return empty([`the expression of alert ${alert.name} returned no data over its window (query: ${query})`]);
  const peak = (s: PromSeries): number => Math.max(...s.values.map((p) => p.v));
  const top = [...withPoints].sort((a, b) => peak(b) - peak(a));
  const facts: MetricFacts = {
    evidenceId: `metrics/alert/${alert.name}`,
    name: "alert_expression",
    container: top[0]!.metric.container,
    unit: "value",
    ...describeSeries(top[0]!.values),
    points: top[0]!.values,
  };
  const evidence: Evidence = {
    id: facts.evidenceId,
    source: "Metrics",
    title: `expression of alert ${alert.name}`,
    text: evidenceText(query, facts, top.slice(0, 5)),
  };
  return { metrics: [facts], evidence: [evidence], notes: [] };
}

function noteFor(err: unknown, query: string): string {
  if (err instanceof PrometheusError && (err.kind === "unavailable" || err.kind === "timeout")) return `Prometheus unavailable: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return `Prometheus query failed: ${message.includes(query) ? message : `${message} (query: ${query})`}`;
}
