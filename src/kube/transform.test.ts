import type { V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { LAST_APPLIED, slimJob, slimPod, slimReplicaSet, stripMetadata } from "./transform.js";

const pod = (): V1Pod => ({
  metadata: { name: "web-1", namespace: "shop", managedFields: [{ manager: "kubelet" }], annotations: { [LAST_APPLIED]: "{}", keep: "yes" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1a", uid: "u" }] },
  spec: {
    containers: [{ name: "web", image: "web:1", env: [{ name: "A", value: "b" }], envFrom: [{ configMapRef: { name: "c" } }], volumeMounts: [{ name: "v", mountPath: "/v" }], resources: { limits: { memory: "64Mi" } } }],
    initContainers: [{ name: "init", image: "init:1", env: [{ name: "X", value: "y" }] }],
    volumes: [{ name: "v", emptyDir: {} }],
  },
  status: { phase: "Running", containerStatuses: [{ name: "web", image: "web:1", imageID: "", ready: true, restartCount: 2 }] },
});

describe("cache transforms", () => {
  it("stripMetadata drops managedFields and the last-applied annotation only", () => {
    const p = stripMetadata(pod());
    expect(p.metadata?.managedFields).toBeUndefined();
    expect(p.metadata?.annotations).toEqual({ keep: "yes" });
    expect(p.spec?.volumes).toHaveLength(1);
  });

  it("slimPod keeps what detection and correlation read", () => {
    const p = slimPod(pod());
    expect(p.metadata?.managedFields).toBeUndefined();
    expect(p.metadata?.ownerReferences?.[0]?.name).toBe("web-1a");
    expect(p.spec?.volumes).toBeUndefined();
    expect(p.spec?.containers[0]).toEqual({ name: "web", image: "web:1" });
    expect(p.spec?.initContainers?.[0]).toEqual({ name: "init", image: "init:1" });
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(2);
  });

  it("slimReplicaSet keeps identity, owners, the revision, replicas and conditions, and sets the kind", () => {
    const condition = { type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: "exceeded quota" };
    const rs: V1ReplicaSet = {
      metadata: { name: "web-5d9c7", namespace: "shop", uid: "u1", managedFields: [{ manager: "kube-controller-manager" }], labels: { app: "web" }, annotations: { "deployment.kubernetes.io/revision": "3", [LAST_APPLIED]: "{}" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d", controller: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: pod() },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, conditions: [condition] },
    };
    const slim = slimReplicaSet(rs);
    expect(slim.kind).toBe("ReplicaSet");
    expect(slim.metadata).toEqual({ name: "web-5d9c7", namespace: "shop", uid: "u1", resourceVersion: undefined, creationTimestamp: undefined, labels: { app: "web" }, annotations: { "deployment.kubernetes.io/revision": "3" }, ownerReferences: rs.metadata!.ownerReferences });
    expect(slim.spec).toEqual({ replicas: 2, selector: {} });
    expect(slim.status).toEqual({ replicas: 1, readyReplicas: 1, conditions: [condition] });
  });

  it("slimJob keeps parallelism and the status counts, not the template", () => {
    const job: V1Job = { metadata: { name: "export", namespace: "shop", managedFields: [{ manager: "m" }] }, spec: { parallelism: 1, template: pod() }, status: { active: 0, failed: 2, startTime: new Date(0) } };
    const slim = slimJob(job);
    expect(slim.kind).toBe("Job");
    expect(slim.spec).toEqual({ parallelism: 1, suspend: undefined, template: {} });
    expect(slim.status).toEqual({ active: 0, succeeded: undefined, failed: 2 });
  });
});
