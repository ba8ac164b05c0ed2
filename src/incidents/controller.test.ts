import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { Config } from "../config.js";
import type { ClusterView } from "../context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../diagnosis/types.js";
import { FakeTimers, flush } from "../../test/operator/fake-timers.js";
import { apiError, deploymentPod, FakeEvents, FakeIncidents, FakePods } from "../../test/operator/fakes.js";
import { IncidentController } from "./controller.js";
import type { OperatorEvent } from "./operator-events.js";

class StubInvestigator implements Investigator {
  calls: InvestigationRequest[] = [];
  fail = 0;
  hang = false;
  async investigate(_view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    this.calls.push(req);
    if (this.hang) return new Promise(() => {});
    if (this.fail > 0) {
      this.fail--;
      throw new Error("model unavailable");
    }
    const diagnosis = {
      category: "ApplicationError" as const, summary: `crash of ${req.target.name}`, rootCause: "a bug", confidence: 0.7,
      hypotheses: [], evidence: [{ id: "logs/x", source: "Logs" as const, excerpt: "panic" }], remediation: [], prevention: [],
      mode: "rules" as const, durationMs: 3, notes: req.rulesOnly ? [req.rulesOnly.reason] : [],
    };
    return { diagnosis, redactions: 1, context: {} as InvestigationResult["context"] };
  }
}

function setup(overrides: Parameters<typeof Config.parse>[0] = {}) {
  const timers = new FakeTimers();
  const api = new FakeIncidents();
  const pods = new FakePods();
  const events = new FakeEvents();
  const investigator = new StubInvestigator();
  const seen: OperatorEvent[] = [];
  const config = Config.parse({ resolution: { healthySeconds: 10, retentionHours: 1 }, ...(overrides as object) });
  const controller = new IncidentController({
    config, pods, incidents: api.cache, api, events, investigator, view: () => ({}) as ClusterView,
    logger: pino({ level: "silent" }), timers, onEvent: (e) => seen.push(e),
  });
  const crash = (workload: string, n: number, extra: Partial<Parameters<typeof deploymentPod>[0]> = {}) => {
    for (let i = 0; i < n; i++) {
      const pod = deploymentPod({ workload, index: i, ...extra });
      pods.set(pod);
      controller.podChanged(pod);
    }
  };
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await flush();
      await timers.advance(300);
    }
  };
  return { timers, api, pods, events, investigator, seen, controller, crash, settle };
}

describe("IncidentController", () => {
  it("turns 50 failing replicas into one incident, a few writes and one investigation", async () => {
    const t = setup();
    t.controller.start();
    t.crash("web", 50);
    await t.settle();
    const [incident, ...rest] = t.api.list();
    expect(rest).toHaveLength(0);
    expect(incident?.status).toMatchObject({ phase: "Diagnosed", occurrences: 50, redactions: 1 });
    expect(incident?.status?.affectedPods).toHaveLength(20);
    expect(incident?.spec.target).toEqual({ kind: "Deployment", namespace: "shop", name: "web", container: "app" });
    expect(t.api.creates).toBe(1);
    expect(t.api.statusWrites).toBeLessThanOrEqual(5);
    expect(t.investigator.calls).toHaveLength(1);
    expect(t.events.events.map((e) => e.reason)).toEqual(["IncidentOpened", "Diagnosed"]);
    expect(t.events.events[0]?.regarding.kind).toBe("Pod");
    expect(t.events.events[0]?.related?.name).toBe(incident?.metadata.name);
    expect(t.seen.map((e) => e.type)).toEqual(["opened", "investigating", "diagnosed"]);
  });

  it("opens one incident per fingerprint", async () => {
    const t = setup();
    t.controller.start();
    t.crash("web", 3);
    t.crash("api", 2, { exitCode: 2 });
    t.crash("web", 1, { index: 9, exitCode: 137 } as never);
    await t.settle();
    expect(t.api.list().map((i) => [i.spec.target.name, i.status?.occurrences]).sort()).toEqual([["api", 2], ["web", 1], ["web", 3]]);
  });

  it("does nothing while it does not lead, then catches up when it starts", async () => {
    const t = setup();
    t.crash("web", 2);
    await t.settle();
    expect(t.api.list()).toHaveLength(0);
    t.controller.start();
    await t.settle();
    expect(t.api.list()).toHaveLength(1);
  });

  it("retries a status write on 409 against a fresh read", async () => {
    const t = setup();
    t.controller.start();
    t.api.failNextStatus.push(apiError(409, "Conflict"));
    t.crash("web", 1);
    await t.settle();
    expect(t.api.list()[0]?.status?.phase).toBe("Diagnosed");
  });

  it("records a failed investigation, retries it with backoff and ends Diagnosed", async () => {
    const t = setup();
    t.investigator.fail = 2;
    t.controller.start();
    t.crash("web", 1);
    await t.settle();
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Failed", failureReason: expect.stringContaining("model unavailable") });
    await t.timers.advance(2_000);
    await t.settle();
    await t.timers.advance(4_000);
    await t.settle();
    expect(t.api.list()[0]?.status?.phase).toBe("Diagnosed");
    expect(t.investigator.calls).toHaveLength(3);
  });

  it("fails an investigation that times out instead of leaving it Investigating", async () => {
    const t = setup({ agent: { timeoutSeconds: 5 } });
    t.investigator.hang = true;
    t.controller.start();
    t.crash("web", 1);
    await t.settle();
    expect(t.api.list()[0]?.status?.phase).toBe("Investigating");
    await t.timers.advance(34_000);
    await flush();
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Failed", failureReason: expect.stringContaining("did not finish within 35s") });
  });

  it("re-investigates an incident found Investigating at start-up", async () => {
    const t = setup();
    t.controller.start();
    t.investigator.hang = true;
    t.crash("web", 1);
    await t.settle();
    const stopping = t.controller.stop({ timeoutMs: 1000 });
    await t.timers.advance(1000);
    await stopping;
    expect(t.api.list()[0]?.status?.phase).toBe("Investigating");
    t.investigator.hang = false;
    const next = new IncidentController({
      config: Config.parse({}), pods: t.pods, incidents: t.api.cache, api: t.api, events: t.events, investigator: t.investigator,
      view: () => ({}) as ClusterView, logger: pino({ level: "silent" }), timers: t.timers,
    });
    next.start();
    for (let i = 0; i < 10; i++) await flush();
    expect(t.api.list()).toHaveLength(1);
    expect(t.api.list()[0]?.status?.phase).toBe("Diagnosed");
  });

  it("resolves after the healthy period, reopens on recurrence and deletes after the retention", async () => {
    const t = setup();
    t.controller.start();
    t.crash("web", 2);
    await t.settle();
    for (let i = 0; i < 2; i++) {
      const pod = deploymentPod({ workload: "web", index: i, crashing: false });
      t.pods.set(pod);
      t.controller.podChanged(pod);
    }
    await t.settle();
    await t.timers.advance(61_000);
    await t.settle();
    const name = t.api.list()[0]?.metadata.name;
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Resolved" });
    expect(t.events.events.map((e) => e.reason)).toContain("Resolved");

    t.crash("web", 1, { restartCount: 7 });
    await t.settle();
    expect(t.api.list()).toHaveLength(1);
    expect(t.api.list()[0]?.metadata.name).toBe(name);
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Diagnosed", recurrences: 1 });
    expect(t.investigator.calls).toHaveLength(2);
    expect(t.events.events.map((e) => e.reason)).toContain("Reopened");

    t.pods.remove("shop", "web-5d8f7c9b4-p0");
    t.pods.remove("shop", "web-5d8f7c9b4-p1");
    t.controller.podDeleted(deploymentPod({ workload: "web", index: 0 }));
    await t.settle();
    await t.timers.advance(61_000);
    await t.settle();
    expect(t.api.list()[0]?.status?.phase).toBe("Resolved");
    await t.timers.advance(3_700_000);
    await t.settle();
    expect(t.api.list()).toHaveLength(0);
  });

  it("diagnoses by rules alone past the hourly budget, saying why", async () => {
    const t = setup({ queue: { investigationsPerHour: 1 } });
    t.controller.start();
    t.crash("web", 1);
    t.crash("api", 1, { exitCode: 2 });
    await t.settle();
    const reasons = t.investigator.calls.map((c) => c.rulesOnly?.reason);
    expect(reasons.sort()).toEqual(["hourly investigation budget of 1 reached", undefined]);
  });
});
