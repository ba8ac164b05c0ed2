import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { LAST_APPLIED, slimPod, stripMetadata } from "./transform.js";

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
    expect(p.spec?.containers[0]).toEqual({ name: "web", image: "web:1", resources: { limits: { memory: "64Mi" } } });
    expect(p.spec?.initContainers?.[0]).toEqual({ name: "init", image: "init:1" });
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(2);
  });
});
