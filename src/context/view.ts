import type { CoreV1Event } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";

/**
 * The kinds the responder may read. Secrets are deliberately absent: nothing in
 * production-fixer can ask for one, through any view or tool.
 */
export const READABLE_KINDS = [
  "Pod",
  "Event",
  "ReplicaSet",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ControllerRevision",
  "Job",
  "CronJob",
  "Node",
  "Namespace",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "StorageClass",
  "NetworkPolicy",
  "Service",
  "Endpoints",
  "ConfigMap",
  "ResourceQuota",
  "LimitRange",
  "ProductionIncident",
  "ProductionAlert",
] as const;
export type ReadableKind = (typeof READABLE_KINDS)[number];

export interface ListOptions {
  labelSelector?: string;
  /** Only `metadata.name=...` and `involvedObject.*` style selectors are guaranteed in both views. */
  fieldSelector?: string;
}

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  previous?: boolean;
  /** Upper bound on bytes fetched; views never return more than this. */
  limitBytes?: number;
  tailLines?: number;
}

export type LogResult =
  | { found: true; text: string; truncated: boolean }
  | { found: false; reason: string };

export interface EventQuery {
  namespace: string;
  kind: string;
  name: string;
  uid?: string;
}

export interface PromSample {
  t: number; // unix seconds
  v: number;
}
export interface PromSeries {
  metric: Record<string, string>;
  values: PromSample[];
}
export interface PromRangeQuery {
  query: string;
  start: Date;
  end: Date;
  stepSeconds: number;
}

/** Prometheus access; absent when no Prometheus is configured (or, for a snapshot, no metrics were captured). */
export interface MetricsSource {
  range(q: PromRangeQuery): Promise<PromSeries[]>;
  instant(query: string, at?: Date): Promise<PromSeries[]>;
}

/**
 * A read-only view of a cluster. Collection, triage and the agent's tools use
 * only this, so the same code diagnoses a live cluster and a ClusterSnapshot.
 * Returned objects must be treated as immutable.
 */
export interface ClusterView {
  /** The current time of the view: wall clock for a live cluster, capturedAt for a snapshot. */
  now(): Date;
  get(kind: ReadableKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(kind: ReadableKind, namespace: string | undefined, opts?: ListOptions): Promise<KubeObject[]>;
  logs(req: LogRequest): Promise<LogResult>;
  /** Events whose involvedObject is the given object, oldest first. */
  events(q: EventQuery): Promise<CoreV1Event[]>;
  metrics?: MetricsSource;
}
