import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { ClusterSnapshot, KubeObject } from "../api/snapshot.js";
import { collect } from "./collect.js";
import { SnapshotView } from "./snapshot-view.js";

const ns = "shop";
const template = (image: string, env: Record<string, string>) => ({
  metadata: { labels: { app: "web" } },
  spec: {
    containers: [
      {
        name: "web",
        image,
        env: [...Object.entries(env).map(([name, value]) => ({ name, value })), { name: "API_KEY", valueFrom: { secretKeyRef: { name: "api", key: "key" } } }],
        resources: { limits: { memory: "256Mi" } },
      },
    ],
    volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }, { name: "cfg", configMap: { name: "web-config" } }],
  },
});
const owner = (kind: string, name: string, uid: string) => [{ apiVersion: "apps/v1", kind, name, uid, controller: true }];

function world(): ClusterSnapshot {
  const objects: KubeObject[] = [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns, uid: "dep-uid", annotations: { "deployment.kubernetes.io/revision": "4" } }, spec: { selector: { matchLabels: { app: "web" } }, template: template("web:2", {}) } },
    { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-aaa", namespace: ns, uid: "rs3", annotations: { "deployment.kubernetes.io/revision": "3" }, ownerReferences: owner("Deployment", "web", "dep-uid") }, spec: { template: template("web:1", { DB_HOST: "db", DB_PASSWORD: "old-pass-1" }) } },
    { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-bbb", namespace: ns, uid: "rs4", annotations: { "deployment.kubernetes.io/revision": "4" }, ownerReferences: owner("Deployment", "web", "dep-uid") }, spec: { template: template("web:2", { DB_HOST: "db2", DB_PASSWORD: "new-pass-2" }) } },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-bbb-x1", namespace: ns, uid: "pod-uid", labels: { app: "web" }, ownerReferences: owner("ReplicaSet", "web-bbb", "rs4") },
      spec: { ...template("web:2", { DB_HOST: "db2", DB_PASSWORD: "new-pass-2" }).spec, nodeName: "node-a" },
      status: {
        phase: "Running",
        containerStatuses: [
          { name: "web", ready: false, restartCount: 3, image: "web:2", imageID: "", state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } }, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2026-11-27T11:59:00Z" } } },
        ],
      },
    },
    { apiVersion: "v1", kind: "Node", metadata: { name: "node-a" }, spec: { taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] }, status: { conditions: [{ type: "Ready", status: "True" }], allocatable: { memory: "8Gi" } } },
    { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: ns }, spec: { storageClassName: "fast" }, status: { phase: "Pending" } },
    { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "standard" }, provisioner: "x" },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny-egress", namespace: ns }, spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"] } },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "other", namespace: ns }, spec: { podSelector: { matchLabels: { app: "db" } } } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: ns }, spec: { selector: { app: "web" }, clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: ns }, status: { hard: { pods: "10" }, used: { pods: "3" } } },
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "ev1", namespace: ns, uid: "ev-uid-1" },
      involvedObject: { kind: "Pod", name: "web-bbb-x1", uid: "pod-uid", fieldPath: "spec.containers{web}" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container web",
      count: 7,
      lastTimestamp: "2026-11-27T11:59:30Z",
      source: { component: "kubelet" },
    },
    { apiVersion: "v1", kind: "Event", metadata: { name: "ev2", namespace: ns, uid: "ev-uid-2" }, involvedObject: { kind: "Deployment", name: "web", uid: "dep-uid" }, type: "Normal", reason: "ScalingReplicaSet", message: "Scaled up replica set web-bbb to 1", lastTimestamp: "2026-11-27T11:50:00Z" },
  ];
  return {
    apiVersion: "productionfixer.io/v1alpha1",
    kind: "ClusterSnapshot",
    metadata: { name: "w" },
    capturedAt: "2026-11-27T12:00:00Z",
    objects,
    logs: [{ namespace: ns, pod: "web-bbb-x1", container: "web", previous: true, text: "starting\nconnecting to postgres://app:hunter2pass@db2:5432/x\npanic: dial tcp: lookup db2: no such host\n" }],
    metrics: [],
  };
}

describe("collect", async () => {
  const ctx = await collect(new SnapshotView(world()), { target: { kind: "Deployment", namespace: ns, name: "web" }, reason: "CrashLoopBackOff" });

  it("finds the failing pod of a workload and its failing container", () => {
    expect(ctx.target).toMatchObject({ namespace: ns, pod: "web-bbb-x1", container: "web", workload: { kind: "Deployment", name: "web" } });
    expect(ctx.owners.map((o) => `${o.kind}/${o.name}`)).toEqual(["ReplicaSet/web-bbb", "Deployment/web"]);
    expect(ctx.containers[0]).toMatchObject({ name: "web", restartCount: 3, state: { kind: "waiting", reason: "CrashLoopBackOff" }, lastTerminated: { exitCode: 1 } });
  });

  it("shows env values only for names that do not look secret, and references as references", () => {
    expect(ctx.containers[0]!.env).toEqual([
      { name: "DB_HOST", value: "db2" },
      { name: "DB_PASSWORD", value: "[REDACTED:secret]" },
      { name: "API_KEY", from: "secretKeyRef api/key" },
    ]);
    expect(JSON.stringify(ctx)).not.toContain("new-pass-2");
    expect(JSON.stringify(ctx)).not.toContain("old-pass-1");
    expect(JSON.stringify(ctx)).not.toContain("hunter2pass");
    expect(ctx.redactions).toBeGreaterThanOrEqual(2);
  });

  it("diffs the rollout by revision, hiding secret values", () => {
    expect(ctx.rollout).toMatchObject({ evidenceId: "rollout/web/rev3-rev4", fromRevision: "3", toRevision: "4" });
    const changes = Object.fromEntries(ctx.rollout!.changes.map((c) => [c.path, [c.before, c.after]]));
    expect(changes["containers[web].image"]).toEqual(["web:1", "web:2"]);
    expect(changes["containers[web].env[DB_HOST]"]).toEqual(["db", "db2"]);
    expect(changes["containers[web].env[DB_PASSWORD]"]).toEqual(["[REDACTED:secret]", "[REDACTED:secret] (changed)"]);
  });

  it("collects condensed previous logs with a stable id", () => {
    const log = ctx.logs.web?.previous;
    expect(log?.evidenceId).toBe("logs/shop/web-bbb-x1/web/previous");
    expect(log?.firstErrorLine).toBe(3);
    expect(log?.text).toContain("postgres://app:[REDACTED:password]@db2");
  });

  it("collects events of the pod and its owners", () => {
    expect(ctx.events.map((e) => `${e.evidenceId} ${e.reason}`)).toEqual(["event/ev-uid-2 ScalingReplicaSet", "event/ev-uid-1 BackOff"]);
    expect(ctx.events[1]).toMatchObject({ count: 7, source: "kubelet", involved: { kind: "Pod", fieldPath: "spec.containers{web}" } });
  });

  it("collects storage, policies selecting the pod, services and missing configmaps, and no node or quota nothing points at", () => {
    expect(ctx.node).toBeUndefined();
    const ids = ctx.related.map((r) => r.evidenceId).sort();
    expect(ids).toEqual(["configmap/shop/web-config", "networkpolicy/shop/deny-egress", "persistentvolumeclaim/shop/data", "service/shop/web", "storageclass/standard"]);
    expect(ctx.related.find((r) => r.kind === "PersistentVolumeClaim")?.summary).toContain('StorageClass "fast" not found');
    expect(ctx.related.find((r) => r.kind === "ConfigMap")?.summary).toContain("not found");
  });

  it("collects the node after an unexplained SIGKILL and the quotas when a LimitRange set the pod's resources", async () => {
    const snapshot = world();
    const pod = snapshot.objects.find((o) => o.kind === "Pod") as V1Pod;
    pod.metadata!.annotations = { "kubernetes.io/limit-ranger": "LimitRanger plugin set: cpu request for container web" };
    pod.status!.containerStatuses![0]!.lastState = { terminated: { exitCode: 137, reason: "Error" } };
    const c = await collect(new SnapshotView(snapshot), { target: { kind: "Deployment", namespace: ns, name: "web" }, reason: "CrashLoopBackOff" });
    expect(c.node).toMatchObject({ evidenceId: "node/node-a", ready: true, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] });
    expect(c.related.map((r) => r.evidenceId)).toContain("resourcequota/shop/q");
    expect(c.evidence.map((e) => e.id)).toContain("node/node-a");
  });

  it("gives every cited piece an evidence item with a unique id", () => {
    const ids = ctx.evidence.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(["pod/shop/web-bbb-x1/status", "pod/shop/web-bbb-x1/spec", "logs/shop/web-bbb-x1/web/previous", "rollout/web/rev3-rev4", "event/ev-uid-1"]));
  });

  it("notes a missing pod instead of throwing", async () => {
    const c = await collect(new SnapshotView(world()), { target: { kind: "Pod", namespace: ns, name: "gone" }, reason: "x" });
    expect(c.notes).toContain("pod shop/gone no longer exists");
    expect(c.containers).toEqual([]);
  });

  it("records the alert as evidence", async () => {
    const c = await collect(new SnapshotView(world()), { target: { kind: "Deployment", namespace: ns, name: "web" }, reason: "alert", alert: { name: "HighErrorRate", summary: "5xx above 5%", labels: { service: "web" } } });
    expect(c.alert).toMatchObject({ name: "HighErrorRate", evidenceId: "alert/HighErrorRate" });
    expect(c.evidence.find((e) => e.id === "alert/HighErrorRate")?.text).toContain("5xx above 5%");
  });
});
