// A bounded Prometheus HTTP API client (/api/v1/query_range and /api/v1/query).
// Every query is capped in time range, resolution, series count and duration, so
// neither collection nor the agent's PromQL tool can ask Prometheus for too much.
import type { MetricsSource, PromRangeQuery, PromSample, PromSeries } from "./view.js";

export const MAX_RANGE_SECONDS = 6 * 3600;
export const DEFAULT_MAX_SERIES = 50;
export const DEFAULT_MAX_POINTS = 300;

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://prometheus.monitoring:9090 (a path prefix is kept). */
  url: string;
  /** Per-query timeout, enforced locally (AbortSignal) and sent to Prometheus. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Series kept per query (the first ones by label set); default 50. */
  maxSeries?: number;
  /** Points per series of a range query: the step is raised to range/maxPoints; default 300. */
  maxPoints?: number;
}

export type PrometheusErrorKind = "unavailable" | "timeout" | "bad_query" | "server";

/** A failed query: `kind` tells the caller whether Prometheus is down or the query is wrong. */
export class PrometheusError extends Error {
  override name = "PrometheusError";
  constructor(
    message: string,
    readonly kind: PrometheusErrorKind,
    readonly query: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface ApiResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

interface RawSeries {
  metric?: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

export class PrometheusClient implements MetricsSource {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly maxSeries: number;
  private readonly maxPoints: number;

  constructor(private readonly opts: PrometheusClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(opts.url);
    } catch (cause) {
      throw new Error(`prometheus.url "${opts.url}" is not a URL`, { cause });
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new Error(`prometheus.url "${opts.url}" must be http or https`);
    if (!(opts.timeoutMs > 0)) throw new Error(`the Prometheus timeout must be positive, got ${opts.timeoutMs} ms`);
    this.base = parsed.href.replace(/\/+$/, "");
    this.fetchFn = opts.fetch ?? fetch;
    this.maxSeries = opts.maxSeries ?? DEFAULT_MAX_SERIES;
    this.maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  }

  /** The URL this client queries (for notes and logs). */
  get url(): string {
    return this.base;
  }

  async range(q: PromRangeQuery): Promise<PromSeries[]> {
    const bounded = boundRange(q, this.maxPoints);
    const params = {
      query: q.query,
      start: String(bounded.start / 1000),
      end: String(bounded.end / 1000),
      step: String(bounded.stepSeconds),
    };
    const data = await this.call("query_range", params, q.query);
    return this.series(data, q.query);
  }

  async instant(query: string, at?: Date): Promise<PromSeries[]> {
    const params: Record<string, string> = { query };
    if (at) params.time = String(at.getTime() / 1000);
    const data = await this.call("query", params, query);
    return this.series(data, query);
  }

  private async call(endpoint: string, params: Record<string, string>, query: string): Promise<ApiResponse["data"]> {
    const body = new URLSearchParams({ ...params, timeout: `${Math.ceil(this.opts.timeoutMs / 1000)}s` });
    let res: Response;
    let payload: ApiResponse;
    try {
      res = await this.fetchFn(`${this.base}/api/v1/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      payload = (await res.json().catch(() => ({}))) as ApiResponse;
    } catch (cause) {
      throw this.transportError(cause, query);
    }
    if (res.ok && payload.status === "success") return payload.data;
    throw httpError(res.status, payload, query, this.base);
  }

  private transportError(cause: unknown, query: string): PrometheusError {
    const name = (cause as { name?: string } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      return new PrometheusError(`Prometheus at ${this.base} did not answer within ${this.opts.timeoutMs} ms (query: ${query})`, "timeout", query, { cause });
    }
    return new PrometheusError(`Prometheus at ${this.base} is unreachable (query: ${query})`, "unavailable", query, { cause });
  }

  private series(data: ApiResponse["data"], query: string): PromSeries[] {
    const result = data?.result;
    if (data?.resultType === "scalar" && Array.isArray(result)) {
      return [{ metric: {}, values: samples([result as [number, string]]) }];
    }
    if (!Array.isArray(result)) throw new PrometheusError(`Prometheus returned no result list (query: ${query})`, "server", query);
    const all = (result as RawSeries[]).map((s) => ({
      metric: s.metric ?? {},
      values: samples(s.values ?? (s.value ? [s.value] : [])),
    }));
    all.sort((a, b) => labelKey(a.metric).localeCompare(labelKey(b.metric)));
    return all.slice(0, this.maxSeries);
  }
}

/** Clamps a range query to MAX_RANGE_SECONDS (keeping its end) and raises the step to range/maxPoints. */
export function boundRange(q: PromRangeQuery, maxPoints: number): { start: number; end: number; stepSeconds: number } {
  const end = q.end.getTime();
  if (!Number.isFinite(end) || !Number.isFinite(q.start.getTime())) throw new Error(`invalid time range for query ${q.query}`);
  const start = Math.max(q.start.getTime(), end - MAX_RANGE_SECONDS * 1000);
  if (start >= end) throw new Error(`the range of query ${q.query} is empty: start ${q.start.toISOString()} is not before end ${q.end.toISOString()}`);
  const minStep = Math.ceil((end - start) / 1000 / maxPoints);
  const stepSeconds = Math.max(1, minStep, Math.ceil(q.stepSeconds));
  return { start, end, stepSeconds };
}

function samples(raw: [number, string][]): PromSample[] {
  const out: PromSample[] = [];
  for (const [t, v] of raw) {
    const n = Number(v);
    if (Number.isFinite(n)) out.push({ t: Number(t), v: n });
  }
  return out;
}

function labelKey(metric: Record<string, string>): string {
  return Object.keys(metric)
    .sort()
    .map((k) => `${k}=${metric[k]}`)
    .join(",");
}

function httpError(status: number, payload: ApiResponse, query: string, base: string): PrometheusError {
  const detail = payload.error ? `${payload.errorType ?? "error"}: ${payload.error}` : `HTTP ${status}`;
  if (status === 400 || status === 422 || payload.errorType === "bad_data") {
    return new PrometheusError(`Prometheus rejected the query ${query}: ${detail}`, "bad_query", query);
  }
  if (status === 503 || status === 502 || status === 504) {
    return new PrometheusError(`Prometheus at ${base} is unavailable (${detail}; query: ${query})`, "unavailable", query);
  }
  if (payload.errorType === "timeout") {
    return new PrometheusError(`Prometheus timed out evaluating ${query}: ${detail}`, "timeout", query);
  }
  return new PrometheusError(`Prometheus at ${base} failed the query ${query}: ${detail}`, "server", query);
}

/** Escapes a PromQL label value for use inside double quotes. */
export function promString(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
