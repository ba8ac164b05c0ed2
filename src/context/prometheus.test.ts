import { describe, expect, it } from "vitest";
import { boundRange, PrometheusClient, PrometheusError, promString } from "./prometheus.js";

interface Call {
  url: string;
  params: URLSearchParams;
}

function fakeFetch(reply: (call: Call) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call = { url: String(input), params: new URLSearchParams(String(init?.body ?? "")) };
    calls.push(call);
    return reply(call);
  };
  return { fetch: fn as typeof fetch, calls };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("PrometheusClient", () => {
  it("runs a range query with a bounded range and step and parses the matrix", async () => {
    const f = fakeFetch(() =>
      json(200, {
        status: "success",
        data: { resultType: "matrix", result: [{ metric: { pod: "b" }, values: [[100, "1"], [112, "NaN"], [124, "3"]] }, { metric: { pod: "a" }, values: [[100, "5"]] }] },
      }),
    );
    const prom = new PrometheusClient({ url: "http://prom:9090/", timeoutMs: 2000, fetch: f.fetch });
    const end = new Date("2026-11-27T12:00:00Z");
    const series = await prom.range({ query: "up", start: new Date(end.getTime() - 24 * 3600_000), end, stepSeconds: 1 });
    expect(f.calls[0]!.url).toBe("http://prom:9090/api/v1/query_range");
    const p = f.calls[0]!.params;
    expect(Number(p.get("end")) - Number(p.get("start"))).toBe(6 * 3600);
    expect(p.get("step")).toBe("72");
    expect(p.get("timeout")).toBe("2s");
    expect(series.map((s) => s.metric.pod)).toEqual(["a", "b"]);
    expect(series[1]!.values).toEqual([{ t: 100, v: 1 }, { t: 124, v: 3 }]);
  });

  it("caps the number of series", async () => {
    const result = Array.from({ length: 10 }, (_, i) => ({ metric: { i: String(i) }, value: [1, "1"] }));
    const f = fakeFetch(() => json(200, { status: "success", data: { resultType: "vector", result } }));
    const prom = new PrometheusClient({ url: "http://prom", timeoutMs: 1000, fetch: f.fetch, maxSeries: 3 });
    const series = await prom.instant("x", new Date(5000));
    expect(series).toHaveLength(3);
    expect(f.calls[0]!.params.get("time")).toBe("5");
  });

  it("names the query when Prometheus rejects it", async () => {
    const f = fakeFetch(() => json(400, { status: "error", errorType: "bad_data", error: "parse error at char 3" }));
    const prom = new PrometheusClient({ url: "http://prom", timeoutMs: 1000, fetch: f.fetch });
    const err = await prom.instant("rate(x[").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).kind).toBe("bad_query");
    expect((err as Error).message).toContain("rate(x[");
    expect((err as Error).message).toContain("parse error at char 3");
  });

  it("reports an unreachable Prometheus as unavailable", async () => {
    const f = fakeFetch(() => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    });
    const prom = new PrometheusClient({ url: "http://127.0.0.1:1", timeoutMs: 1000, fetch: f.fetch });
    const err = (await prom.instant("up").catch((e: unknown) => e)) as PrometheusError;
    expect(err.kind).toBe("unavailable");
    expect(err.message).toMatch(/unreachable \(query: up\)/);
  });

  it("times out through the abort signal", async () => {
    const f = fakeFetch(
      (call) =>
        new Promise<Response>((_, reject) => {
          void call;
          setTimeout(() => reject(new DOMException("The operation was aborted due to timeout", "TimeoutError")), 1);
        }),
    );
    const prom = new PrometheusClient({ url: "http://prom", timeoutMs: 50, fetch: f.fetch });
    const err = (await prom.instant("up").catch((e: unknown) => e)) as PrometheusError;
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("within 50 ms");
  });

  it("rejects a bad URL at construction", () => {
    expect(() => new PrometheusClient({ url: "prom:9090", timeoutMs: 1000 })).toThrow(/must be http or https/);
    expect(() => new PrometheusClient({ url: "::", timeoutMs: 1000 })).toThrow(/is not a URL/);
  });
});

describe("boundRange", () => {
  it("keeps short ranges and the requested step", () => {
    const end = new Date(3_600_000);
    expect(boundRange({ query: "q", start: new Date(0), end, stepSeconds: 30 }, 300)).toEqual({ start: 0, end: 3_600_000, stepSeconds: 30 });
    expect(boundRange({ query: "q", start: new Date(0), end, stepSeconds: 1 }, 300).stepSeconds).toBe(12);
  });

  it("refuses an empty range", () => {
    expect(() => boundRange({ query: "q", start: new Date(10), end: new Date(10), stepSeconds: 1 }, 300)).toThrow(/range of query q is empty/);
  });
});

describe("promString", () => {
  it("escapes quotes and backslashes", () => {
    expect(promString('a"b\\c')).toBe('a\\"b\\\\c');
  });
});
