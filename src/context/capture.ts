import type { V1Pod } from "@kubernetes/client-node";
import { API_VERSION } from "../api/common.js";
import type { ClusterSnapshot, KubeObject, SnapshotLog } from "../api/snapshot.js";
import { redact, redactValue } from "./redact.js";
import type { ClusterView, ReadableKind } from "./view.js";

/**
 * A ClusterSnapshot of one namespace, read through a ClusterView: the
 * namespace's objects (never Secrets: the view cannot read them), the nodes
 * its pods run on, StorageClasses, current and previous container logs, and
 * events. managedFields are dropped and everything is redacted, so the file
 * can be attached to a ticket.
 */

const NAMESPACED: ReadableKind[] = [
  "Pod",
  "ReplicaSet",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ControllerRevision",
  "Job",
  "CronJob",
  "PersistentVolumeClaim",
  "NetworkPolicy",
  "Service",
  "Endpoints",
  "ConfigMap",
  "ResourceQuota",
  "LimitRange",
  "Event",
];

export interface CaptureOptions {
  namespace: string;
  /** Bytes per log (kubelet-side limit). */
  logLimitBytes?: number;
  tailLines?: number;
  name?: string;
}

export interface CaptureResult {
  snapshot: ClusterSnapshot;
  redactions: number;
  notes: string[];
}

function clean(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata } as KubeObject;
}

async function listSafe(view: ClusterView, kind: ReadableKind, ns: string | undefined, notes: string[]): Promise<KubeObject[]> {
  try {
    return await view.list(kind, ns);
  } catch (err) {
    notes.push(`${kind}: ${(err as Error).message}`);
    return [];
  }
}

async function podLogs(view: ClusterView, pod: V1Pod, opts: CaptureOptions): Promise<SnapshotLog[]> {
  const ns = opts.namespace;
  const name = pod.metadata?.name ?? "";
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  const asks = containers.flatMap((container) => [false, true].map((previous) => ({ container, previous })));
  const results = await Promise.all(
    asks.map(async ({ container, previous }) => {
      const r = await view
        .logs({ namespace: ns, pod: name, container, previous, limitBytes: opts.logLimitBytes ?? 1_048_576, tailLines: opts.tailLines ?? 5000 })
        .catch(() => ({ found: false as const, reason: "" }));
      return r.found ? [{ namespace: ns, pod: name, container, previous, text: r.text }] : [];
    }),
  );
  return results.flat();
}

export async function captureSnapshot(view: ClusterView, opts: CaptureOptions): Promise<CaptureResult> {
  const notes: string[] = [];
  const ns = opts.namespace;
  const lists = await Promise.all(NAMESPACED.map((k) => listSafe(view, k, ns, notes)));
  const objects = lists.flat().map(clean);
  const pods = objects.filter((o) => o.kind === "Pod") as unknown as V1Pod[];
  const nodeNames = [...new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))];
  const nodes = await Promise.all(nodeNames.map((n) => view.get("Node", undefined, n).catch(() => undefined)));
  const classes = await listSafe(view, "StorageClass", undefined, notes);
  const namespace = await view.get("Namespace", undefined, ns).catch(() => undefined);
  const all = [...(namespace ? [namespace] : []), ...nodes.filter((n): n is KubeObject => !!n), ...classes, ...objects].map(clean);
  const logs = (await Promise.all(pods.map((p) => podLogs(view, p, opts)))).flat();
  // JSON round trip: client objects carry Date instances; a snapshot holds plain data.
  const safeObjects = redactValue(JSON.parse(JSON.stringify(all)) as KubeObject[]);
  let redactions = safeObjects.count;
  const safeLogs = logs.map((l) => {
    const r = redact(l.text);
    redactions += r.count;
    return { ...l, text: r.text };
  });
  const snapshot: ClusterSnapshot = {
    apiVersion: API_VERSION,
    kind: "ClusterSnapshot",
    metadata: { name: opts.name ?? `${ns}-${view.now().toISOString().replace(/[:.]/g, "-").toLowerCase()}` },
    capturedAt: view.now().toISOString(),
    objects: safeObjects.value,
    logs: safeLogs,
    metrics: [],
  };
  return { snapshot, redactions, notes };
}
