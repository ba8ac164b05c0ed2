import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";
import type { Workload } from "../incidents/fingerprint.js";
import { normaliseMessage, type PodFailure } from "../triggers/detect.js";

/**
 * ReplicaSets and Jobs that cannot create their pods: a ResourceQuota or a
 * LimitRange (or any admission check) rejects them, so there is no failing
 * pod to detect. Read from the controller's own report: a ReplicaSet's
 * `ReplicaFailure` condition (even when some of its pods exist), or a
 * `FailedCreate` Warning event on a ReplicaSet/Job that has no pods.
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

type Meta = { uid?: string; ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[] };

const CRONJOB_JOB = /^(.+)-(\d{8,})$/;

function workloadOf(obj: KubeObject): Workload {
  const ns = obj.metadata.namespace ?? "default";
  const meta = obj.metadata as Meta;
  const owner = (meta.ownerReferences ?? []).find((r) => r.controller) ?? meta.ownerReferences?.[0];
  if (owner && (owner.kind === "Deployment" || owner.kind === "CronJob")) return { kind: owner.kind, name: owner.name, namespace: ns, uid: owner.uid };
  const cron = obj.kind === "Job" ? CRONJOB_JOB.exec(obj.metadata.name) : null;
  if (cron && owner?.kind === "CronJob") return { kind: "CronJob", name: cron[1]!, namespace: ns };
  return { kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: meta.uid };
}

function hasPods(obj: KubeObject, pods: V1Pod[]): boolean {
  const uid = (obj.metadata as Meta).uid;
  return pods.some((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.kind === obj.kind && (uid ? r.uid === uid : r.name === obj.metadata.name)));
}

function wantsPods(obj: KubeObject): boolean {
  const spec = (obj as { spec?: { replicas?: number; parallelism?: number } }).spec;
  return obj.kind === "Job" ? (spec?.parallelism ?? 1) > 0 : (spec?.replicas ?? 1) > 0;
}

function conditionMessage(obj: KubeObject): string | undefined {
  const conditions = (obj as { status?: { conditions?: Condition[] } }).status?.conditions ?? [];
  const c = conditions.find((x) => x.type === "ReplicaFailure" && x.status === "True");
  return c ? (c.message ?? c.reason ?? "FailedCreate") : undefined;
}

function eventMessage(obj: KubeObject, events: CoreV1Event[]): string | undefined {
  const uid = (obj.metadata as Meta).uid;
  const mine = events.filter((e) => e.reason === "FailedCreate" && e.type === "Warning" && e.involvedObject.kind === obj.kind && (uid && e.involvedObject.uid ? e.involvedObject.uid === uid : e.involvedObject.name === obj.metadata.name));
  return mine.at(-1)?.message;
}

/** One failure per workload whose ReplicaSet/Job cannot create its pods. */
export function createFailures(owners: KubeObject[], events: CoreV1Event[], pods: V1Pod[]): CreateFailure[] {
  const out = new Map<string, CreateFailure>();
  for (const obj of owners) {
    if (!wantsPods(obj)) continue;
    // The controller's condition says so even when some pods exist (a scale-up blocked halfway); an event alone only when none exist.
    const message = conditionMessage(obj) ?? (hasPods(obj, pods) ? undefined : eventMessage(obj, events));
    if (message === undefined) continue;
    const workload = workloadOf(obj);
    const failure: PodFailure = { reason: "FailedCreate", init: false, message, signature: `FailedCreate:${normaliseMessage(message)}` };
    out.set(`${workload.namespace}/${workload.kind}/${workload.name}`, { workload, failure });
  }
  return [...out.values()];
}
