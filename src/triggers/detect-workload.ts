// Pure decisions over a cached ReplicaSet or Job for the operator's workload
// reconciler: whether it cannot create its pods (the same decision as the
// snapshot path, createFailureOf), whether its events are worth reading, and
// whether the pods it wants exist again (the resolver's test).
import type { CoreV1Event, V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { createFailureOf, ownsAnyPod, replicaFailureMessage, wantsPods, type CreateFailure } from "../diagnosis/failed-create.js";

export type PodOwnerObject = V1ReplicaSet | V1Job;

const finished = (job: V1Job): boolean => (job.status?.conditions ?? []).some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");

/** A Job that runs, ran, finished or is suspended: its pods were created (or are not wanted). */
function jobUnderway(job: V1Job): boolean {
  const s = job.status ?? {};
  return !!job.spec?.suspend || finished(job) || (s.active ?? 0) + (s.succeeded ?? 0) + (s.failed ?? 0) > 0;
}

/** Whether the owner cannot create its pods; events only matter when it has none (see createFailureOf). */
export function detectCreateFailure(obj: PodOwnerObject, pods: V1Pod[], events: CoreV1Event[] = []): CreateFailure | undefined {
  return createFailureOf(obj, { events, hasPods: ownsAnyPod(obj, pods) });
}

/**
 * A Job that wants pods and has none, not started, not finished and not suspended:
 * a Job's controller reports a rejected pod only in a FailedCreate event, so its
 * events are worth a read. A ReplicaSet reports it in its ReplicaFailure condition.
 */
export function awaitsPods(obj: PodOwnerObject, pods: V1Pod[]): boolean {
  if (obj.kind !== "Job" || !wantsPods(obj) || jobUnderway(obj as V1Job)) return false;
  return !ownsAnyPod(obj, pods);
}

/**
 * Whether the pods the owner wants exist again: no ReplicaFailure condition and
 * readyReplicas up to spec.replicas for a ReplicaSet; a Job that runs, ran or is suspended.
 */
export function podsCreated(obj: PodOwnerObject): boolean {
  if (!wantsPods(obj)) return true;
  if (obj.kind === "Job") return jobUnderway(obj as V1Job);
  const rs = obj as V1ReplicaSet;
  return replicaFailureMessage(rs) === undefined && (rs.status?.readyReplicas ?? 0) >= (rs.spec?.replicas ?? 1);
}
