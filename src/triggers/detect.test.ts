import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { detectPodFailure } from "./detect.js";

const now = new Date("2026-11-27T12:00:00Z");
const opts = { minRestarts: 1, unschedulableGraceSeconds: 60 };

function pod(statuses: Partial<V1ContainerStatus>[], extra: Partial<NonNullable<V1Pod["status"]>> = {}): V1Pod {
  return {
    metadata: { name: "web-1", namespace: "shop" },
    status: {
      phase: "Running",
      containerStatuses: statuses.map((s) => ({ name: "web", image: "web:1", imageID: "", ready: false, restartCount: 0, ...s })),
      ...extra,
    },
  };
}

describe("detectPodFailure", () => {
  it("is quiet for a healthy pod", () => {
    expect(detectPodFailure(pod([{ ready: true, state: { running: { startedAt: now } } }]), now, opts)).toBeUndefined();
  });

  it("sees CrashLoopBackOff with the last exit code in the signature", () => {
    const f = detectPodFailure(
      pod([{ restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } }]),
      now,
      opts,
    );
    expect(f).toMatchObject({ reason: "CrashLoopBackOff", container: "web", exitCode: 1, signature: "CrashLoopBackOff:Error:1" });
  });

  it("waits for minRestarts", () => {
    const p = pod([{ restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1 } } }]);
    expect(detectPodFailure(p, now, { ...opts, minRestarts: 3 })).toBeUndefined();
  });

  it("names OOMKilled whether backing off, terminated, or recently restarted", () => {
    const oom = { terminated: { exitCode: 137, reason: "OOMKilled", finishedAt: new Date(now.getTime() - 30_000) } };
    expect(detectPodFailure(pod([{ restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: oom }]), now, opts)?.signature).toBe("OOMKilled");
    expect(detectPodFailure(pod([{ state: oom }]), now, opts)?.reason).toBe("OOMKilled");
    expect(detectPodFailure(pod([{ restartCount: 1, state: { running: {} }, lastState: oom }]), now, opts)?.reason).toBe("OOMKilled");
    const old = { terminated: { ...oom.terminated, finishedAt: new Date(now.getTime() - 3_600_000) } };
    expect(detectPodFailure(pod([{ restartCount: 1, state: { running: {} }, lastState: old }]), now, opts)).toBeUndefined();
  });

  it("gives ErrImagePull and ImagePullBackOff one signature (they alternate)", () => {
    const a = detectPodFailure(pod([{ state: { waiting: { reason: "ErrImagePull" } } }]), now, opts);
    const b = detectPodFailure(pod([{ state: { waiting: { reason: "ImagePullBackOff" } } }]), now, opts);
    expect(a?.signature).toBe("ImagePull");
    expect(b?.signature).toBe(a?.signature);
  });

  it("keeps the config error's object in the signature", () => {
    const f = detectPodFailure(pod([{ state: { waiting: { reason: "CreateContainerConfigError", message: 'configmap "web-config" not found' } } }]), now, opts);
    expect(f?.signature).toBe('CreateContainerConfigError:configmap "web-config" not found');
  });

  it("checks init containers first", () => {
    const p = pod([{ state: { waiting: { reason: "PodInitializing" } } }], {
      initContainerStatuses: [{ name: "migrate", image: "m", imageID: "", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 2, reason: "Error" } } }],
    });
    expect(detectPodFailure(p, now, opts)).toMatchObject({ container: "migrate", init: true, exitCode: 2 });
  });

  it("counts Unschedulable only after the grace period", () => {
    const cond = (ago: number): V1Pod => ({
      metadata: { name: "p" },
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available", lastTransitionTime: new Date(now.getTime() - ago) }] },
    });
    expect(detectPodFailure(cond(10_000), now, opts)).toBeUndefined();
    expect(detectPodFailure(cond(120_000), now, opts)?.reason).toBe("Unschedulable");
  });

  it("sees evictions and failed pods", () => {
    expect(detectPodFailure({ status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." } }, now, opts)?.reason).toBe("Evicted");
    const failed = pod([{ state: { terminated: { exitCode: 3, reason: "Error" } } }], { phase: "Failed" });
    expect(detectPodFailure(failed, now, opts)).toMatchObject({ reason: "Failed", exitCode: 3, signature: "Failed:Error:3" });
  });
});
