// What the incident controller needs from the outside world, as small interfaces:
// the kube layer implements them in production, tests pass in-memory fakes.
import type { ProductionIncident } from "../api/incident.js";

/** A read-only informer cache. */
export interface Cache<T> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string): T[];
  byIndex(index: string, value: string): T[];
}

/** The ProductionIncident API. create/replaceStatus throw the apiserver's errors (409, 404...). */
export interface IncidentApi {
  create(incident: ProductionIncident): Promise<ProductionIncident>;
  /** undefined when it does not exist. */
  get(namespace: string, name: string): Promise<ProductionIncident | undefined>;
  /** PUT .../status with the object's resourceVersion (optimistic concurrency) and the field manager. */
  replaceStatus(incident: ProductionIncident): Promise<ProductionIncident>;
  /** Succeeds when it is already gone. */
  delete(namespace: string, name: string): Promise<void>;
}

export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

/** Kubernetes Events; recording never throws (an Event is best effort). */
export interface EventSink {
  record(regarding: ObjectRef, type: "Normal" | "Warning", reason: string, note: string, related?: ObjectRef): Promise<void>;
}
