import { describe, expect, it } from "vitest";
import { alertExpression, collectMetrics, type MetricsInput } from "./collect-metrics.js";
import { PrometheusError } from "./prometheus.js";
import type { MetricsSource, PromRangeQuery, PromSeries } from "./view.js";

const now = new Date("2026-11-27T12:00:00Z");
const t0 = now.getTime() / 1000;
const MI = 1024 * 1024;

/** A MetricsSource answering by the first matching substring of the query. */
class FakeSource implements MetricsSource {
  ranges: PromRangeQuery[] = [];
  instants: string[] = [];
  constructor(private readonly answers: Array<[string, PromSeries[] | Error]>) {}
  async range(q: PromRangeQuery): Promise<PromSeries[]> {
    this.ranges.push(q);
    return this.answer(q.query);
  }
  async instant(query: string): Promise<PromSeries[]> {
    this.instants.push(query);
    return this.answer(query);
  }
  private answer(query: string): PromSeries[] {
    const hit = this.answers.find(([needle]) => query.includes(needle))?.[1] ?? [];
    if (hit instanceof Error) throw hit;
    return hit;
  }
}

const climbing: PromSeries = {
  metric: { container: "web" },
  values: Array.from({ length: 10 }, (_, i) => ({ t: t0 - 3000 + i * 300, v: (100 + i * 17) * MI })),
};

const podInput: MetricsInput = {
  namespace: "shop",
  pods: [{ name: "web-1", containers: ["web"], oomKilledAt: new Date(now.getTime() - 120_000).toISOString() }],
  now,
};

describe("collectMetrics", () => {
  it("reports memory against the limit before the OOM kill, with a stable evidence id", async () => {
    const source = new FakeSource([
      ["container_spec_memory_limit_bytes", [{ metric: { container: "web" }, values: [{ t: t0, v: 256 * MI }] }]],
      ["container_memory_working_set_bytes", [climbing, { metric: { container: "sidecar" }, values: [{ t: t0, v: 1 }] }]],
    ]);
    const out = await collectMetrics(source, podInput);
    expect(out.notes).toEqual([]);
    const mem = out.metrics.find((m) => m.name === "memory_working_set_bytes")!;
    expect(mem.evidenceId).toBe("metrics/memory_working_set_bytes/shop/web-1/web");
    expect(mem).toMatchObject({ container: "web", unit: "bytes", limit: 256 * MI, max: 253 * MI });
    expect(out.metrics.filter((m) => m.container === "sidecar")).toEqual([]);
    const ev = out.evidence.find((e) => e.id === mem.evidenceId)!;
    expect(ev.source).toBe("Metrics");
    expect(ev.text).toContain('container_memory_working_set_bytes{namespace="shop",pod="web-1"');
    expect(ev.text).toContain("limit 256Mi (peak at 99% of it)");
    // The window ends a minute after the kill and covers the hour before it.
    const q = source.ranges.find((r) => r.query.includes("working_set"))!;
    expect(q.end.getTime()).toBe(now.getTime() - 60_000);
    expect(q.end.getTime() - q.start.getTime()).toBe(3600_000);
  });

  it("zooms into the last minutes when the hour holds only a few points (a young pod)", async () => {
    const few: PromSeries = { metric: { container: "web" }, values: [{ t: t0, v: 200 * MI }] };
    const fine: PromSeries = { metric: { container: "web" }, values: Array.from({ length: 30 }, (_, i) => ({ t: t0 - 60 + i * 2, v: (100 + i * 5) * MI })) };
    let calls = 0;
    const source = new FakeSource([]);
    source.range = async (q) => {
      source.ranges.push(q);
      return q.query.includes("working_set") ? (calls++ === 0 ? [few] : [fine]) : [];
    };
    const out = await collectMetrics(source, { ...podInput, pods: [{ name: "web-1", containers: ["web"] }] });
    const mem = out.metrics.find((m) => m.name === "memory_working_set_bytes")!;
    expect(mem.points).toHaveLength(30);
    const zoom = source.ranges.filter((r) => r.query.includes("working_set"))[1]!;
    expect(zoom.end.getTime() - zoom.start.getTime()).toBe(600_000);
    expect(zoom.stepSeconds).toBe(1);
  });

  it("queries CPU throttling and restarts per container", async () => {
    const source = new FakeSource([["throttled", [{ metric: { container: "web" }, values: [{ t: t0, v: 0.42 }] }]]]);
    const out = await collectMetrics(source, podInput);
    const cpu = out.metrics.find((m) => m.name === "cpu_throttling_ratio")!;
    expect(cpu.evidenceId).toBe("metrics/cpu_throttling_ratio/shop/web-1/web");
    expect(out.evidence.find((e) => e.id === cpu.evidenceId)!.text).toContain("last 42.0%");
    expect(source.ranges.some((r) => r.query.includes("kube_pod_container_status_restarts_total"))).toBe(true);
  });

  it("evaluates the alert's own expression over its window", async () => {
    const expr = "container_memory_working_set_bytes / container_spec_memory_limit_bytes > 0.9";
    const generatorURL = `http://prom:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
    const source = new FakeSource([
      [
        "> 0.9",
        [
          { metric: { pod: "a", container: "web" }, values: [{ t: t0, v: 0.91 }] },
          { metric: { pod: "b", container: "web" }, values: [{ t: t0 - 60, v: 0.93 }, { t: t0, v: 0.97 }] },
        ],
      ],
    ]);
    const startsAt = new Date(now.getTime() - 600_000).toISOString();
    const out = await collectMetrics(source, { namespace: "shop", pods: [], alert: { name: "MemoryHigh", generatorURL, startsAt }, now });
    expect(out.metrics).toHaveLength(1);
    expect(out.metrics[0]).toMatchObject({ evidenceId: "metrics/alert/MemoryHigh", name: "alert_expression", max: 0.97 });
    expect(out.evidence[0]!.text).toContain(`query: ${expr}`);
    expect(out.evidence[0]!.text).toContain('also {pod="a",container="web"}');
    expect(source.ranges[0]!.start.getTime()).toBe(now.getTime() - 600_000 - 30 * 60_000);
  });

  it("turns Prometheus being down into one note, not an error", async () => {
    const down = new PrometheusError("Prometheus at http://prom is unreachable (query: x)", "unavailable", "x");
    const source = new FakeSource([["", down]]);
    const out = await collectMetrics(source, { ...podInput, alert: { name: "A", generatorURL: "http://p/graph?g0.expr=up" } });
    expect(out.metrics).toEqual([]);
    expect(out.notes).toEqual(["Prometheus unavailable: Prometheus at http://prom is unreachable (query: x)"]);
  });

  it("notes a rejected query by name", async () => {
    const source = new FakeSource([["bad(", new PrometheusError("Prometheus rejected the query bad(: parse error", "bad_query", "bad(")]]);
    const out = await collectMetrics(source, { namespace: "shop", pods: [], alert: { name: "A", generatorURL: "http://p/graph?g0.expr=bad(" }, now });
    expect(out.notes).toEqual(["Prometheus query failed: Prometheus rejected the query bad(: parse error"]);
  });
});

describe("alertExpression", () => {
  it("reads g0.expr from a Prometheus generatorURL", () => {
    expect(alertExpression("http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1")).toBe("up == 0");
    expect(alertExpression("http://prom:9090/graph")).toBeUndefined();
    expect(alertExpression("not a url")).toBeUndefined();
    expect(alertExpression(undefined)).toBeUndefined();
  });
});
