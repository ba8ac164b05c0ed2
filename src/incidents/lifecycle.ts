// The phases of an incident as pure status transitions:
// Detected → Investigating → Diagnosed | Failed, → Resolved, Resolved → Detected (reopened).
// Every function returns a new status; cached objects are never mutated.
import type { Condition } from "../api/common.js";
import { API_VERSION, LABEL_FINGERPRINT, LABEL_MANAGED_BY } from "../api/common.js";
import type { AffectedPod, IncidentStatus, ProductionIncident } from "../api/incident.js";
import type { InvestigationResult } from "../diagnosis/types.js";
import type { Fingerprint, Workload } from "./fingerprint.js";
import type { PodFailure } from "../triggers/detect.js";
import { fitDiagnosis, fitText } from "./trim.js";

export const CONDITION_INVESTIGATED = "Investigated";
export const CONDITION_RESOLVED = "Resolved";
export const MANAGED_BY = "production-fixer";

/** A failing pod seen by the controller, waiting to be recorded on its incident. */
export interface PodObservation {
  pod: string;
  reason: string;
  restartCount?: number;
  /** When the controller saw it (ISO). */
  seenAt: string;
}

export interface NewIncidentInput {
  fingerprint: Fingerprint;
  workload: Workload;
  failure: PodFailure;
}

/** The object to create: metadata and spec only; status goes through the status subresource. */
export function newIncident(input: NewIncidentInput): ProductionIncident {
  const { fingerprint, workload, failure } = input;
  const kind = TARGET_KIND.has(workload.kind) ? workload.kind : "Pod";
  return {
    apiVersion: API_VERSION,
    kind: "ProductionIncident",
    metadata: {
      name: fingerprint.incidentName,
      namespace: workload.namespace,
      labels: { [LABEL_FINGERPRINT]: fingerprint.hash, [LABEL_MANAGED_BY]: MANAGED_BY },
    },
    spec: {
      target: { kind: kind as ProductionIncident["spec"]["target"]["kind"], namespace: workload.namespace, name: workload.name, ...(failure.container ? { container: failure.container } : {}) },
      trigger: { source: "PodFailure", reason: failure.reason },
      fingerprint: fingerprint.fingerprint.slice(0, 512),
    },
  };
}

const TARGET_KIND = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);

interface ConditionInput {
  type: string;
  status: Condition["status"];
  reason: string;
  message: string;
}

/** Sets a condition; lastTransitionTime changes only when its status changes. */
export function setCondition(conditions: Condition[] | undefined, input: ConditionInput, now: Date, generation: number | undefined): Condition[] {
  const list = conditions ?? [];
  const existing = list.find((c) => c.type === input.type);
  const changed = existing?.status !== input.status;
  const next: Condition = {
    ...input,
    message: fitText(input.message, 32_768),
    lastTransitionTime: changed || !existing ? now.toISOString() : existing.lastTransitionTime,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  return [...list.filter((c) => c.type !== input.type), next];
}

/** The first status of a new incident. */
export function detected(observations: PodObservation[], now: Date, max: number, generation?: number): IncidentStatus {
  const base: IncidentStatus = { phase: "Detected", occurrences: 0, firstSeen: now.toISOString(), lastSeen: now.toISOString(), affectedPods: [] };
  const merged = recordPods(base, observations, new Set(), max);
  return withConditions(merged, now, generation, [
    { type: CONDITION_INVESTIGATED, status: "False", reason: "AwaitingInvestigation", message: "The failure was detected and waits for an investigation" },
    { type: CONDITION_RESOLVED, status: "False", reason: "FailureObserved", message: failingMessage(observations) },
  ]);
}

/**
 * Records failing pods: occurrences counts distinct pods (those in `counted` or
 * already listed are not counted again), the list keeps the most recent `max`.
 * Pure: the caller adds the pods to its counted set once the write succeeded.
 */
export function recordPods(status: IncidentStatus, observations: PodObservation[], alreadyCounted: ReadonlySet<string>, max: number): IncidentStatus {
  const pods = new Map<string, AffectedPod>((status.affectedPods ?? []).map((p) => [p.name, p]));
  const counted = new Set([...alreadyCounted, ...pods.keys()]);
  let occurrences = status.occurrences ?? 0;
  let lastSeen = status.lastSeen;
  for (const o of observations) {
    if (!counted.has(o.pod)) {
      counted.add(o.pod);
      occurrences++;
    }
    pods.delete(o.pod);
    pods.set(o.pod, { name: o.pod, reason: o.reason, ...(o.restartCount !== undefined ? { restartCount: o.restartCount } : {}), lastSeen: o.seenAt });
    if (!lastSeen || o.seenAt > lastSeen) lastSeen = o.seenAt;
  }
  const affectedPods = [...pods.values()].slice(-max);
  return { ...status, occurrences, lastSeen, affectedPods };
}

export function investigating(status: IncidentStatus, now: Date, generation?: number): IncidentStatus {
  return withConditions({ ...status, phase: "Investigating", failureReason: undefined }, now, generation, [
    { type: CONDITION_INVESTIGATED, status: "Unknown", reason: "InvestigationInProgress", message: "Collecting evidence and testing hypotheses" },
  ]);
}

export function diagnosed(status: IncidentStatus, result: Pick<InvestigationResult, "diagnosis" | "redactions">, now: Date, generation?: number): IncidentStatus {
  const diagnosis = fitDiagnosis(result.diagnosis);
  const by = diagnosis.mode === "agent" ? "DiagnosedByAgent" : "DiagnosedByRules";
  return withConditions(
    { ...status, phase: "Diagnosed", diagnosis, redactions: result.redactions, investigatedAt: now.toISOString(), failureReason: undefined },
    now,
    generation,
    [{ type: CONDITION_INVESTIGATED, status: "True", reason: by, message: `${diagnosis.category}: ${diagnosis.summary}` }],
  );
}

export function failed(status: IncidentStatus, reason: string, now: Date, generation?: number): IncidentStatus {
  const failureReason = fitText(reason, 2000);
  return withConditions({ ...status, phase: "Failed", failureReason, investigatedAt: now.toISOString() }, now, generation, [
    { type: CONDITION_INVESTIGATED, status: "False", reason: "InvestigationFailed", message: failureReason },
  ]);
}

export function resolved(status: IncidentStatus, healthySeconds: number, now: Date, generation?: number): IncidentStatus {
  return withConditions({ ...status, phase: "Resolved", resolvedAt: now.toISOString() }, now, generation, [
    { type: CONDITION_RESOLVED, status: "True", reason: "WorkloadHealthy", message: `No pod of the workload failed this way for ${healthySeconds}s` },
  ]);
}

/** A Resolved incident whose fingerprint fails again: Detected once more, one more recurrence. */
export function reopened(status: IncidentStatus, observations: PodObservation[], now: Date, generation?: number): IncidentStatus {
  const base: IncidentStatus = { ...status, phase: "Detected", recurrences: (status.recurrences ?? 0) + 1, resolvedAt: undefined, failureReason: undefined };
  return withConditions(base, now, generation, [
    { type: CONDITION_INVESTIGATED, status: "False", reason: "AwaitingInvestigation", message: "The failure recurred and waits for a new investigation" },
    { type: CONDITION_RESOLVED, status: "False", reason: "FailureRecurred", message: failingMessage(observations) },
  ]);
}

/** Whether an incident is still open (not Resolved). */
export function isOpen(incident: ProductionIncident): boolean {
  return incident.status?.phase !== "Resolved";
}

function withConditions(status: IncidentStatus, now: Date, generation: number | undefined, inputs: ConditionInput[]): IncidentStatus {
  let conditions = status.conditions;
  for (const input of inputs) conditions = setCondition(conditions, input, now, generation);
  return { ...status, conditions, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
}

function failingMessage(observations: PodObservation[]): string {
  const first = observations[0];
  if (!first) return "The workload is failing";
  const more = observations.length > 1 ? ` and ${observations.length - 1} more` : "";
  return `Pod ${first.pod}${more} failing with ${first.reason}`;
}
