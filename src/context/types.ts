import type { V1Pod } from "@kubernetes/client-node";
import type { EvidenceSource } from "../api/diagnosis.js";
import type { KubeObject } from "../api/snapshot.js";

/**
 * One piece of evidence as collection produces it. `id` is stable across runs
 * (same cluster state → same id) so findings can cite it; `text` is already
 * redacted. The incident records {id, source, excerpt} of the cited ones.
 */
export interface Evidence {
  id: string;
  source: EvidenceSource;
  /** Short human title, e.g. "previous logs of shop/web-1 (web)". */
  title: string;
  /** Redacted, bounded text. */
  text: string;
}

/** A condensed log: the lines worth reading, with their original line numbers. */
export interface CondensedLog {
  evidenceId: string;
  /** Redacted, condensed text (first error + stack, repeated lines collapsed, last lines). */
  text: string;
  /** Lines kept, with 1-based line numbers in the original log. */
  lines: { n: number; text: string; repeat?: number }[];
  /** 1-based line number of the first error-looking line, if any. */
  firstErrorLine?: number;
  totalLines: number;
  totalBytes: number;
  truncated: boolean;
}

export interface ContainerFacts {
  name: string;
  init: boolean;
  image: string;
  command?: string[];
  args?: string[];
  /** Env as name → value; values of secret-looking names and valueFrom refs are described, not shown. */
  env: { name: string; value?: string; from?: string }[];
  envFrom: string[];
  resources: { limits?: Record<string, string>; requests?: Record<string, string> };
  probes: { liveness?: unknown; readiness?: unknown; startup?: unknown };
  ports: { name?: string; containerPort: number; protocol?: string }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: unknown;
  /** From status. */
  ready: boolean;
  restartCount: number;
  state: { kind: "waiting" | "running" | "terminated" | "unknown"; reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
  lastTerminated?: { reason?: string; message?: string; exitCode: number; signal?: number; startedAt?: string; finishedAt?: string };
}

export interface EventFacts {
  evidenceId: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  involved: { kind: string; name: string; fieldPath?: string };
  source?: string;
  lastTimestamp?: string;
}

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
}

export interface RolloutChange {
  /** e.g. "containers[web].env[DATABASE_URL]", "containers[web].image", "containers[web].resources.limits.memory" */
  path: string;
  before?: string;
  after?: string;
}

export interface RolloutDiff {
  evidenceId: string;
  workload: OwnerRef;
  fromRevision: string;
  toRevision: string;
  changes: RolloutChange[];
}

export interface NodeFacts {
  evidenceId: string;
  name: string;
  ready: boolean | undefined;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  taints: { key: string; value?: string; effect: string }[];
  allocatable: Record<string, string>;
}

export interface MetricFacts {
  evidenceId: string;
  name: string; // e.g. memory_working_set_bytes
  container?: string;
  unit: string;
  /** Summary for rules: last, max, and the configured limit when known. */
  last?: number;
  max?: number;
  limit?: number;
  points: { t: number; v: number }[];
}

/**
 * Everything collection found about one failing target, redacted. Triage rules
 * read only this; the agent gets it (rendered) as its starting evidence.
 */
export interface InvestigationContext {
  target: { namespace: string; pod?: string; container?: string; workload?: OwnerRef };
  now: string;
  /** The pod with env values redacted; absent when the target is not a pod (e.g. a namespace alert). */
  pod?: V1Pod;
  podPhase?: string;
  podReason?: string;
  podMessage?: string;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  containers: ContainerFacts[];
  /** container name → logs */
  logs: Record<string, { current?: CondensedLog; previous?: CondensedLog }>;
  events: EventFacts[];
  owners: OwnerRef[];
  rollout?: RolloutDiff;
  node?: NodeFacts;
  /** Related objects, summarised (PVCs, StorageClasses, NetworkPolicies selecting the pod, Services, quotas, LimitRanges). */
  related: { kind: string; name: string; namespace?: string; evidenceId: string; summary: string; object?: KubeObject }[];
  metrics: MetricFacts[];
  /** Alert that triggered or joined the investigation, if any. */
  alert?: { name: string; summary?: string; description?: string; labels?: Record<string, string>; evidenceId: string };
  /** All evidence, by id. */
  evidence: Evidence[];
  /** How many secrets were replaced during collection. */
  redactions: number;
  /** Problems met during collection (e.g. "Prometheus unreachable"), noted on the incident. */
  notes: string[];
}
