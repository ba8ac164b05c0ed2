import type { CoreV1Event, V1Job, V1ReplicaSet } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { Config } from "../config.js";
import type { ClusterView } from "../context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../diagnosis/types.js";
import { FakeTimers, flush } from "../../test/operator/fake-timers.js";
import { FakeEvents, FakeIncidents, FakePods } from "../../test/operator/fakes.js";
import { IncidentController } from "./controller.js";
import type { ObjectRef, Cache } from "./ports.js";
import { ownerWorkloadIndex } from "./workload-health.js";
import { JOB_RECHECK_MS, JOB_START_GRACE_MS } from "./workloads.js";

const QUOTA = 'pods "web-5d9c7b8f4d-x2k4p" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi';

/** A cache of slimmed ReplicaSets or Jobs with the "workload" index. */
class FakeOwners<T extends V1ReplicaSet | V1Job> implements Cache<T> {
  readonly items = new Map<string, T>();
  set(obj: T): void {
    this.items.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, obj);
  }
  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(`${namespace}/${name}`);
  }
  list(): T[] {
    return [...this.items.values()];
  }
  byIndex(_index: string, value: string): T[] {
    return this.list().filter((o) => ownerWorkloadIndex(o).includes(value));
  }
}

class RulesStub implements Investigator {
  calls: InvestigationRequest[] = [];
  async investigate(_view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    this.calls.push(req);
    const diagnosis = {
      category: "QuotaExceeded" as const, summary: "quota", rootCause: "compute-quota is full", confidence: 0.9, hypotheses: [],
      evidence: [{ id: "events/rs", source: "Event" as const, excerpt: "exceeded quota" }], remediation: [], prevention: [], mode: "rules" as const, durationMs: 1, notes: [],
    };
    return { diagnosis, redactions: 0, context: {} as InvestigationResult["context"] };
  }
}

function replicaSet(opts: { failure?: string; ready?: number } = {}): V1ReplicaSet {
  return {
    apiVersion: "apps/v1", kind: "ReplicaSet",
    metadata: { name: "web-5d9c7b8f4d", namespace: "shop", uid: "uid-rs", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "uid-web", controller: true }] },
    spec: { replicas: 2, selector: {} },
    status: { replicas: opts.ready ?? 0, readyReplicas: opts.ready ?? 0, ...(opts.failure ? { conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: opts.failure }] } : {}) },
  };
}

function setup() {
  const timers = new FakeTimers();
  const api = new FakeIncidents();
  const replicaSets = new FakeOwners<V1ReplicaSet>();
  const jobs = new FakeOwners<V1Job>();
  const events = new FakeEvents();
  const investigator = new RulesStub();
  const eventReads: ObjectRef[] = [];
  const jobEvents: CoreV1Event[] = [];
  const controller = new IncidentController({
    config: Config.parse({ resolution: { healthySeconds: 10, retentionHours: 1 } }),
    pods: new FakePods(), replicaSets, jobs, incidents: api.cache, api, events, investigator, view: () => ({}) as ClusterView,
    eventsOf: async (r) => {
      eventReads.push(r);
      return jobEvents;
    },
    logger: pino({ level: "silent" }), timers,
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 4; i++) {
      await flush();
      await timers.advance(600);
    }
  };
  const putRs = (rs: V1ReplicaSet): void => {
    replicaSets.set(rs);
    controller.workloadChanged(rs);
  };
  return { timers, api, jobs, events, investigator, eventReads, jobEvents, controller, settle, putRs };
}

describe("the workload reconciler", () => {
  it("opens one FailedCreate incident on the Deployment of a ReplicaSet that cannot create pods, and investigates it without a pod", async () => {
    const t = setup();
    t.controller.start();
    t.putRs(replicaSet({ failure: QUOTA }));
    await t.settle();
    t.putRs(replicaSet({ failure: QUOTA }));
    t.putRs(replicaSet({ failure: QUOTA.replace("x2k4p", "q8m2k") }));
    await t.settle();
    const [incident, ...rest] = t.api.list();
    expect(rest).toEqual([]);
    expect(incident?.spec).toMatchObject({ target: { kind: "Deployment", namespace: "shop", name: "web" }, trigger: { source: "PodFailure", reason: "FailedCreate" } });
    expect(incident?.spec.fingerprint).toContain("shop/Deployment/web//FailedCreate:");
    expect(incident?.status).toMatchObject({ phase: "Diagnosed", occurrences: 0, affectedPods: [] });
    expect(t.api.creates).toBe(1);
    expect(t.api.statusWrites).toBeLessThanOrEqual(4);
    expect(t.investigator.calls).toHaveLength(1);
    expect(t.investigator.calls[0]).toMatchObject({ target: { kind: "Deployment", name: "web" }, reason: "FailedCreate" });
    expect(t.investigator.calls[0]?.pod).toBeUndefined();
    expect(t.events.events[0]).toMatchObject({ reason: "IncidentOpened", regarding: { kind: "ReplicaSet", name: "web-5d9c7b8f4d", uid: "uid-rs" } });
  });

  it("resolves once the condition is gone and the replicas are ready, and reopens when the failure returns", async () => {
    const t = setup();
    t.controller.start();
    t.putRs(replicaSet({ failure: QUOTA }));
    await t.settle();
    t.putRs(replicaSet({ ready: 1 }));
    await t.settle();
    await t.timers.advance(61_000);
    await t.settle();
    expect(t.api.list()[0]?.status?.phase).toBe("Diagnosed");

    t.putRs(replicaSet({ ready: 2 }));
    await t.settle();
    await t.timers.advance(11_000);
    await t.settle();
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Resolved", conditions: expect.arrayContaining([expect.objectContaining({ type: "Resolved", status: "True" })]) });

    t.putRs(replicaSet({ failure: QUOTA }));
    await t.settle();
    expect(t.api.list()).toHaveLength(1);
    expect(t.api.list()[0]?.status).toMatchObject({ phase: "Diagnosed", recurrences: 1 });
    expect(t.events.events.map((e) => e.reason)).toEqual(["IncidentOpened", "Diagnosed", "Resolved", "Reopened", "Diagnosed"]);
  });

  it("reads the events of a Job that has no pods after a grace period, and only then", async () => {
    const t = setup();
    t.controller.start();
    const job: V1Job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "export", namespace: "shop", uid: "uid-job", creationTimestamp: new Date(t.timers.now()) }, spec: { parallelism: 1, template: {} }, status: {} };
    t.jobs.set(job);
    t.controller.workloadChanged(job);
    await flush();
    expect(t.eventReads).toEqual([]);
    await t.timers.advance(JOB_START_GRACE_MS);
    await t.settle();
    expect(t.eventReads).toEqual([{ apiVersion: "batch/v1", kind: "Job", namespace: "shop", name: "export", uid: "uid-job" }]);
    expect(t.api.list()).toEqual([]);

    t.jobEvents.push({ metadata: { name: "export.1" }, involvedObject: { kind: "Job", name: "export", namespace: "shop", uid: "uid-job" }, reason: "FailedCreate", type: "Warning", message: 'Error creating: pods "export-7xk2p" is forbidden: error looking up service account shop/exporter: serviceaccount "exporter" not found' });
    await t.timers.advance(JOB_RECHECK_MS);
    await t.settle();
    expect(t.api.list()[0]?.spec).toMatchObject({ target: { kind: "Job", name: "export" }, trigger: { reason: "FailedCreate" } });
    expect(t.events.events[0]?.regarding).toMatchObject({ kind: "Job", name: "export" });
  });
});
