import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import { pino } from "pino";
import { API_VERSION } from "../api/common.js";
import type { ProductionAlert } from "../api/alert.js";
import type { Diagnosis } from "../api/diagnosis.js";
import type { ProductionIncident } from "../api/incident.js";
import type { ClusterView } from "../context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../diagnosis/types.js";
import type { Cache, IncidentApi } from "../incidents/ports.js";
import { AlertController, type AlertStatusApi } from "./alerts.js";

interface Obj {
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string };
}

/** An in-memory namespaced collection with resourceVersions, serving as cache and API. */
class Memory<T extends Obj> implements Cache<T> {
  readonly items = new Map<string, T>();
  private rv = 1;
  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(`${namespace}/${name}`);
  }
  list(namespace?: string): T[] {
    return [...this.items.values()].filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
  }
  byIndex(): T[] {
    return [];
  }
  put(obj: T): T {
    const copy = structuredClone({ ...obj, metadata: { generation: 1, ...obj.metadata, resourceVersion: String(++this.rv) } });
    this.items.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, copy);
    return structuredClone(copy);
  }
}

const apiError = (code: number, reason: string): Error => Object.assign(new Error(reason), { code, body: JSON.stringify({ reason }) });

function incidentApi(mem: Memory<ProductionIncident>): IncidentApi & { creates: number } {
  const api = {
    creates: 0,
    create: async (i: ProductionIncident) => {
      if (mem.get(i.metadata.namespace, i.metadata.name ?? "")) throw apiError(409, "AlreadyExists");
      api.creates++;
      return mem.put({ ...i, status: undefined });
    },
    get: async (ns: string, name: string) => structuredClone(mem.get(ns, name)),
    replaceStatus: async (i: ProductionIncident) => {
      const cur = mem.get(i.metadata.namespace, i.metadata.name ?? "");
      if (!cur) throw apiError(404, "NotFound");
      if (cur.metadata.resourceVersion !== i.metadata.resourceVersion) throw apiError(409, "Conflict");
      return mem.put({ ...cur, status: i.status });
    },
    delete: async () => undefined,
  };
  return api;
}

function alertStatusApi(mem: Memory<ProductionAlert>): AlertStatusApi {
  return {
    updateStatus: async (ns, name, mutate) => {
      const cur = mem.get(ns, name);
      if (!cur) throw apiError(404, "NotFound");
      const next = mutate(structuredClone(cur));
      return next ? mem.put({ ...cur, status: next.status }) : undefined;
    },
  };
}

const diagnosis: Diagnosis = {
  category: "OutOfMemory",
  summary: "web exceeds its memory limit",
  rootCause: "memory climbs to the limit",
  confidence: 0.9,
  hypotheses: [],
  evidence: [{ id: "metrics/alert/MemoryHigh", source: "Metrics", excerpt: "0.97" }],
  remediation: [],
  notes: [],
  mode: "rules",
  durationMs: 1,
} as unknown as Diagnosis;

class FakeInvestigator implements Investigator {
  requests: InvestigationRequest[] = [];
  async investigate(_view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    this.requests.push(req);
    return { diagnosis, redactions: 0, context: {} as InvestigationResult["context"] };
  }
}

function alert(name: string, spec: Partial<ProductionAlert["spec"]> = {}, namespace = "shop"): ProductionAlert {
  return {
    apiVersion: API_VERSION,
    kind: "ProductionAlert",
    metadata: { name, namespace },
    spec: { source: "alertmanager", name: "MemoryHigh", severity: "warning", state: "firing", labels: { namespace: "shop", pod: "web-1", container: "web" }, ...spec },
  };
}

function setup(opts: { investigator?: boolean } = {}) {
  const alerts = new Memory<ProductionAlert>();
  const incidents = new Memory<ProductionIncident>();
  const pods = new Memory<V1Pod>();
  pods.put({ metadata: { name: "web-1", namespace: "shop", labels: { "pod-template-hash": "5d9c" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d9c", uid: "u", controller: true }] } });
  const api = incidentApi(incidents);
  const investigator = new FakeInvestigator();
  let now = Date.parse("2026-11-27T12:00:00Z");
  const controller = new AlertController({
    alerts,
    alertStatus: alertStatusApi(alerts),
    incidents,
    incidentApi: api,
    pods,
    view: () => ({}) as ClusterView,
    ...(opts.investigator === false ? {} : { investigator }),
    logger: pino({ level: "silent" }),
    timers: { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined },
  });
  const apply = async (a: ProductionAlert): Promise<ProductionAlert> => {
    const prev = alerts.get(a.metadata.namespace, a.metadata.name ?? "");
    const generation = prev ? (JSON.stringify(prev.spec) === JSON.stringify(a.spec) ? prev.metadata.generation : (prev.metadata.generation ?? 1) + 1) : 1;
    const stored = alerts.put({ ...a, metadata: { ...a.metadata, generation }, status: prev?.status });
    controller.alertChanged(stored);
    await controller.idle();
    return alerts.get(a.metadata.namespace, a.metadata.name ?? "")!;
  };
  controller.start();
  return { alerts, incidents, api, investigator, controller, apply, tick: (ms: number) => (now += ms) };
}

describe("AlertController", () => {
  it("opens an incident for the pod's workload, investigates it with the alert and marks the alert Diagnosed", async () => {
    const env = setup();
    const a = await env.apply(alert("am-1", { generatorURL: "http://prom/graph?g0.expr=up", summary: "memory high" }));
    expect(a.status).toMatchObject({ phase: "Diagnosed", observedGeneration: 1 });
    const [incident] = env.incidents.list("shop");
    expect(a.status?.incidentRef).toEqual({ namespace: "shop", name: incident!.metadata.name });
    expect(incident!.spec).toMatchObject({
      target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" },
      trigger: { source: "Alert", reason: "MemoryHigh", alertRef: { name: "am-1", namespace: "shop" } },
      fingerprint: "shop/Deployment/web/web/alert:MemoryHigh",
    });
    expect(incident!.status).toMatchObject({ phase: "Diagnosed", alerts: [{ name: "shop/am-1", alertname: "MemoryHigh", state: "firing" }] });
    expect(env.investigator.requests[0]).toMatchObject({ pod: "web-1", reason: "MemoryHigh", alert: { name: "MemoryHigh", summary: "memory high", generatorURL: "http://prom/graph?g0.expr=up" } });
    await env.controller.stop();
  });

  it("records an alert on the open incident of the same workload instead of opening another", async () => {
    const env = setup();
    env.incidents.put({
      apiVersion: API_VERSION,
      kind: "ProductionIncident",
      metadata: { name: "web-oomkilled-1234", namespace: "shop" },
      spec: { target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" }, trigger: { source: "PodFailure", reason: "OOMKilled" }, fingerprint: "shop/Deployment/web/web/OOMKilled" },
      status: { phase: "Diagnosed" },
    });
    const a = await env.apply(alert("am-2", { labels: { namespace: "shop", deployment: "web" } }));
    expect(a.status).toMatchObject({ phase: "Correlated", incidentRef: { name: "web-oomkilled-1234" } });
    expect(env.api.creates).toBe(0);
    expect(env.investigator.requests).toEqual([]);
    expect(env.incidents.get("shop", "web-oomkilled-1234")!.status?.alerts).toEqual([{ name: "shop/am-2", alertname: "MemoryHigh", state: "firing" }]);
    await env.controller.stop();
  });

  it("records a resolved alert on its incident without resolving the incident", async () => {
    const env = setup();
    const fired = await env.apply(alert("am-3", { startsAt: "2026-11-27T11:50:00Z" }));
    const name = fired.status!.incidentRef!.name;
    env.tick(60_000);
    const resolved = await env.apply(alert("am-3", { startsAt: "2026-11-27T11:50:00Z", state: "resolved", endsAt: "2026-11-27T12:00:30Z" }));
    expect(resolved.status).toMatchObject({ phase: "Resolved", observedGeneration: 2, incidentRef: { name } });
    const incident = env.incidents.get("shop", name)!;
    expect(incident.status?.phase).toBe("Diagnosed");
    expect(incident.status?.alerts).toEqual([{ name: "shop/am-3", alertname: "MemoryHigh", state: "resolved", startsAt: "2026-11-27T11:50:00Z", endsAt: "2026-11-27T12:00:30Z" }]);
    expect(env.investigator.requests).toHaveLength(1);
    await env.controller.stop();
  });

  it("resolves the record of a deleted alert on its incident, with endsAt at the deletion", async () => {
    const env = setup();
    const fired = await env.apply(alert("am-9", { startsAt: "2026-11-27T11:50:00Z" }));
    const name = fired.status!.incidentRef!.name;
    expect(env.incidents.get("shop", name)!.status?.alerts).toEqual([{ name: "shop/am-9", alertname: "MemoryHigh", state: "firing", startsAt: "2026-11-27T11:50:00Z" }]);
    env.tick(90_000);
    env.alerts.items.delete("shop/am-9");
    env.controller.alertDeleted(fired);
    await env.controller.idle();
    const incident = env.incidents.get("shop", name)!;
    expect(incident.status?.alerts).toEqual([{ name: "shop/am-9", alertname: "MemoryHigh", state: "resolved", startsAt: "2026-11-27T11:50:00Z", endsAt: "2026-11-27T12:01:30.000Z" }]);
    expect(incident.status?.phase).toBe("Diagnosed");
    const rv = incident.metadata.resourceVersion;
    env.controller.alertDeleted(fired);
    await env.controller.idle();
    expect(env.incidents.get("shop", name)!.metadata.resourceVersion).toBe(rv);
    await env.controller.stop();
  });

  it("treats an alert whose endsAt has passed as resolved", async () => {
    const env = setup();
    const a = await env.apply(alert("am-4", { endsAt: "2026-11-27T12:00:05Z" }));
    expect(a.status?.phase).toBe("Diagnosed");
    env.tick(10_000);
    env.controller.alertChanged(a);
    await env.controller.idle();
    const after = env.alerts.get("shop", "am-4")!;
    expect(after.status?.phase).toBe("Resolved");
    expect(env.incidents.get("shop", a.status!.incidentRef!.name)!.status?.alerts?.[0]).toMatchObject({ state: "resolved", endsAt: "2026-11-27T12:00:05Z" });
    await env.controller.stop();
  });

  it("is idempotent: re-applying the same alert writes nothing and opens nothing", async () => {
    const env = setup();
    const first = await env.apply(alert("am-5"));
    const rv = first.metadata.resourceVersion;
    const again = await env.apply(alert("am-5"));
    expect(env.api.creates).toBe(1);
    expect(env.investigator.requests).toHaveLength(1);
    expect(again.status).toEqual(first.status);
    expect(again.metadata.resourceVersion).not.toBe(rv); // the re-apply itself
    await env.controller.stop();
  });

  it("two alerts of one workload end up on one incident", async () => {
    const env = setup();
    env.controller.alertChanged(env.alerts.put(alert("am-6", { name: "MemoryHigh" })));
    env.controller.alertChanged(env.alerts.put(alert("am-7", { name: "CPUThrottlingHigh" })));
    await env.controller.idle();
    expect(env.incidents.list("shop")).toHaveLength(1);
    expect(env.alerts.get("shop", "am-6")!.status?.phase === "Correlated" || env.alerts.get("shop", "am-7")!.status?.phase === "Correlated").toBe(true);
    await env.controller.stop();
  });

  it("a namespace-wide alert in the fallback namespace targets that namespace", async () => {
    const env = setup();
    const a = await env.apply(alert("am-8", { labels: { alertname: "Watchdog" } }, "production-fixer"));
    const incident = env.incidents.get("production-fixer", a.status!.incidentRef!.name)!;
    expect(incident.spec.target).toEqual({ kind: "Namespace", namespace: "production-fixer", name: "production-fixer" });
    await env.controller.stop();
  });

  it("without an investigator leaves the incident Detected and follows its phase", async () => {
    const env = setup({ investigator: false });
    const a = await env.apply(alert("am-9"));
    expect(a.status?.phase).toBe("Investigating");
    const name = a.status!.incidentRef!.name;
    expect(env.incidents.get("shop", name)!.status?.phase).toBe("Detected");
    const diagnosedIncident = env.incidents.put({ ...env.incidents.get("shop", name)!, status: { ...env.incidents.get("shop", name)!.status, phase: "Diagnosed", diagnosis } });
    expect(env.controller.alertFor(diagnosedIncident)).toMatchObject({ name: "MemoryHigh" });
    env.controller.incidentChanged(diagnosedIncident);
    await env.controller.idle();
    expect(env.alerts.get("shop", "am-9")!.status).toMatchObject({ phase: "Diagnosed", message: expect.stringContaining("OutOfMemory") });
    await env.controller.stop();
  });
});
