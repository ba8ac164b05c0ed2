import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { PodFailure } from "./detect.js";

/**
 * Pods that never fail loudly: stuck in ContainerCreating (a volume that cannot
 * be mounted or attached), stuck in PodInitializing (an init container that
 * never finishes), or Running but never Ready (a readiness probe that keeps
 * failing). Each counts only after `graceSeconds` in that state.
 */

const STUCK_WAITING = new Set(["ContainerCreating", "PodInitializing"]);

export const DEFAULT_STUCK_GRACE_SECONDS = 300;

function seconds(time: Date | string | undefined, now: Date): number {
  if (!time) return 0;
  const t = typeof time === "string" ? Date.parse(time) : time.getTime();
  return Number.isNaN(t) ? 0 : (now.getTime() - t) / 1000;
}

function condition(pod: V1Pod, type: string): { status: string; lastTransitionTime?: Date | string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** The first container not done starting: an init container still running or waiting, else a main container waiting. */
function stuckContainer(pod: V1Pod): { cs: V1ContainerStatus; init: boolean } | undefined {
  const inits = pod.status?.initContainerStatuses ?? [];
  const init = inits.find((s) => !s.state?.terminated || s.state.terminated.exitCode !== 0);
  if (init) return { cs: init, init: true };
  const main = (pod.status?.containerStatuses ?? []).find((s) => STUCK_WAITING.has(waitingReason(s)));
  return main ? { cs: main, init: false } : undefined;
}

const waitingReason = (s: V1ContainerStatus): string => s.state?.waiting?.reason ?? "";

/** A scheduled, Pending pod with a main container waiting in ContainerCreating/PodInitializing, and since when. */
function pendingStart(pod: V1Pod): { waiting: V1ContainerStatus; since: Date | string | undefined } | undefined {
  const status = pod.status;
  const scheduled = condition(pod, "PodScheduled");
  if (status?.phase !== "Pending" || scheduled?.status !== "True") return undefined;
  const waiting = (status.containerStatuses ?? []).find((s) => STUCK_WAITING.has(waitingReason(s)));
  return waiting ? { waiting, since: status.startTime ?? scheduled.lastTransitionTime } : undefined;
}

/** A Pending pod whose containers have not started for longer than the grace period. */
export function stuckStarting(pod: V1Pod, now: Date, graceSeconds: number): PodFailure | undefined {
  const start = pendingStart(pod);
  if (!start || seconds(start.since, now) < graceSeconds) return undefined;
  const stuck = stuckContainer(pod) ?? { cs: start.waiting, init: false };
  const reason = waitingReason(start.waiting);
  const message = stuck.cs.state?.waiting?.message ?? start.waiting.state?.waiting?.message;
  return { reason, container: stuck.cs.name, init: stuck.init, ...(message ? { message } : {}), signature: reason };
}

/** A Running pod whose Ready condition has been False for longer than the grace period. */
export function notReady(pod: V1Pod, now: Date, graceSeconds: number): PodFailure | undefined {
  const status = pod.status;
  if (status?.phase !== "Running" || pod.metadata?.deletionTimestamp) return undefined;
  const ready = condition(pod, "Ready");
  if (ready?.status !== "False" || seconds(ready.lastTransitionTime, now) < graceSeconds) return undefined;
  const cs = (status.containerStatuses ?? []).find((s) => !s.ready && s.state?.running);
  if (!cs) return undefined;
  return { reason: "NotReady", container: cs.name, init: false, message: `container ${cs.name} is running but not ready`, signature: "NotReady" };
}
