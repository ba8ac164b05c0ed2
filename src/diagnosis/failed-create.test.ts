import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/snapshot.js";
import { createFailures } from "./failed-create.js";

const QUOTA = 'pods "web-7d9f8-x2k4p" is forbidden: exceeded quota: compute-quota, requested: limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi';

function rs(name: string, opts: { replicas?: number; condition?: string } = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "shop", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "uid-web", controller: true }] },
    spec: { replicas: opts.replicas ?? 2 },
    status: opts.condition ? { conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: opts.condition }] } : {},
  };
}

const event = (kind: string, name: string, message: string, type = "Warning"): CoreV1Event =>
  ({ metadata: { name: `${name}.1` }, involvedObject: { kind, name, namespace: "shop", uid: `uid-${name}` }, reason: "FailedCreate", type, message: `Error creating: ${message}` }) as CoreV1Event;

const podOf = (owner: string): V1Pod => ({ metadata: { name: `${owner}-abcde`, namespace: "shop", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: `uid-${owner}` }] } });

describe("createFailures", () => {
  it("opens one failure for the Deployment of a ReplicaSet with a ReplicaFailure condition, even with some pods", () => {
    const [f, ...rest] = createFailures([rs("web-7d9f8", { condition: QUOTA })], [], [podOf("web-7d9f8")]);
    expect(rest).toEqual([]);
    expect(f!.workload).toMatchObject({ kind: "Deployment", name: "web", namespace: "shop" });
    expect(f!.failure).toMatchObject({ reason: "FailedCreate", message: QUOTA });
    expect(f!.failure.signature).toMatch(/^FailedCreate:/);
  });

  it("takes a FailedCreate Warning event only when the owner has no pods", () => {
    const events = [event("ReplicaSet", "web-7d9f8", QUOTA)];
    expect(createFailures([rs("web-7d9f8")], events, [])).toHaveLength(1);
    expect(createFailures([rs("web-7d9f8")], events, [podOf("web-7d9f8")])).toEqual([]);
  });

  it("ignores scaled-down ReplicaSets, Normal events and unrelated owners", () => {
    expect(createFailures([rs("web-old", { replicas: 0, condition: QUOTA })], [], [])).toEqual([]);
    expect(createFailures([rs("web-7d9f8")], [event("ReplicaSet", "web-7d9f8", QUOTA, "Normal")], [])).toEqual([]);
    expect(createFailures([rs("web-7d9f8")], [event("ReplicaSet", "other", QUOTA)], [])).toEqual([]);
  });

  it("names a Job without an owner as its own workload", () => {
    const job: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "export", namespace: "shop", uid: "uid-export" }, spec: { parallelism: 1 } };
    const [f] = createFailures([job], [event("Job", "export", 'pods "export-abcde" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi')], []);
    expect(f!.workload).toMatchObject({ kind: "Job", name: "export" });
  });
});
