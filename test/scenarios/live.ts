// loadScenarioIntoCluster(): puts a ClusterSnapshot into the real test control
// plane so the live path (LiveView over the apiserver, logs through pods/log and the
// fake kubelet) can be checked against the snapshot path.
//
//   const loaded = await loadScenarioIntoCluster(cluster, kubelet, snapshot, { namespace: (ns) => `${ns}-s1` });
//   const view = new LiveView({ kubeConfig: cluster.kubeConfig, clock: loaded.clock, metrics: loaded.metrics });
//   ...
//   await loaded.unload(); // cluster-scoped objects, before the next scenario
//
// Objects are created owners first (Deployment → ReplicaSet → Pod, CronJob → Job →
// Pod), with ownerReferences and event involvedObject uids rewritten to the created
// objects' uids; statuses are written through the status subresource. Pods bound to
// the scenario's main node are bound to the fake kubelet's Node instead, which takes
// that node's labels, taints and conditions (see live-node.ts). Times are not moved:
// a LiveView built with `clock: loaded.clock` sees the cluster at capturedAt.
import { AppsV1Api, BatchV1Api, CoreV1Api, KubernetesObjectApi, type KubernetesObject, type V1Node } from "@kubernetes/client-node";
import type { ClusterSnapshot, KubeObject } from "../../src/api/snapshot.js";
import { SnapshotMetrics } from "../../src/context/snapshot-metrics.js";
import type { MetricsSource } from "../../src/context/view.js";
import type { TestCluster } from "../testenv/cluster.js";
import type { FakeKubelet } from "../testenv/kubelet.js";
import { orderOf, prepare, type Rewrites } from "./live-objects.js";
import { mainNodeOf, writeKubeletNode } from "./live-node.js";
import { serveMetrics, statusWriter } from "./live-status.js";

export interface LoadScenarioOptions {
  /** The namespace each snapshot namespace is created as (default: the same name). */
  namespace?: (ns: string) => string;
}

export interface LoadedScenario {
  name: string;
  /** Snapshot namespace → namespace in the cluster. */
  namespaces: Map<string, string>;
  /** The fake kubelet's node, which stands for the scenario's main node (if it had one). */
  nodeName: string;
  mainNode: string | undefined;
  /** capturedAt, for LiveView({ clock }) and RulesInvestigator({ clock }). */
  clock: () => Date;
  /** The snapshot's series, namespaces rewritten, for LiveView({ metrics }); absent when it has none. */
  metrics?: MetricsSource;
  /** The created objects, as the apiserver returned them (status written). */
  created: KubeObject[];
  /** Deletes the cluster-scoped objects it created (Nodes, StorageClasses, PersistentVolumes); namespaces stay. */
  unload(): Promise<void>;
}

const CLUSTER_SCOPED = new Set(["Namespace", "Node", "PersistentVolume", "StorageClass"]);

interface Clients {
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

export async function loadScenarioIntoCluster(cluster: TestCluster, kubelet: FakeKubelet, snapshot: ClusterSnapshot, opts: LoadScenarioOptions = {}): Promise<LoadedScenario> {
  const kc = cluster.kubeConfig;
  const clients: Clients = { objects: KubernetesObjectApi.makeApiClient(kc), core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), batch: kc.makeApiClient(BatchV1Api) };
  const now = new Date(snapshot.capturedAt);
  const mapNs = opts.namespace ?? ((ns: string): string => ns);
  const namespaces = new Map<string, string>();
  for (const o of snapshot.objects) if (o.metadata.namespace) namespaces.set(o.metadata.namespace, mapNs(o.metadata.namespace));
  for (const l of snapshot.logs) namespaces.set(l.namespace, mapNs(l.namespace));

  const mainNode = mainNodeOf(snapshot.objects);
  const uids = new UidMap();
  const rw: Rewrites = {
    namespace: (ns) => namespaces.get(ns) ?? mapNs(ns),
    node: (name) => (name === mainNode ? kubelet.nodeName : name),
    uid: (kind, ns, name, uid) => uids.lookup(kind, ns, name, uid),
  };
  for (const ns of new Set(namespaces.values())) await ensureNamespace(clients.core, ns);
  // A kubelet has a container's logs before it reports the crash: serve them before any status is written.
  serveLogs(kubelet, snapshot, rw, now);

  const scenarioNode = snapshot.objects.find((o) => o.kind === "Node" && o.metadata.name === mainNode);
  const node = await writeKubeletNode({ core: clients.core, kubelet, scenarioNode: scenarioNode as V1Node | undefined, now });
  if (scenarioNode) uids.record(scenarioNode, node.metadata?.uid);

  const created: KubeObject[] = [];
  const clusterScoped: KubeObject[] = [];
  const ordered = snapshot.objects.filter((o) => o !== scenarioNode).sort((a, b) => orderOf(a.kind) - orderOf(b.kind));
  try {
    // One kind at a time, in order; the objects of one kind at once.
    for (const tier of tiers(ordered)) {
      const settled = await Promise.allSettled(tier.map((obj) => createOne(clients, obj, rw, snapshot.metadata.name)));
      const outs = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      clusterScoped.push(...outs.filter((o) => CLUSTER_SCOPED.has(o.kind)));
      const failed = settled.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      tier.forEach((obj, i) => uids.record(obj, outs[i]!.metadata.uid as string | undefined));
      created.push(...outs);
    }
  } catch (err) {
    // Leave no cluster-scoped object behind for the next scenario.
    await deleteAll(clients.objects, clusterScoped);
    throw err;
  }
  const metrics = metricsOf(kubelet, snapshot, rw);
  return {
    name: snapshot.metadata.name,
    namespaces,
    nodeName: kubelet.nodeName,
    mainNode,
    clock: () => new Date(now),
    ...(metrics ? { metrics } : {}),
    created,
    unload: () => deleteAll(clients.objects, clusterScoped),
  };
}

function tiers(ordered: KubeObject[]): KubeObject[][] {
  const out: KubeObject[][] = [];
  for (const o of ordered) {
    const last = out.at(-1);
    if (last && orderOf(last[0]!.kind) === orderOf(o.kind)) last.push(o);
    else out.push([o]);
  }
  return out;
}

async function createOne(c: Clients, obj: KubeObject, rw: Rewrites, scenario: string): Promise<KubeObject> {
  const { body, status } = prepare(obj, rw);
  const where = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name} of scenario ${scenario}`;
  let out: KubernetesObject;
  try {
    out = await c.objects.create(body as KubernetesObject);
  } catch (err) {
    throw new Error(`could not create ${where}: ${bodyOf(err)}`, { cause: err });
  }
  const write = status && Object.keys(status).length > 0 ? statusWriter(c, obj.kind) : undefined;
  if (!write) return { ...out, kind: obj.kind, apiVersion: obj.apiVersion } as KubeObject;
  try {
    const written = await write(out, status!);
    return { ...written, kind: obj.kind, apiVersion: obj.apiVersion } as KubeObject;
  } catch (err) {
    throw new Error(`could not write the status of ${where}: ${bodyOf(err)}`, { cause: err });
  }
}

function serveLogs(kubelet: FakeKubelet, snapshot: ClusterSnapshot, rw: Rewrites, now: Date): void {
  for (const l of snapshot.logs) {
    kubelet.setLog({ namespace: rw.namespace(l.namespace), pod: l.pod, container: l.container, previous: l.previous, text: l.text, time: now });
  }
}

/** The snapshot's series with namespaces rewritten; the last sample of each also goes to the kubelet's cAdvisor endpoint. */
function metricsOf(kubelet: FakeKubelet, snapshot: ClusterSnapshot, rw: Rewrites): MetricsSource | undefined {
  if (snapshot.metrics.length === 0) return undefined;
  const series = snapshot.metrics.map((s) => ({ ...s, metric: s.metric.namespace ? { ...s.metric, namespace: rw.namespace(s.metric.namespace) } : s.metric }));
  serveMetrics(kubelet, series);
  return new SnapshotMetrics(series);
}

class UidMap {
  private readonly bySnapshotUid = new Map<string, string>();
  private readonly byName = new Map<string, string>();

  record(obj: KubeObject, created: string | undefined): void {
    if (!created) return;
    const uid = (obj.metadata as { uid?: string }).uid;
    if (uid) this.bySnapshotUid.set(uid, created);
    this.byName.set(this.key(obj.kind, obj.metadata.namespace, obj.metadata.name), created);
  }

  lookup(kind: string, namespace: string | undefined, name: string, uid: string | undefined): string | undefined {
    return (uid ? this.bySnapshotUid.get(uid) : undefined) ?? this.byName.get(this.key(kind, namespace, name));
  }

  private key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${CLUSTER_SCOPED.has(kind) ? "" : (namespace ?? "")}/${name}`;
  }
}

async function ensureNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw new Error(`could not create namespace ${name}: ${bodyOf(err)}`, { cause: err });
  }
}

async function deleteAll(objects: KubernetesObjectApi, list: KubeObject[]): Promise<void> {
  for (const o of [...list].reverse()) {
    try {
      await objects.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name } }, undefined, undefined, 0);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw new Error(`could not delete ${o.kind} ${o.metadata.name}: ${bodyOf(err)}`, { cause: err });
    }
  }
}

function bodyOf(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === "string") return body.slice(0, 600);
  if (body && typeof body === "object") return JSON.stringify(body).slice(0, 600);
  return err instanceof Error ? err.message : String(err);
}
