import type { V1ContainerStatus, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { detectPodFailure } from "./detect.js";

const now = new Date("2026-11-27T12:00:00Z");
const ago = (s: number): Date => new Date(now.getTime() - s * 1000);
const opts = { minRestarts: 1, unschedulableGraceSeconds: 120 };

const cs = (name: string, state: V1ContainerStatus["state"], ready = false): V1ContainerStatus => ({ name, image: `${name}:1`, imageID: "", ready, restartCount: 0, state });
const cond = (type: string, status: string, since: Date): V1PodCondition => ({ type, status, lastTransitionTime: since });

function pod(status: V1Pod["status"]): V1Pod {
  return { metadata: { name: "web-1", namespace: "shop" }, status };
}

const creating = (since: Date): V1Pod =>
  pod({
    phase: "Pending",
    startTime: since,
    conditions: [cond("PodScheduled", "True", since), cond("Ready", "False", since)],
    containerStatuses: [cs("web", { waiting: { reason: "ContainerCreating" } })],
  });

describe("detectPodFailure: stuck and never ready", () => {
  it("sees a pod stuck in ContainerCreating after the grace period (default 300 s)", () => {
    expect(detectPodFailure(creating(ago(299)), now, opts)).toBeUndefined();
    expect(detectPodFailure(creating(ago(301)), now, opts)).toMatchObject({ reason: "ContainerCreating", container: "web", init: false, signature: "ContainerCreating" });
    expect(detectPodFailure(creating(ago(61)), now, { ...opts, stuckGraceSeconds: 60 })?.reason).toBe("ContainerCreating");
  });

  it("names the init container that never finishes for a pod stuck in PodInitializing", () => {
    const p = pod({
      phase: "Pending",
      startTime: ago(900),
      conditions: [cond("PodScheduled", "True", ago(900)), cond("Initialized", "False", ago(900))],
      initContainerStatuses: [cs("migrate", { terminated: { exitCode: 0, reason: "Completed" } }), cs("wait-for-db", { running: { startedAt: ago(890) } })],
      containerStatuses: [cs("web", { waiting: { reason: "PodInitializing" } })],
    });
    expect(detectPodFailure(p, now, opts)).toMatchObject({ reason: "PodInitializing", container: "wait-for-db", init: true, signature: "PodInitializing" });
  });

  it("leaves unscheduled pods to the Unschedulable check", () => {
    const p = pod({ phase: "Pending", conditions: [cond("PodScheduled", "False", ago(30))], containerStatuses: [cs("web", { waiting: { reason: "ContainerCreating" } })] });
    expect(detectPodFailure(p, now, opts)).toBeUndefined();
  });

  it("sees a running pod that has not been Ready for longer than the grace period", () => {
    const running = (since: Date): V1Pod =>
      pod({
        phase: "Running",
        conditions: [cond("PodScheduled", "True", ago(3600)), cond("Ready", "False", since)],
        containerStatuses: [cs("web", { running: { startedAt: ago(3600) } }), cs("proxy", { running: { startedAt: ago(3600) } }, true)],
      });
    expect(detectPodFailure(running(ago(120)), now, opts)).toBeUndefined();
    expect(detectPodFailure(running(ago(600)), now, opts)).toMatchObject({ reason: "NotReady", container: "web", signature: "NotReady" });
  });

  it("is quiet for a Ready pod and for a terminating one", () => {
    const ready = pod({ phase: "Running", conditions: [cond("Ready", "True", ago(600))], containerStatuses: [cs("web", { running: { startedAt: ago(600) } }, true)] });
    expect(detectPodFailure(ready, now, opts)).toBeUndefined();
    const terminating: V1Pod = {
      metadata: { name: "web-1", namespace: "shop", deletionTimestamp: ago(10) },
      status: { phase: "Running", conditions: [cond("Ready", "False", ago(600))], containerStatuses: [cs("web", { running: { startedAt: ago(900) } })] },
    };
    expect(detectPodFailure(terminating, now, opts)).toBeUndefined();
  });
});
