// Resolution: an incident whose workload has had no pod failing with its
// fingerprint and no firing alert for resolution.healthySeconds (and whose
// replicas are back, when that can be seen) is Resolved; Resolved incidents past
// the retention are deleted.
// The incident reconciler asks resolutionStep() and requeues itself for the wait.
import type { V1Pod } from "@kubernetes/client-node";
import { LABEL_FINGERPRINT } from "../api/common.js";
import type { ProductionIncident } from "../api/incident.js";
import { detectPodFailure, type DetectOptions } from "../triggers/detect.js";
import { fingerprintFor, workloadOf } from "./fingerprint.js";
import type { Cache } from "./ports.js";

export const INDEX_WORKLOAD = "workload";
const MAX_WAIT_MS = 3_600_000;
/** While a pod still fails, the pod's own events bring the incident back; this is only a safety net. */
const FAILING_RECHECK_MS = 60_000;

/** Index function of the pod informers: the owning workload. */
export function workloadIndex(pod: V1Pod): string[] {
  const w = workloadOf(pod);
  return [workloadValue(w.namespace, w.kind, w.name)];
}

export const workloadValue = (namespace: string, kind: string, name: string): string => `${namespace}/${kind}/${name}`;

export type ResolutionStep = { kind: "none" } | { kind: "wait"; ms: number } | { kind: "resolve" } | { kind: "delete" };

export interface ResolutionInput {
  now: number;
  /** Last time the controller saw a pod failing with this fingerprint (memory of this process). */
  lastFailing?: number;
  /** Whether a pod in the cache fails with this fingerprint right now. */
  failingNow: boolean;
  healthyMs: number;
  /** 0 keeps Resolved incidents forever. */
  retentionMs: number;
}

const time = (iso: string | undefined): number => (iso ? Date.parse(iso) || 0 : 0);

export function resolutionStep(incident: ProductionIncident, input: ResolutionInput): ResolutionStep {
  const phase = incident.status?.phase;
  if (phase === "Resolved") return retentionStep(incident, input);
  if (phase !== "Diagnosed" && phase !== "Failed") return { kind: "none" };
  if (input.failingNow || alertFiring(incident)) return { kind: "wait", ms: Math.max(FAILING_RECHECK_MS, input.healthyMs) };
  const quietSince = Math.max(input.lastFailing ?? 0, time(incident.status?.lastSeen), lastAlertEnded(incident));
  const left = quietSince + input.healthyMs - input.now;
  return left <= 0 ? { kind: "resolve" } : { kind: "wait", ms: Math.min(left, MAX_WAIT_MS) };
}

/**
 * Whether an alert recorded on the incident still fires. Alert incidents carry an
 * `alert:<name>` fingerprint no pod matches, so the alert is their only sign of failure.
 */
export function alertFiring(incident: ProductionIncident): boolean {
  return incident.status?.alerts?.some((a) => a.state === "firing") ?? false;
}

/** When the last recorded alert resolved: the quiet period counts from there. */
function lastAlertEnded(incident: ProductionIncident): number {
  return Math.max(0, ...(incident.status?.alerts ?? []).map((a) => time(a.endsAt)));
}

function retentionStep(incident: ProductionIncident, input: ResolutionInput): ResolutionStep {
  if (input.retentionMs <= 0) return { kind: "none" };
  const left = time(incident.status?.resolvedAt) + input.retentionMs - input.now;
  return left <= 0 ? { kind: "delete" } : { kind: "wait", ms: Math.min(left, MAX_WAIT_MS) };
}

/** Whether any cached pod of the incident's workload fails with the incident's fingerprint. */
export function failingNow(incident: ProductionIncident, pods: Cache<V1Pod>, now: Date, opts: DetectOptions): boolean {
  const t = incident.spec.target;
  const hash = incident.metadata.labels?.[LABEL_FINGERPRINT];
  for (const pod of pods.byIndex(INDEX_WORKLOAD, workloadValue(t.namespace, t.kind, t.name))) {
    const failure = detectPodFailure(pod, now, opts);
    if (failure && fingerprintFor(workloadOf(pod), failure).hash === hash) return true;
  }
  return false;
}
