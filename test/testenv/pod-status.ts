// Pure builders of the pod status a kubelet writes, one function per situation.
// They take the current pod and return the new status; drivers.ts writes them.
import { createHash } from "node:crypto";
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";

export type TerminationReason = "Error" | "OOMKilled" | "Completed" | "ContainerCannotRun" | "StartError";

export interface Termination {
  exitCode: number;
  reason: TerminationReason;
  message?: string;
  startedAt: Date;
  finishedAt: Date;
}

function hex(...parts: Array<string | number>): string {
  return createHash("sha256").update(parts.join("/")).digest("hex");
}

export function containerId(pod: V1Pod, container: string, instance: number): string {
  return `containerd://${hex(pod.metadata?.uid ?? "", container, instance)}`;
}

export function imageId(image: string): string {
  const repo = image.replace(/[:@].*$/, "");
  const full = repo.includes("/") ? (repo.split("/")[0]?.includes(".") ? repo : `docker.io/${repo}`) : `docker.io/library/${repo}`;
  return `${full}@sha256:${hex(image)}`;
}

/** Go's time.Duration.String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${seconds % 60}s`;
}

/** The kubelet's crash-loop back-off after n restarts: 10s doubling up to 5m. */
export function backOffSeconds(restarts: number): number {
  return Math.min(10 * 2 ** Math.max(0, restarts - 1), 300);
}

export function podFullName(pod: V1Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}

export function containerSpec(pod: V1Pod, name?: string): V1Container {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const found = name === undefined ? pod.spec?.containers[0] : all.find((c) => c.name === name);
  if (!found) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} has no container ${name ?? "(none)"}`);
  return found;
}

export function previousStatus(pod: V1Pod, name: string): V1ContainerStatus | undefined {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === name);
}

export interface ConditionsInput {
  now: Date;
  scheduled?: boolean;
  initialized?: boolean;
  ready?: boolean;
  /** Names of the containers that are not ready (for the message). */
  notReady?: string[];
  notInitialized?: string[];
}

export function podConditions(input: ConditionsInput): V1PodCondition[] {
  const c = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime: input.now,
    ...(ok ? {} : { reason, message }),
  });
  if (input.scheduled === false) return [c("PodScheduled", false, "Unschedulable", "")];
  const notReady = `containers with unready status: [${(input.notReady ?? []).join(" ")}]`;
  return [
    c("PodReadyToStartContainers", true),
    c("Initialized", input.initialized ?? true, "ContainersNotInitialized", `containers with incomplete status: [${(input.notInitialized ?? []).join(" ")}]`),
    c("Ready", input.ready ?? true, "ContainersNotReady", notReady),
    c("ContainersReady", input.ready ?? true, "ContainersNotReady", notReady),
    c("PodScheduled", true),
  ];
}

export function runningStatus(pod: V1Pod, c: V1Container, input: { now: Date; restartCount: number; last?: Termination }): V1ContainerStatus {
  return {
    name: c.name,
    image: c.image ?? "",
    imageID: imageId(c.image ?? ""),
    containerID: containerId(pod, c.name, input.restartCount),
    ready: true,
    started: true,
    restartCount: input.restartCount,
    state: { running: { startedAt: input.now } },
    lastState: input.last ? { terminated: terminatedState(pod, c.name, input.restartCount - 1, input.last) } : {},
  };
}

export function terminatedState(pod: V1Pod, container: string, instance: number, t: Termination): NonNullable<NonNullable<V1ContainerStatus["lastState"]>["terminated"]> {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    containerID: containerId(pod, container, instance),
  };
}

export interface WaitingInput {
  reason: string;
  message?: string;
  restartCount: number;
  last?: Termination;
  /** Whether an image was ever pulled (imageID is empty while pulling fails). */
  pulled?: boolean;
}

export function waitingStatus(pod: V1Pod, c: V1Container, input: WaitingInput): V1ContainerStatus {
  return {
    name: c.name,
    image: c.image ?? "",
    imageID: input.pulled === false ? "" : imageId(c.image ?? ""),
    ready: false,
    started: false,
    restartCount: input.restartCount,
    state: { waiting: { reason: input.reason, ...(input.message ? { message: input.message } : {}) } },
    lastState: input.last ? { terminated: terminatedState(pod, c.name, input.restartCount - 1, input.last) } : {},
  };
}

/** The shared part of a status of a pod placed on the fake node. */
export function baseStatus(pod: V1Pod, now: Date): V1PodStatus {
  const current = pod.status ?? {};
  return {
    ...current,
    hostIP: "127.0.0.1",
    hostIPs: [{ ip: "127.0.0.1" }],
    podIP: current.podIP ?? podIp(pod),
    podIPs: [{ ip: current.podIP ?? podIp(pod) }],
    startTime: current.startTime ?? now,
  };
}

function podIp(pod: V1Pod): string {
  const n = Number.parseInt(hex(pod.metadata?.uid ?? "").slice(0, 4), 16);
  return `10.244.${(n >> 8) % 250}.${(n % 250) + 2}`;
}

/** Statuses of every main container: the one named gets `status`, the others run. */
export function withContainer(pod: V1Pod, status: V1ContainerStatus, now: Date): V1ContainerStatus[] {
  return (pod.spec?.containers ?? []).map((c) => {
    if (c.name === status.name) return status;
    const prev = previousStatus(pod, c.name);
    return prev ?? runningStatus(pod, c, { now, restartCount: 0 });
  });
}
