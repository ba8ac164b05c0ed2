import { describe, expect, it } from "vitest";
import { startServer } from "./server.js";
import { createLogger } from "./telemetry/logger.js";
import { Metrics } from "./telemetry/metrics.js";

const NAMES = [
  "production_fixer_leader", "production_fixer_reconcile_total", "production_fixer_reconcile_time_seconds", "production_fixer_queue_depth",
  "production_fixer_incidents_opened_total", "production_fixer_incidents_resolved_total", "production_fixer_incidents_reopened_total",
  "production_fixer_investigations_total", "production_fixer_investigation_duration_seconds", "production_fixer_budget_exhausted_total",
  "production_fixer_detection_latency_seconds", "production_fixer_llm_tokens_total", "production_fixer_llm_cost_usd_total",
  "production_fixer_kube_api_errors_total", "production_fixer_kube_api_requests_total", "production_fixer_informer_restarts_total",
  "production_fixer_webhook_requests_total", "production_fixer_process_resident_memory_bytes",
];

describe("probe and metrics server", () => {
  it("serves /healthz, /readyz with the reason, and /metrics with our names", async () => {
    const metrics = new Metrics();
    let ready: boolean | string = "informers not synced: pods";
    const server = await startServer({ port: 0, host: "127.0.0.1", metrics, healthy: () => true, ready: () => ready, logger: createLogger({ level: "silent" }) });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.text()).toContain("informers not synced: pods");
      ready = true;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      metrics.recordReconcile("incidents", "success", 0.02);
      metrics.incidentsOpened.inc({ category: "OutOfMemory" });
      metrics.detectionLatency.observe(0.2);
      metrics.recordTokens("claude-sonnet-5-5", "input", 1200);
      const hooks = metrics.requestHooks();
      hooks.onRequest?.("list", "/api/v1/pods");
      hooks.onError?.("410");
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      for (const name of NAMES) expect(text, name).toContain(`# TYPE ${name} `);
      expect(text).toContain('production_fixer_reconcile_total{controller="incidents",result="success"} 1');
      expect(text).toContain('production_fixer_kube_api_requests_total{verb="list"} 1');
      expect(text).toContain('production_fixer_kube_api_errors_total{code="410"} 1');
      expect(text).toContain('production_fixer_detection_latency_seconds_bucket{le="0.01"} 0');
      expect(text).toContain('production_fixer_detection_latency_seconds_bucket{le="10"} 1');
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
