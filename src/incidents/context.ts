// The dependencies and the in-memory state shared by the pod, incident and
// investigation reconcilers of one leader term.
import type { CoreV1Event, V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import type { Target } from "../api/common.js";
import type { ProductionIncident } from "../api/incident.js";
import type { Config } from "../config.js";
import type { ClusterView } from "../context/view.js";
import type { InvestigationRequest, Investigator } from "../diagnosis/types.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { OperatorEvent } from "./operator-events.js";
import type { Cache, EventSink, IncidentApi, ObjectRef } from "./ports.js";
import type { Timers } from "./timers.js";

export interface ControllerDeps {
  config: Config;
  /** Pods of every watched namespace, with the "workload" index (see workloadIndex). */
  pods: Cache<V1Pod>;
  /** ReplicaSets (slimmed, kind set) with the "workload" index (see ownerWorkloadIndex); without it, no FailedCreate detection. */
  replicaSets?: Cache<V1ReplicaSet>;
  /** Jobs, the same way. */
  jobs?: Cache<V1Job>;
  /** The events of one object (a Job that has no pods: its controller reports rejected pods only there). */
  eventsOf?: (regarding: ObjectRef) => Promise<CoreV1Event[]>;
  /** ProductionIncidents, with the "fingerprint" index (see fingerprintIndex). */
  incidents: Cache<ProductionIncident>;
  api: IncidentApi;
  events: EventSink;
  investigator: Investigator;
  /** A view of the live cluster for one investigation. */
  view: () => ClusterView;
  logger: Logger;
  metrics?: Metrics;
  timers?: Timers;
  onEvent?: (event: OperatorEvent) => void;
  /** Whether the workload's replicas are back (undefined when it cannot tell). */
  workloadReady?: (target: Target) => Promise<boolean | undefined>;
  /** The alert that opened an incident (trigger.source Alert), for its investigation request. */
  alertFor?: (incident: ProductionIncident) => InvestigationRequest["alert"];
}

export function incidentRef(incident: ProductionIncident): ObjectRef {
  return { apiVersion: incident.apiVersion, kind: "ProductionIncident", namespace: incident.metadata.namespace, name: incident.metadata.name ?? "", uid: incident.metadata.uid };
}

/** The pod an incident's Events go to: the most recent affected pod that still exists, else the target. */
export function eventTarget(incident: ProductionIncident, pods: Cache<V1Pod>): ObjectRef {
  const namespace = incident.metadata.namespace ?? incident.spec.target.namespace;
  const listed = [...(incident.status?.affectedPods ?? [])].reverse();
  for (const p of listed) {
    const pod = pods.get(namespace, p.name);
    if (pod) return { apiVersion: "v1", kind: "Pod", namespace, name: p.name, uid: pod.metadata?.uid };
  }
  const t = incident.spec.target;
  const apiVersion = t.kind === "Pod" ? "v1" : ["Job", "CronJob"].includes(t.kind) ? "batch/v1" : "apps/v1";
  return { apiVersion, kind: t.kind, namespace: t.namespace, name: t.name };
}
