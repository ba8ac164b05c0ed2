// How one snapshot object becomes a body the real apiserver accepts: server-set
// metadata dropped, the status kept apart (create strips it), namespaces, node
// names and uids rewritten to the objects created in this cluster.
import type { KubeObject } from "../../src/api/snapshot.js";

/** Where the snapshot's names point in the cluster. */
export interface Rewrites {
  namespace(ns: string): string;
  /** The node a snapshot node name is served by (the fake kubelet's for the scenario's main node). */
  node(name: string): string;
  /** The created object's uid for a snapshot uid, or for a kind/namespace/name when the snapshot had no uid. */
  uid(kind: string, namespace: string | undefined, name: string, snapshotUid: string | undefined): string | undefined;
}

export interface Prepared {
  body: KubeObject;
  status: Record<string, unknown> | undefined;
}

type Meta = KubeObject["metadata"] & {
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  generation?: number;
  managedFields?: unknown;
  selfLink?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }[];
  labels?: Record<string, string>;
};

type Spec = Record<string, unknown>;

/**
 * Creation order: owners before dependents, what pods reference before pods,
 * events last. ResourceQuotas and LimitRanges come after the pods: the pods of a
 * snapshot were admitted before the limits that now reject new ones.
 */
export const KIND_ORDER = [
  "Namespace", "StorageClass", "PersistentVolume", "Node",
  "ConfigMap", "NetworkPolicy", "Service", "Endpoints", "PersistentVolumeClaim",
  "CronJob", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision", "Job", "Pod",
  "LimitRange", "ResourceQuota", "Event",
];

export function orderOf(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length - 1 : i;
}

const JOB_UID_LABELS = ["controller-uid", "batch.kubernetes.io/controller-uid"];

export function prepare(obj: KubeObject, rw: Rewrites): Prepared {
  const { status, ...rest } = structuredClone(obj) as KubeObject & { status?: Record<string, unknown>; spec?: Spec };
  const body = rest as KubeObject & { spec?: Spec };
  body.metadata = metadataOf(body.metadata as Meta, rw);
  KIND_FIXES[body.kind]?.(body, rw);
  return { body, status };
}

function metadataOf(meta: Meta, rw: Rewrites): Meta {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, managedFields: _m, selfLink: _s, ...kept } = meta;
  const out: Meta = { ...kept };
  if (meta.namespace) out.namespace = rw.namespace(meta.namespace);
  if (meta.ownerReferences) {
    out.ownerReferences = meta.ownerReferences.map((r) => ({ ...r, uid: rw.uid(r.kind, meta.namespace, r.name, r.uid) ?? r.uid ?? "00000000-0000-0000-0000-000000000000" }));
  }
  return out;
}

const KIND_FIXES: Record<string, (o: KubeObject & { spec?: Spec }, rw: Rewrites) => void> = {
  Pod: (o, rw) => {
    const spec = o.spec ?? {};
    if (typeof spec.nodeName === "string") spec.nodeName = rw.node(spec.nodeName);
  },
  Service: (o) => {
    // The cluster allocates service IPs from its own range.
    const spec = o.spec ?? {};
    delete spec.clusterIP;
    delete spec.clusterIPs;
  },
  Job: (o) => {
    // The apiserver generates the selector and the controller-uid labels of a Job it creates.
    const spec = o.spec ?? {};
    if (spec.manualSelector === true) return;
    delete spec.selector;
    const labels = (spec.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
    for (const l of JOB_UID_LABELS) delete labels?.[l];
  },
  Event: (o, rw) => {
    const e = o as unknown as { involvedObject?: { kind?: string; namespace?: string; name?: string; uid?: string }; regarding?: unknown };
    const io = e.involvedObject;
    if (!io) return;
    const uid = rw.uid(io.kind ?? "", io.namespace, io.name ?? "", io.uid);
    if (io.kind === "Node" && io.name) io.name = rw.node(io.name);
    if (io.namespace) io.namespace = rw.namespace(io.namespace);
    if (uid) io.uid = uid;
    else delete io.uid;
  },
};
