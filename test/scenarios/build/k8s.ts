// Builders for the repetitive parts of scenario snapshots: owner chains with
// revisions and uids, pods with full status, events, nodes. The generator
// (scripts/gen-scenarios.ts) writes plain ClusterSnapshot YAML from them.
import { createHash } from "node:crypto";

export const CAPTURED_AT = "2026-11-27T12:00:00Z";
const CAPTURED_MS = Date.parse(CAPTURED_AT);

/** ISO time `minutes` before capture. */
export function ago(minutes: number): string {
  return new Date(CAPTURED_MS - minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

/** A deterministic uid from a seed, so regenerating gives the same files. */
export function uid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function hash(seed: string, len = 10): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const h = createHash("sha256").update(seed).digest();
  return Array.from(h.subarray(0, len), (b) => alphabet[b % alphabet.length]).join("");
}

export type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string; namespace?: string; uid?: string } };

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: unknown[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  securityContext?: unknown;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export type State =
  | { running: { startedAt: string } }
  | { waiting: { reason: string; message?: string } }
  | { terminated: Terminated };

export interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}

export interface ContainerRun {
  spec: ContainerSpec;
  state: State;
  lastState?: { terminated: Terminated };
  restartCount?: number;
  ready?: boolean;
}

/** Status helpers, as the kubelet writes them. */
export const st = {
  running: (minutes = 9): State => ({ running: { startedAt: ago(minutes) } }),
  /** `{pod}` and `{ns}` are filled in per pod by the scenario builder. */
  crashLoop: (name: string, backoff = "5m0s"): State => ({
    waiting: { reason: "CrashLoopBackOff", message: `back-off ${backoff} restarting failed container=${name} pod={pod}_{ns}({poduid})` },
  }),
  waiting: (reason: string, message?: string): State => ({ waiting: message ? { reason, message } : { reason } }),
  terminated: (exitCode: number, reason: string, { minutesAgo = 1, ranSeconds = 20, message }: { minutesAgo?: number; ranSeconds?: number; message?: string } = {}): Terminated => ({
    exitCode,
    reason,
    ...(message ? { message } : {}),
    startedAt: new Date(CAPTURED_MS - minutesAgo * 60_000 - ranSeconds * 1000).toISOString().replace(/\.000Z$/, "Z"),
    finishedAt: ago(minutesAgo),
    containerID: `containerd://${createHash("sha256").update(`${exitCode}${reason}${minutesAgo}`).digest("hex")}`,
  }),
};

export interface EventSpec {
  reason: string;
  message: string;
  type?: "Normal" | "Warning";
  /** Default: the (first) failing pod. */
  on?: "pod" | "rs" | "deployment" | "node" | "pvc" | "job" | { kind: string; name: string; apiVersion?: string; namespace?: string };
  container?: string;
  count?: number;
  source?: string;
  minutesAgo?: number;
}

export interface NodeSpec {
  name: string;
  ready?: "True" | "False" | "Unknown";
  readyReason?: string;
  readyMessage?: string;
  pressure?: { type: string; reason: string; message: string }[];
  taints?: { key: string; value?: string; effect: string }[];
  labels?: Record<string, string>;
  allocatable?: Record<string, string>;
}

const HEALTHY: Record<string, [string, string]> = {
  MemoryPressure: ["KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
  DiskPressure: ["KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  PIDPressure: ["KubeletHasSufficientPID", "kubelet has sufficient PID available"],
};

export function node(n: NodeSpec): Obj {
  const ready = n.ready ?? "True";
  const pressureTypes = ["MemoryPressure", "DiskPressure", "PIDPressure"];
  const conditions = [
    ...pressureTypes.map((t) => {
      const p = n.pressure?.find((x) => x.type === t);
      return p
        ? { type: t, status: "True", reason: p.reason, message: p.message, lastHeartbeatTime: ago(1), lastTransitionTime: ago(12) }
        : { type: t, status: ready === "Unknown" ? "Unknown" : "False", reason: ready === "Unknown" ? "NodeStatusUnknown" : HEALTHY[t]![0], message: ready === "Unknown" ? "Kubelet stopped posting node status." : HEALTHY[t]![1], lastHeartbeatTime: ago(1), lastTransitionTime: ago(600) };
    }),
    {
      type: "Ready",
      status: ready,
      reason: n.readyReason ?? (ready === "True" ? "KubeletReady" : ready === "Unknown" ? "NodeStatusUnknown" : "KubeletNotReady"),
      message: n.readyMessage ?? (ready === "True" ? "kubelet is posting ready status" : ready === "Unknown" ? "Kubelet stopped posting node status." : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"),
      lastHeartbeatTime: ago(ready === "Unknown" ? 9 : 1),
      lastTransitionTime: ago(ready === "True" ? 600 : 8),
    },
  ];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      uid: uid(`node/${n.name}`),
      labels: { "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", ...(n.labels ?? {}) },
      creationTimestamp: ago(60 * 24 * 30),
    },
    spec: { podCIDR: "10.244.1.0/24", ...(n.taints ? { taints: n.taints } : {}) },
    status: {
      capacity: { cpu: "4", memory: "16374584Ki", pods: "110", "ephemeral-storage": "101430960Ki", ...(n.allocatable ?? {}) },
      allocatable: { cpu: "3920m", memory: "15223608Ki", pods: "110", "ephemeral-storage": "93478772582", ...(n.allocatable ?? {}) },
      conditions,
      nodeInfo: { architecture: n.labels?.["kubernetes.io/arch"] ?? "amd64", operatingSystem: "linux", kubeletVersion: "v1.34.2", containerRuntimeVersion: "containerd://2.1.4", osImage: "Ubuntu 24.04.3 LTS", kernelVersion: "6.8.0-87-generic" },
    },
  };
}
