// Resolution of incidents opened on a ReplicaSet or Job that could not create
// pods (trigger reason FailedCreate): still failing while any of the workload's
// ReplicaSets/Jobs in the cache lacks the pods it wants (see podsCreated).
import type { V1Job, V1ReplicaSet } from "@kubernetes/client-node";
import type { ProductionIncident } from "../api/incident.js";
import { workloadOfOwner } from "../diagnosis/failed-create.js";
import { podsCreated, type PodOwnerObject } from "../triggers/detect-workload.js";
import type { Cache } from "./ports.js";
import { workloadValue } from "./resolver.js";

export const FAILED_CREATE = "FailedCreate";
/** The index of the ReplicaSet and Job caches (see ownerWorkloadIndex). */
export const INDEX_OWNER_WORKLOAD = "workload";

/** Index function of the ReplicaSet and Job informers: the workload they belong to (the same values as the pods' "workload" index). */
export function ownerWorkloadIndex(obj: PodOwnerObject): string[] {
  const w = workloadOfOwner(obj);
  return [workloadValue(w.namespace, w.kind, w.name)];
}

export interface OwnerCaches {
  replicaSets?: Cache<V1ReplicaSet>;
  jobs?: Cache<V1Job>;
}

/** The cached ReplicaSets and Jobs of the incident's target workload (or the target itself). */
export function ownersOfTarget(incident: ProductionIncident, caches: OwnerCaches): PodOwnerObject[] {
  const t = incident.spec.target;
  const value = workloadValue(t.namespace, t.kind, t.name);
  return [...(caches.replicaSets?.byIndex(INDEX_OWNER_WORKLOAD, value) ?? []), ...(caches.jobs?.byIndex(INDEX_OWNER_WORKLOAD, value) ?? [])];
}

/** Whether a FailedCreate incident's workload still lacks pods: its condition is there, or its pods are not all ready yet. */
export function createFailingNow(incident: ProductionIncident, caches: OwnerCaches): boolean {
  if (incident.spec.trigger.reason !== FAILED_CREATE || incident.spec.trigger.source !== "PodFailure") return false;
  return ownersOfTarget(incident, caches).some((o) => !podsCreated(o));
}
