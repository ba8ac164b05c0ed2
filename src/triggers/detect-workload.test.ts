import type { CoreV1Event, V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { awaitsPods, detectCreateFailure, podsCreated } from "./detect-workload.js";

const QUOTA = 'pods "web-5d9c7-x" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi';

function rs(opts: { replicas?: number; ready?: number; failure?: string } = {}): V1ReplicaSet {
  return {
    apiVersion: "apps/v1", kind: "ReplicaSet",
    metadata: { name: "web-5d9c7", namespace: "shop", uid: "uid-rs", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "uid-web", controller: true }] },
    spec: { replicas: opts.replicas ?? 2, selector: {} },
    status: {
      replicas: opts.ready ?? 0, readyReplicas: opts.ready ?? 0,
      ...(opts.failure ? { conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: opts.failure }] } : {}),
    },
  };
}

function job(status: V1Job["status"] = {}, spec: Partial<NonNullable<V1Job["spec"]>> = {}): V1Job {
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name: "export", namespace: "shop", uid: "uid-job" }, spec: { parallelism: 1, template: {}, ...spec }, status };
}

const jobPod: V1Pod = { metadata: { name: "export-abcde", namespace: "shop", ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "export", uid: "uid-job" }] } };
const failedCreate = (message: string): CoreV1Event => ({ metadata: { name: "export.1" }, involvedObject: { kind: "Job", name: "export", namespace: "shop", uid: "uid-job" }, reason: "FailedCreate", type: "Warning", message: `Error creating: ${message}` });

describe("detectCreateFailure", () => {
  it("finds a ReplicaSet's ReplicaFailure condition and names its Deployment", () => {
    const found = detectCreateFailure(rs({ failure: QUOTA }), []);
    expect(found?.workload).toMatchObject({ kind: "Deployment", name: "web", namespace: "shop" });
    expect(found?.failure).toMatchObject({ reason: "FailedCreate", message: QUOTA });
    expect(found?.failure.signature).toMatch(/^FailedCreate:.*exceeded quota: compute-quota/);
  });

  it("gives pods rejected for different amounts the same signature", () => {
    const other = QUOTA.replace("web-5d9c7-x", "web-5d9c7-y").replace("used: limits.memory=7Gi", "used: limits.memory=6Gi");
    expect(detectCreateFailure(rs({ failure: other }), [])?.failure.signature).toBe(detectCreateFailure(rs({ failure: QUOTA }), [])?.failure.signature);
  });

  it("finds a Job's FailedCreate event only while it has no pods", () => {
    const events = [failedCreate('pods "export-x" is forbidden: error looking up service account shop/exporter: serviceaccount "exporter" not found')];
    expect(detectCreateFailure(job(), [], events)?.workload).toMatchObject({ kind: "Job", name: "export" });
    expect(detectCreateFailure(job(), [jobPod], events)).toBeUndefined();
  });

  it("ignores healthy and scaled-down ReplicaSets", () => {
    expect(detectCreateFailure(rs({ ready: 2 }), [])).toBeUndefined();
    expect(detectCreateFailure(rs({ replicas: 0, failure: QUOTA }), [])).toBeUndefined();
  });
});

describe("awaitsPods", () => {
  it("is true only for a Job that wants pods and has none, not started, not finished, not suspended", () => {
    expect(awaitsPods(job(), [])).toBe(true);
    expect(awaitsPods(job(), [jobPod])).toBe(false);
    expect(awaitsPods(job({ active: 1 }), [])).toBe(false);
    expect(awaitsPods(job({ conditions: [{ type: "Complete", status: "True" }] }), [])).toBe(false);
    expect(awaitsPods(job({}, { suspend: true }), [])).toBe(false);
    expect(awaitsPods(rs(), [])).toBe(false);
  });
});

describe("podsCreated", () => {
  it("needs the condition gone and every replica ready for a ReplicaSet", () => {
    expect(podsCreated(rs({ failure: QUOTA, ready: 2 }))).toBe(false);
    expect(podsCreated(rs({ ready: 1 }))).toBe(false);
    expect(podsCreated(rs({ ready: 2 }))).toBe(true);
    expect(podsCreated(rs({ replicas: 0 }))).toBe(true);
  });

  it("needs a Job to run, have run or be suspended", () => {
    expect(podsCreated(job())).toBe(false);
    expect(podsCreated(job({ active: 1 }))).toBe(true);
    expect(podsCreated(job({ succeeded: 1 }))).toBe(true);
    expect(podsCreated(job({}, { suspend: true }))).toBe(true);
  });
});
