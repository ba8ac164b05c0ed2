import { describe, expect, it } from "vitest";
import { fingerprintFor, workloadOf } from "./fingerprint.js";

const owned = (kind: string, name: string, labels: Record<string, string> = {}) => ({
  metadata: { name: "x", namespace: "shop", labels, ownerReferences: [{ apiVersion: "apps/v1", kind, name, uid: "u1", controller: true }] },
});

describe("workloadOf", () => {
  it("maps a ReplicaSet to its Deployment through pod-template-hash", () => {
    expect(workloadOf(owned("ReplicaSet", "web-7d4b9c8f6", { "pod-template-hash": "7d4b9c8f6" }))).toEqual({ kind: "Deployment", name: "web", namespace: "shop" });
  });
  it("keeps a ReplicaSet without the hash label", () => {
    expect(workloadOf(owned("ReplicaSet", "web-abc")).kind).toBe("ReplicaSet");
  });
  it("maps a scheduled Job to its CronJob", () => {
    expect(workloadOf(owned("Job", "nightly-29345760"))).toEqual({ kind: "CronJob", name: "nightly", namespace: "shop" });
    expect(workloadOf(owned("Job", "migrate")).kind).toBe("Job");
  });
  it("treats a bare pod as its own workload", () => {
    expect(workloadOf({ metadata: { name: "debug", namespace: "shop" } })).toMatchObject({ kind: "Pod", name: "debug" });
  });
});

describe("fingerprintFor", () => {
  const w = { kind: "Deployment", name: "web", namespace: "shop" };
  it("is the same for every replica and differs by signature or container", () => {
    const a = fingerprintFor(w, { container: "web", signature: "OOMKilled", reason: "OOMKilled" });
    expect(fingerprintFor(w, { container: "web", signature: "OOMKilled", reason: "OOMKilled" })).toEqual(a);
    expect(fingerprintFor(w, { container: "web", signature: "ImagePull", reason: "ImagePullBackOff" }).hash).not.toBe(a.hash);
    expect(fingerprintFor(w, { container: "sidecar", signature: "OOMKilled", reason: "OOMKilled" }).hash).not.toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{20}$/);
    expect(a.incidentName).toMatch(/^web-oomkilled-[0-9a-f]{8}$/);
  });
  it("makes a valid name from a long workload name", () => {
    const long = fingerprintFor({ ...w, name: "a".repeat(80) }, { signature: "s", reason: "CrashLoopBackOff" });
    expect(long.incidentName.length).toBeLessThanOrEqual(63);
    expect(long.incidentName).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
