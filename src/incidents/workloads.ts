// The workload reconciler: a ReplicaSet or Job that cannot create its pods (a
// ResourceQuota, a LimitRange, a missing ServiceAccount, PodSecurity) has no pod
// to fail, so it is detected on the owner itself. Keys "workload/<kind>/<ns>/<name>";
// the decision is createFailureOf (shared with the snapshot path); the result is an
// observation of the incident of its fingerprint, written by the incident reconciler
// exactly like a failing pod's.
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import { workloadOfOwner, type CreateFailure } from "../diagnosis/failed-create.js";
import { awaitsPods, detectCreateFailure, podsCreated, type PodOwnerObject } from "../triggers/detect-workload.js";
import type { ControllerDeps } from "./context.js";
import { correlateWorkload, incidentKey, type Correlator } from "./correlate.js";
import type { ProcessResult } from "./queue.js";
import { INDEX_WORKLOAD, workloadValue } from "./resolver.js";
import type { Timers } from "./timers.js";

/** A Job without pods this long after its creation has its events read. */
export const JOB_START_GRACE_MS = 5_000;
/** A Job still without pods and without a FailedCreate event is looked at again this often. */
export const JOB_RECHECK_MS = 30_000;

export const workloadKey = (kind: string, namespace: string, name: string): string => `workload/${kind}/${namespace}/${name}`;

export function parseWorkloadKey(key: string): { kind: string; namespace: string; name: string } {
  const [, kind = "", namespace = "", name = ""] = key.split("/");
  return { kind, namespace, name };
}

/** The key of a cached ReplicaSet or Job (whose kind the slim transform sets). */
export function ownerKey(obj: PodOwnerObject): string {
  return workloadKey(obj.kind ?? "ReplicaSet", obj.metadata?.namespace ?? "default", obj.metadata?.name ?? "");
}

export interface WorkloadState {
  correlator: Correlator;
  timers: Timers;
  /** incident key → last time a pod (or workload) was seen failing with its fingerprint */
  lastFailing: Map<string, number>;
  /** Queue the incident key: at once for a new incident, coalesced for an existing one. */
  record(incidentKey: string, exists: boolean): void;
}

export class WorkloadReconciler {
  /** workload key → the incident key it was last reported on (reported once until it recovers). */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly deps: ControllerDeps,
    private readonly s: WorkloadState,
  ) {}

  async reconcile(key: string): Promise<ProcessResult | void> {
    const { kind, namespace, name } = parseWorkloadKey(key);
    const obj = kind === "Job" ? this.deps.jobs?.get(namespace, name) : this.deps.replicaSets?.get(namespace, name);
    const found = obj ? await this.decide(obj) : {};
    if (!found.failure || !obj) return this.healthy(key, obj, found.requeueAfterMs);
    this.failing(key, obj, found.failure);
  }

  private async decide(obj: PodOwnerObject): Promise<{ failure?: CreateFailure; requeueAfterMs?: number }> {
    const pods = this.podsOf(obj);
    const failure = detectCreateFailure(obj, pods);
    if (failure || !awaitsPods(obj, pods)) return failure ? { failure } : {};
    const created = Date.parse(String(obj.metadata?.creationTimestamp ?? "")) || 0;
    const wait = created + JOB_START_GRACE_MS - this.s.timers.now();
    if (wait > 0) return { requeueAfterMs: wait };
    const events = await this.eventsOf(obj as V1Job);
    const late = detectCreateFailure(obj, pods, events);
    return late ? { failure: late } : { requeueAfterMs: JOB_RECHECK_MS };
  }

  private failing(key: string, obj: PodOwnerObject, failure: CreateFailure): void {
    const { namespace = "default", name = "", uid } = obj.metadata ?? {};
    const regarding = { apiVersion: obj.apiVersion ?? (obj.kind === "Job" ? "batch/v1" : "apps/v1"), kind: obj.kind ?? "ReplicaSet", namespace, name, ...(uid ? { uid } : {}) };
    const { ref, seed } = correlateWorkload(failure.workload, failure.failure, this.deps.incidents, { regarding });
    const iKey = incidentKey(ref);
    const now = this.s.timers.now();
    this.s.lastFailing.set(iKey, now);
    if (this.reported.get(key) === iKey) return;
    this.reported.set(key, iKey);
    this.s.correlator.observeWorkload(iKey, seed, now);
    this.s.record(iKey, this.deps.incidents.get(ref.namespace, ref.name) !== undefined);
  }

  /** Gone, or its pods exist again: its incident is looked at (resolution), and a new failure will be news again. */
  private healthy(key: string, obj: PodOwnerObject | undefined, requeueAfterMs: number | undefined): ProcessResult | void {
    const iKey = this.reported.get(key);
    // The condition is gone but the pods are not all there yet: its next status update brings it back.
    if (iKey && (!obj || podsCreated(obj))) {
      this.reported.delete(key);
      this.s.record(iKey, true);
    }
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  /** The incident is gone: report its workloads again if they still fail. */
  forget(iKey: string): void {
    for (const [k, v] of this.reported) if (v === iKey) this.reported.delete(k);
  }

  private podsOf(obj: PodOwnerObject): V1Pod[] {
    const w = workloadOfOwner(obj);
    return this.deps.pods.byIndex(INDEX_WORKLOAD, workloadValue(w.namespace, w.kind, w.name));
  }

  private async eventsOf(job: V1Job): Promise<CoreV1Event[]> {
    const { namespace = "default", name = "", uid } = job.metadata ?? {};
    if (!this.deps.eventsOf) return [];
    return this.deps.eventsOf({ apiVersion: "batch/v1", kind: "Job", namespace, name, ...(uid ? { uid } : {}) });
  }
}
