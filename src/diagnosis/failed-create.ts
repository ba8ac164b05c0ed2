import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import type { Workload } from "../incidents/fingerprint.js";
import { normaliseMessage, type PodFailure } from "../triggers/detect.js";

/**
 * ReplicaSets and Jobs that cannot create their pods: a ResourceQuota or a
 * LimitRange (or any admission check) rejects them, so there is no failing
 * pod to detect. Read from the controller's own report: a ReplicaSet's
 * `ReplicaFailure` condition (even when some of its pods exist), or a
 * `FailedCreate` Warning event on a ReplicaSet/Job that has no pods.
 * createFailureOf() is the one decision; the snapshot path (createFailures)
 * and the operator's workload reconciler both call it.
 */

export interface CreateFailure {
  workload: Workload;
  failure: PodFailure;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** The rejected pod's name (random per attempt, e.g. a Job's `export-x7k2p`): not part of the signature. */
const REJECTED_POD = /pods "[^"]*"/g;

/** What the decision reads of a ReplicaSet or a Job (a snapshot object or the operator's slimmed cache entry). */
export interface PodOwner {
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; ownerReferences?: OwnerRef[] };
  spec?: { replicas?: number; parallelism?: number };
  status?: { conditions?: Condition[] };
}

/** The workload a ReplicaSet or Job belongs to: its Deployment or CronJob by ownerReference, else itself. */
export function workloadOfOwner(obj: PodOwner): Workload {
  const meta = obj.metadata ?? {};
  const ns = meta.namespace ?? "default";
  const name = meta.name ?? "";
  const owner = controllerOf(meta.ownerReferences ?? []);
  if (owner && (owner.kind === "Deployment" || owner.kind === "CronJob")) return { kind: owner.kind, name: owner.name, namespace: ns, uid: owner.uid };
  return { kind: obj.kind ?? "", name, namespace: ns, uid: meta.uid };
}

function controllerOf(refs: OwnerRef[]): OwnerRef | undefined {
  return refs.find((r) => r.controller) ?? refs[0];
}

/** Whether any of the pods is owned by obj (by uid when known, else by name). */
export function ownsAnyPod(obj: PodOwner, pods: V1Pod[]): boolean {
  const uid = obj.metadata?.uid;
  return pods.some((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.kind === obj.kind && (uid ? r.uid === uid : r.name === obj.metadata?.name)));
}

/** Whether the owner asks for pods at all (a ReplicaSet scaled to 0 does not). */
export function wantsPods(obj: PodOwner): boolean {
  return obj.kind === "Job" ? (obj.spec?.parallelism ?? 1) > 0 : (obj.spec?.replicas ?? 1) > 0;
}

/** The message of a ReplicaSet's `ReplicaFailure` condition, when it is True. */
export function replicaFailureMessage(obj: PodOwner): string | undefined {
  const c = (obj.status?.conditions ?? []).find((x) => x.type === "ReplicaFailure" && x.status === "True");
  return c ? (c.message ?? c.reason ?? "FailedCreate") : undefined;
}

function eventMessage(obj: PodOwner, events: CoreV1Event[]): string | undefined {
  const uid = obj.metadata?.uid;
  const mine = events.filter((e) => e.reason === "FailedCreate" && e.type === "Warning" && e.involvedObject.kind === obj.kind && (uid && e.involvedObject.uid ? e.involvedObject.uid === uid : e.involvedObject.name === obj.metadata?.name));
  return mine.at(-1)?.message;
}

export interface CreateEvidence {
  /** Events of the namespace or of the object; only its FailedCreate Warnings are read. */
  events: CoreV1Event[];
  /** Whether the owner has any pod. */
  hasPods: boolean;
}

/**
 * The decision: whether this ReplicaSet/Job cannot create its pods, and the
 * failure with its `FailedCreate:<normalised message>` signature.
 */
export function createFailureOf(obj: PodOwner, evidence: CreateEvidence): CreateFailure | undefined {
  if (!wantsPods(obj)) return undefined;
  // The controller's condition says so even when some pods exist (a scale-up blocked halfway); an event alone only when none exist.
  const message = replicaFailureMessage(obj) ?? (evidence.hasPods ? undefined : eventMessage(obj, evidence.events));
  if (message === undefined) return undefined;
  const failure: PodFailure = { reason: "FailedCreate", init: false, message, signature: `FailedCreate:${normaliseMessage(message.replace(REJECTED_POD, 'pods "<pod>"'))}` };
  return { workload: workloadOfOwner(obj), failure };
}

/** One failure per workload whose ReplicaSet/Job cannot create its pods. */
export function createFailures(owners: PodOwner[], events: CoreV1Event[], pods: V1Pod[]): CreateFailure[] {
  const out = new Map<string, CreateFailure>();
  for (const obj of owners) {
    const found = createFailureOf(obj, { events, hasPods: ownsAnyPod(obj, pods) });
    if (found) out.set(`${found.workload.namespace}/${found.workload.kind}/${found.workload.name}`, found);
  }
  return [...out.values()];
}
