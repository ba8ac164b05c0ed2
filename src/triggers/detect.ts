import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { DEFAULT_STUCK_GRACE_SECONDS, notReady, stuckStarting } from "./detect-stuck.js";

/** A failure read off a pod's status: what the kubelet or scheduler reports, nothing fetched. */
export interface PodFailure {
  /** CrashLoopBackOff | OOMKilled | ImagePullBackOff | CreateContainerConfigError | CreateContainerError | RunContainerError | Unschedulable | Evicted | Failed | ContainerCreating | PodInitializing | NotReady */
  reason: string;
  container?: string;
  init: boolean;
  exitCode?: number;
  message?: string;
  /** The normalised signature that, with the workload and container, identifies the root cause. */
  signature: string;
}

export interface DetectOptions {
  /** Restarts before a CrashLoopBackOff counts. */
  minRestarts: number;
  /** How long a pod may be Unschedulable before it counts. */
  unschedulableGraceSeconds: number;
  /** How recent a previous OOM kill must be for a running container to count (default 600 s). */
  recentOomSeconds?: number;
  /** How long a pod may stay in ContainerCreating/PodInitializing, or Running but not Ready, before it counts (default 300 s). */
  stuckGraceSeconds?: number;
}

const IMAGE_PULL = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);
const CONFIG_ERRORS = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError", "ContainerCannotRun", "PreStartHookError", "PostStartHookError"]);

/**
 * Decides from status alone whether a pod is failing, and how. Level-triggered:
 * the same status always gives the same answer, so a repeated or missed watch
 * event changes nothing.
 */
export function detectPodFailure(pod: V1Pod, now: Date, opts: DetectOptions): PodFailure | undefined {
  const status = pod.status;
  if (!status) return undefined;
  if (status.phase === "Failed" && status.reason === "Evicted") {
    return { reason: "Evicted", init: false, message: status.message, signature: "Evicted" };
  }
  const statuses: [V1ContainerStatus, boolean][] = [
    ...(status.initContainerStatuses ?? []).map((s): [V1ContainerStatus, boolean] => [s, true]),
    ...(status.containerStatuses ?? []).map((s): [V1ContainerStatus, boolean] => [s, false]),
  ];
  for (const [cs, init] of statuses) {
    const failure = containerFailure(cs, init, now, opts);
    if (failure) return failure;
  }
  return podLevelFailure(pod, now, opts);
}

function containerFailure(cs: V1ContainerStatus, init: boolean, now: Date, opts: DetectOptions): PodFailure | undefined {
  return waitingFailure(cs, init, opts) ?? oomFailure(cs, init, now, opts);
}

function waitingFailure(cs: V1ContainerStatus, init: boolean, opts: DetectOptions): PodFailure | undefined {
  const base = { container: cs.name, init };
  const waiting = cs.state?.waiting;
  const reason = waiting?.reason ?? "";
  const message = waiting?.message;
  if (IMAGE_PULL.has(reason)) return { ...base, reason: "ImagePullBackOff", message, signature: "ImagePull" };
  if (CONFIG_ERRORS.has(reason)) return { ...base, reason, message, signature: `${reason}:${normaliseMessage(message)}` };
  if (reason === "CrashLoopBackOff" && cs.restartCount >= opts.minRestarts) {
    return crashFailure(base, cs.lastState?.terminated ?? cs.state?.terminated, message);
  }
  return undefined;
}

function oomFailure(cs: V1ContainerStatus, init: boolean, now: Date, opts: DetectOptions): PodFailure | undefined {
  const base = { container: cs.name, init };
  const current = cs.state?.terminated;
  if (current?.reason === "OOMKilled") return crashFailure(base, current, current.message);
  const last = cs.lastState?.terminated;
  const recent = (opts.recentOomSeconds ?? 600) * 1000;
  if (last?.reason === "OOMKilled" && ageMs(last.finishedAt, now) <= recent) return crashFailure(base, last, last.message);
  return undefined;
}

type Terminated = NonNullable<NonNullable<V1ContainerStatus["lastState"]>["terminated"]>;

function crashFailure(base: { container: string; init: boolean }, term: Terminated | undefined, message: string | undefined): PodFailure {
  if (term?.reason === "OOMKilled") {
    return { ...base, reason: "OOMKilled", exitCode: term.exitCode, message: term.message ?? message, signature: "OOMKilled" };
  }
  const exit = term?.exitCode;
  const termReason = term?.reason ?? "Unknown";
  return { ...base, reason: "CrashLoopBackOff", exitCode: exit, message: term?.message ?? message, signature: `CrashLoopBackOff:${termReason}:${exit ?? "?"}` };
}

function podLevelFailure(pod: V1Pod, now: Date, opts: DetectOptions): PodFailure | undefined {
  const status = pod.status!;
  const scheduled = status.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    const since = ageMs(scheduled.lastTransitionTime, now) / 1000;
    if (since < opts.unschedulableGraceSeconds) return undefined;
    return { reason: "Unschedulable", init: false, message: scheduled.message, signature: "Unschedulable" };
  }
  if (status.phase === "Failed") return failedPod(pod);
  const grace = opts.stuckGraceSeconds ?? DEFAULT_STUCK_GRACE_SECONDS;
  return stuckStarting(pod, now, grace) ?? notReady(pod, now, grace);
}

/** A pod that ran to failure (restartPolicy Never/OnFailure exhausted, e.g. a Job's pod). */
function failedPod(pod: V1Pod): PodFailure {
  const status = pod.status!;
  const failed = (status.containerStatuses ?? []).find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  const term = failed?.state?.terminated;
  const why = term?.reason ?? status.reason ?? "Unknown";
  const exit = term?.exitCode;
  return {
    reason: "Failed",
    container: failed?.name,
    init: false,
    exitCode: exit,
    message: term?.message ?? status.message,
    signature: `Failed:${why}:${exit ?? "?"}`,
  };
}

function ageMs(time: Date | string | undefined, now: Date): number {
  if (!time) return Number.POSITIVE_INFINITY;
  const t = typeof time === "string" ? Date.parse(time) : time.getTime();
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : now.getTime() - t;
}

/** Strips what varies between pods of one workload (names with hashes, numbers) so the signature is shared. */
export function normaliseMessage(message: string | undefined): string {
  if (!message) return "";
  return message
    .replace(/\b[a-z0-9-]+-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, "<pod>")
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 160);
}
