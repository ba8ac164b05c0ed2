// Correlation: a failing pod (or a ReplicaSet/Job that cannot create pods)
// becomes an observation of the incident of its fingerprint. Observations wait here, per incident, until the incident's key is
// processed, so a storm of failing pods of one workload becomes a handful of
// status writes (one per pass of the incident key), not one per pod.
import type { V1Pod } from "@kubernetes/client-node";
import { LABEL_FINGERPRINT } from "../api/common.js";
import type { ProductionIncident } from "../api/incident.js";
import type { PodFailure } from "../triggers/detect.js";
import { fingerprintFor, workloadOf, type Fingerprint, type Workload } from "./fingerprint.js";
import type { PodObservation } from "./lifecycle.js";
import type { Cache, ObjectRef } from "./ports.js";

export const INDEX_FINGERPRINT = "fingerprint";

/** Index function of the incident informer: the fingerprint label. */
export function fingerprintIndex(incident: ProductionIncident): string[] {
  const hash = incident.metadata.labels?.[LABEL_FINGERPRINT];
  return hash ? [hash] : [];
}

export interface IncidentRef {
  namespace: string;
  name: string;
}

export const incidentKey = (ref: IncidentRef): string => `incident/${ref.namespace}/${ref.name}`;
export const podKey = (namespace: string, name: string): string => `pod/${namespace}/${name}`;

/** Splits "pod/<ns>/<name>" or "incident/<ns>/<name>". */
export function parseKey(key: string): { kind: string; namespace: string; name: string } {
  const [kind = "", namespace = "", name = ""] = key.split("/");
  return { kind, namespace, name };
}

/** What is needed to create the incident if it does not exist yet. */
export interface Seed {
  fingerprint: Fingerprint;
  workload: Workload;
  failure: PodFailure;
  /** The pod the failure was first seen on (for Events and the investigation). */
  pod?: { name: string; uid?: string };
  /** The object the failure was seen on when there is no pod (a ReplicaSet or Job that cannot create pods). */
  regarding?: ObjectRef;
}

export interface Pending {
  seed: Seed;
  observations: PodObservation[];
  /** Earliest moment (ms) one of these failures appeared: the start of the detection latency. */
  since: number;
  /** Whether a pod not yet counted on the incident is among them. */
  news: boolean;
}

export interface Correlation {
  ref: IncidentRef;
  seed: Seed;
}

/**
 * Finds the incident a failing pod belongs to: the one carrying its fingerprint
 * label (an open one first), else the deterministic name of a new one.
 */
export function correlate(pod: V1Pod, failure: PodFailure, incidents: Cache<ProductionIncident>): Correlation {
  return correlateWorkload(workloadOf(pod), failure, incidents, { pod: { name: pod.metadata?.name ?? "", uid: pod.metadata?.uid } });
}

/** The same for a failure seen on the workload itself (no pod): the seed carries the object it was seen on. */
export function correlateWorkload(workload: Workload, failure: PodFailure, incidents: Cache<ProductionIncident>, seen: Pick<Seed, "pod" | "regarding">): Correlation {
  const fingerprint = fingerprintFor(workload, failure);
  const labelled = incidents.byIndex(INDEX_FINGERPRINT, fingerprint.hash).filter((i) => i.metadata.namespace === workload.namespace);
  const found = labelled.find((i) => i.status?.phase !== "Resolved") ?? labelled[0];
  const ref = found ? { namespace: workload.namespace, name: found.metadata.name ?? fingerprint.incidentName } : { namespace: workload.namespace, name: fingerprint.incidentName };
  return { ref, seed: { fingerprint, workload, failure, ...seen } };
}

/** Pending observations per incident key, and the pods already counted on each incident. */
export class Correlator {
  private readonly pending = new Map<string, Pending>();
  private readonly counted = new Map<string, Set<string>>();
  private readonly restarts = new Map<string, Map<string, number | undefined>>();

  /** Records an observation; returns whether it is news worth a write (a new pod or a new restart). */
  observe(key: string, seed: Seed, observation: PodObservation, since: number): boolean {
    let restarts = this.restarts.get(key);
    if (!restarts) this.restarts.set(key, (restarts = new Map()));
    const isNewPod = !this.countedFor(key).has(observation.pod) && !restarts.has(observation.pod);
    if (!isNewPod && restarts.get(observation.pod) === observation.restartCount) return false;
    restarts.set(observation.pod, observation.restartCount);
    const entry = this.pending.get(key);
    if (!entry) {
      this.pending.set(key, { seed, observations: [observation], since, news: isNewPod });
      return true;
    }
    entry.observations = [...entry.observations.filter((o) => o.pod !== observation.pod), observation];
    entry.since = Math.min(entry.since, since);
    entry.news ||= isNewPod;
    return true;
  }

  /** Records that a workload fails with the incident's fingerprint without a pod (news: the caller reports each failing object once). */
  observeWorkload(key: string, seed: Seed, since: number): void {
    const entry = this.pending.get(key);
    if (!entry) {
      this.pending.set(key, { seed, observations: [], since, news: true });
      return;
    }
    entry.since = Math.min(entry.since, since);
    entry.news = true;
  }

  /** Takes (and clears) what is pending for the incident. */
  take(key: string): Pending | undefined {
    const entry = this.pending.get(key);
    this.pending.delete(key);
    return entry;
  }

  /** Puts back what could not be written, merged with anything observed since. */
  restore(key: string, entry: Pending): void {
    const now = this.pending.get(key);
    if (!now) {
      this.pending.set(key, entry);
      return;
    }
    const pods = new Set(now.observations.map((o) => o.pod));
    now.observations = [...entry.observations.filter((o) => !pods.has(o.pod)), ...now.observations];
    now.since = Math.min(now.since, entry.since);
    now.news ||= entry.news;
  }

  /** Pods counted in occurrences of the incident (the writer adds to it). */
  countedFor(key: string): Set<string> {
    let set = this.counted.get(key);
    if (!set) this.counted.set(key, (set = new Set()));
    return set;
  }

  /** A pod that is gone or healthy: its next failure is news again. */
  podHealthy(podName: string): void {
    for (const restarts of this.restarts.values()) restarts.delete(podName);
  }

  forget(key: string): void {
    this.pending.delete(key);
    this.counted.delete(key);
    this.restarts.delete(key);
  }
}
