import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Diagnosis } from "../api/diagnosis.js";
import { Config } from "../config.js";
import type { ClusterView } from "../context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../diagnosis/types.js";
import { Metrics } from "../telemetry/metrics.js";
import { FakeTimers, flush } from "../../test/operator/fake-timers.js";
import { deploymentPod, FakeEvents, FakeIncidents, FakePods } from "../../test/operator/fakes.js";
import { IncidentController } from "./controller.js";

const USAGE = { inputTokens: 40, outputTokens: 900, cacheReadInputTokens: 6000, cacheCreationInputTokens: 2500, costUSD: 0.0321, steps: 3, requests: 3 };

function diagnosis(mode: "agent" | "rules"): Diagnosis {
  return {
    category: "OutOfMemory", summary: "killed at its memory limit", rootCause: "the heap outgrows 256Mi", confidence: 0.8,
    hypotheses: [], evidence: [], remediation: [], prevention: [], mode, model: "claude-sonnet-5-5", usage: USAGE, durationMs: 5,
    notes: mode === "rules" ? ["The agent did not produce the diagnosis (Anthropic API error 529 overloaded_error); this is the triage rules' diagnosis."] : [],
  };
}

class Fixed implements Investigator {
  constructor(private readonly d: Diagnosis) {}
  async investigate(): Promise<InvestigationResult> {
    return { diagnosis: this.d, redactions: 0, context: {} as InvestigationResult["context"] };
  }
}

async function investigateOnce(result: Diagnosis, apiKey?: string): Promise<Metrics> {
  const timers = new FakeTimers();
  const api = new FakeIncidents();
  const pods = new FakePods();
  const metrics = new Metrics();
  const config = Config.parse({ agent: apiKey ? { apiKey } : {} });
  const controller = new IncidentController({
    config, pods, incidents: api.cache, api, events: new FakeEvents(), investigator: new Fixed(result), view: () => ({}) as ClusterView,
    logger: pino({ level: "silent" }), timers, metrics,
  });
  controller.start();
  const pod = deploymentPod({ workload: "web", index: 0 });
  pods.set(pod);
  controller.podChanged(pod);
  for (let i = 0; i < 4; i++) {
    await flush();
    await timers.advance(300);
  }
  expect(api.list()[0]?.status?.phase).toBe("Diagnosed");
  await controller.stop({ timeoutMs: 0 });
  return metrics;
}

async function value(m: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await m.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

describe("investigation metrics", () => {
  it("records the agent's tokens by type and its cost from the diagnosis' usage", async () => {
    const m = await investigateOnce(diagnosis("agent"), "sk-ant-test");
    const model = "claude-sonnet-5-5";
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "output" })).toBe(900);
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "cache_read" })).toBe(6000);
    expect(await value(m, "production_fixer_llm_cost_usd_total", { model })).toBeCloseTo(0.0321, 6);
    expect(await value(m, "production_fixer_investigations_total", { mode: "agent", outcome: "success" })).toBe(1);
  });

  it("counts an agent run that ended with the rules' diagnosis as a fallback, and its tokens still", async () => {
    const m = await investigateOnce(diagnosis("rules"), "sk-ant-test");
    expect(await value(m, "production_fixer_investigations_total", { mode: "agent", outcome: "fallback" })).toBe(1);
    expect(await value(m, "production_fixer_investigations_total", { mode: "rules", outcome: "success" })).toBeUndefined();
    expect(await value(m, "production_fixer_llm_tokens_total", { model: "claude-sonnet-5-5", type: "input" })).toBe(40);
  });

  it("counts a rules-only run as rules and success", async () => {
    const d = { ...diagnosis("rules"), notes: [] };
    const { usage: _u, model: _m, ...rulesOnly } = d;
    const m = await investigateOnce(rulesOnly);
    expect(await value(m, "production_fixer_investigations_total", { mode: "rules", outcome: "success" })).toBe(1);
    expect(await value(m, "production_fixer_llm_tokens_total", { model: "claude-sonnet-5-5", type: "output" })).toBeUndefined();
  });
});

describe("the investigation request", () => {
  const ALERT = { name: "HighLatency", summary: "p99 latency over 2s", generatorURL: "http://prometheus:9090/graph?g0.expr=latency%20%3E%202", startsAt: "2026-01-01T00:00:00Z" };

  it("carries the alert of an incident an alert opened, and none for a pod failure", async () => {
    const timers = new FakeTimers();
    const api = new FakeIncidents();
    const requests: InvestigationRequest[] = [];
    const investigator: Investigator = {
      investigate: async (_view, req) => {
        requests.push(req);
        return { diagnosis: diagnosis("rules"), redactions: 0, context: {} as InvestigationResult["context"] };
      },
    };
    const controller = new IncidentController({
      config: Config.parse({}), pods: new FakePods(), incidents: api.cache, api, events: new FakeEvents(), investigator, view: () => ({}) as ClusterView,
      logger: pino({ level: "silent" }), timers,
      alertFor: (i) => (i.spec.trigger.source === "Alert" ? ALERT : undefined),
    });
    controller.start();
    for (const [name, trigger] of [
      ["alert", { source: "Alert", reason: "HighLatency", alertRef: { namespace: "shop", name: "am-1" } }],
      ["pods", { source: "PodFailure", reason: "CrashLoopBackOff" }],
    ] as const) {
      const made = await api.create({
        apiVersion: "productionfixer.io/v1alpha1", kind: "ProductionIncident", metadata: { namespace: "shop", name },
        spec: { target: { kind: "Deployment", namespace: "shop", name: "web" }, trigger, fingerprint: `shop/Deployment/web//${name}` },
      });
      controller.incidentChanged(await api.replaceStatus({ ...made, status: { phase: "Detected" } }));
    }
    for (let i = 0; i < 4; i++) {
      await flush();
      await timers.advance(300);
    }
    expect(api.list().map((i) => i.status?.phase)).toEqual(["Diagnosed", "Diagnosed"]);
    const byReason = new Map(requests.map((r) => [r.reason, r]));
    expect(byReason.get("HighLatency")?.alert).toEqual(ALERT);
    expect(byReason.get("CrashLoopBackOff")).toBeDefined();
    expect(byReason.get("CrashLoopBackOff")).not.toHaveProperty("alert");
    await controller.stop({ timeoutMs: 0 });
  });
});
