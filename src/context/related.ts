import type { V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";
import type { RelatedNeeds } from "./needs.js";
import { redactValue } from "./redact.js";
import { matchesMapSelector, matchesSelectorObject, type LabelSelectorObject } from "./selectors.js";
import type { Evidence, InvestigationContext, NodeFacts } from "./types.js";
import type { ClusterView, ReadableKind } from "./view.js";

/**
 * Objects around the pod that explain failures the pod alone cannot: its node
 * (conditions, taints), its PVCs and their StorageClass, NetworkPolicies that
 * select it, Services that select it with their Endpoints, the namespace's
 * ResourceQuotas and LimitRanges, and ConfigMaps it references. Each list is
 * one request; a failed one becomes a note. PVCs and ConfigMaps are read when
 * the pod references them; the node, policies, services and quotas when
 * `needs` (see needs.ts) says something points at them.
 */

type Related = InvestigationContext["related"][number];

export interface RelatedCollection {
  related: Related[];
  node?: NodeFacts;
  evidence: Evidence[];
  redactions: number;
  notes: string[];
}

const CLUSTER_SCOPED = new Set(["StorageClass", "Node", "PersistentVolume", "Namespace"]);

class Gatherer {
  out: RelatedCollection = { related: [], evidence: [], redactions: 0, notes: [] };
  constructor(private readonly view: ClusterView) {}

  async list(kind: ReadableKind, ns: string | undefined): Promise<KubeObject[]> {
    try {
      return await this.view.list(kind, ns);
    } catch (err) {
      this.out.notes.push(`could not list ${kind}${ns ? ` in ${ns}` : ""}: ${(err as Error).message}`);
      return [];
    }
  }

  async get(kind: ReadableKind, ns: string | undefined, name: string): Promise<KubeObject | undefined | null> {
    try {
      return await this.view.get(kind, ns, name);
    } catch (err) {
      this.out.notes.push(`could not read ${kind} ${ns ? `${ns}/` : ""}${name}: ${(err as Error).message}`);
      return null;
    }
  }

  add(item: { kind: string; name: string; ns?: string; summary: string; object?: KubeObject }): void {
    const { kind, name, ns, summary, object } = item;
    const evidenceId = CLUSTER_SCOPED.has(kind) || !ns ? `${kind.toLowerCase()}/${name}` : `${kind.toLowerCase()}/${ns}/${name}`;
    if (this.out.related.some((r) => r.evidenceId === evidenceId)) return;
    const safe = object ? redactValue(stripNoise(object)) : undefined;
    if (safe) this.out.redactions += safe.count;
    this.out.related.push({ kind, name, ...(ns && !CLUSTER_SCOPED.has(kind) ? { namespace: ns } : {}), evidenceId, summary, ...(safe ? { object: safe.value } : {}) });
    this.out.evidence.push({ id: evidenceId, source: kind === "Node" ? "Node" : "Object", title: `${kind} ${ns && !CLUSTER_SCOPED.has(kind) ? `${ns}/` : ""}${name}`, text: summary });
  }
}

function stripNoise(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata as Record<string, unknown>;
  const annotations = (metadata.annotations ?? {}) as Record<string, string>;
  const { "kubectl.kubernetes.io/last-applied-configuration": _l, ...rest } = annotations;
  return { ...o, metadata: { ...metadata, ...(metadata.annotations ? { annotations: rest } : {}) } } as KubeObject;
}

const labelsOf = (o: { metadata?: unknown }): Record<string, string> => ((o.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<string, string>;
const spec = <T>(o: KubeObject): T => ((o as { spec?: T }).spec ?? ({} as T));
const status = <T>(o: KubeObject): T => ((o as { status?: T }).status ?? ({} as T));

export function nodeFacts(node: KubeObject): NodeFacts {
  const st = status<{ conditions?: { type: string; status: string; reason?: string; message?: string }[]; allocatable?: Record<string, string> }>(node);
  const conditions = (st.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  const ready = conditions.find((c) => c.type === "Ready");
  return {
    evidenceId: `node/${node.metadata.name}`,
    name: node.metadata.name,
    ready: ready ? ready.status === "True" : undefined,
    conditions,
    taints: (spec<{ taints?: NodeFacts["taints"] }>(node).taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
    allocatable: st.allocatable ?? {},
  };
}

function nodeText(n: NodeFacts): string {
  const conds = n.conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`);
  const taints = n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`);
  return [`node ${n.name} ready=${n.ready ?? "unknown"}`, ...conds, `taints: ${taints.join(", ") || "none"}`, `allocatable: ${JSON.stringify(n.allocatable)}`].join("\n");
}

async function addNode(g: Gatherer, pod: V1Pod): Promise<void> {
  const name = pod.spec?.nodeName;
  if (!name) return;
  const node = await g.get("Node", undefined, name);
  if (node === null) return;
  if (!node) {
    g.out.notes.push(`node ${name} of the pod no longer exists`);
    return;
  }
  g.out.node = nodeFacts(node);
  g.out.evidence.push({ id: g.out.node.evidenceId, source: "Node", title: `node ${name}`, text: nodeText(g.out.node) });
}

function claimSummary(claim: string, pvc: KubeObject, classes: KubeObject[]): string {
  const sc = spec<{ storageClassName?: string; accessModes?: string[] }>(pvc);
  const phase = status<{ phase?: string }>(pvc).phase ?? "Unknown";
  const name = sc.storageClassName;
  const missing = name !== undefined && !classes.some((c) => c.metadata.name === name);
  const scText = name ? `storageClassName ${name}${missing ? ` (StorageClass "${name}" not found)` : ""}` : "no storageClassName";
  return `PersistentVolumeClaim ${claim}: ${phase}; ${scText}; accessModes ${JSON.stringify(sc.accessModes ?? [])}`;
}

function classSummary(c: KubeObject): string {
  const p = c as { provisioner?: string; volumeBindingMode?: string };
  const isDefault = (c.metadata as { annotations?: Record<string, string> }).annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
  return `StorageClass ${c.metadata.name}: provisioner ${p.provisioner ?? "?"}, binding ${p.volumeBindingMode ?? "Immediate"}${isDefault ? ", default" : ""}`;
}

async function addClaims(g: Gatherer, ns: string, pod: V1Pod): Promise<void> {
  const claims = (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  if (claims.length === 0) return;
  const classes = await g.list("StorageClass", undefined);
  for (const claim of claims) {
    const pvc = await g.get("PersistentVolumeClaim", ns, claim);
    if (pvc === null) continue;
    if (!pvc) g.add({ kind: "PersistentVolumeClaim", name: claim, ns, summary: `PersistentVolumeClaim ${claim} not found` });
    else g.add({ kind: "PersistentVolumeClaim", name: claim, ns, summary: claimSummary(claim, pvc, classes), object: pvc });
  }
  for (const c of classes) g.add({ kind: "StorageClass", name: c.metadata.name, summary: classSummary(c), object: c });
}

async function addPolicies(g: Gatherer, ns: string, pod: V1Pod): Promise<void> {
  const labels = labelsOf(pod);
  for (const np of await g.list("NetworkPolicy", ns)) {
    const s = spec<{ podSelector?: LabelSelectorObject; policyTypes?: string[]; egress?: unknown[]; ingress?: unknown[] }>(np);
    if (!matchesSelectorObject(labels, s.podSelector ?? {})) continue;
    const types = s.policyTypes ?? (s.egress ? ["Ingress", "Egress"] : ["Ingress"]);
    g.add({ kind: "NetworkPolicy", name: np.metadata.name, ns, summary: `NetworkPolicy ${np.metadata.name} selects the pod; policyTypes ${types.join(",")}; ${s.egress?.length ?? 0} egress rule(s), ${s.ingress?.length ?? 0} ingress rule(s)`, object: np });
  }
}

async function addServices(g: Gatherer, ns: string, pod: V1Pod): Promise<void> {
  const labels = labelsOf(pod);
  const services = await g.list("Service", ns);
  const endpoints = services.length > 0 ? await g.list("Endpoints", ns) : [];
  for (const svc of services) {
    const s = spec<{ selector?: Record<string, string>; clusterIP?: string; ports?: { port: number; targetPort?: unknown }[] }>(svc);
    const ep = endpoints.find((e) => e.metadata.name === svc.metadata.name) as { subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] } | undefined;
    const ready = (ep?.subsets ?? []).reduce((n, x) => n + (x.addresses?.length ?? 0), 0);
    const notReady = (ep?.subsets ?? []).reduce((n, x) => n + (x.notReadyAddresses?.length ?? 0), 0);
    const selects = matchesMapSelector(labels, s.selector);
    const ports = (s.ports ?? []).map((p) => `${p.port}→${String(p.targetPort ?? p.port)}`).join(",");
    const role = selects ? "selects the pod" : "in the namespace";
    g.add({ kind: "Service", name: svc.metadata.name, ns, summary: `Service ${svc.metadata.name} (${role}) clusterIP ${s.clusterIP ?? "?"} ports ${ports || "none"}; endpoints ready ${ready}, not ready ${notReady}`, object: svc });
  }
}

async function addQuotas(g: Gatherer, ns: string): Promise<void> {
  const [quotas, ranges] = await Promise.all([g.list("ResourceQuota", ns), g.list("LimitRange", ns)]);
  for (const q of quotas) {
    const st = status<{ hard?: Record<string, string>; used?: Record<string, string> }>(q);
    const items = Object.entries(st.hard ?? spec<{ hard?: Record<string, string> }>(q).hard ?? {}).map(([k, v]) => `${k} ${st.used?.[k] ?? "?"}/${v}`);
    g.add({ kind: "ResourceQuota", name: q.metadata.name, ns, summary: `ResourceQuota ${q.metadata.name}: used/hard ${items.join(", ")}`, object: q });
  }
  for (const r of ranges) g.add({ kind: "LimitRange", name: r.metadata.name, ns, summary: `LimitRange ${r.metadata.name}: ${JSON.stringify(spec<{ limits?: unknown }>(r).limits ?? [])}`, object: r });
}

/** Names of the ConfigMaps a pod references through env, envFrom and volumes. */
export function referencedConfigMaps(pod: V1Pod): string[] {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const fromEnv = containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef?.name));
  const fromEnvFrom = containers.flatMap((c) => (c.envFrom ?? []).map((e) => e.configMapRef?.name));
  const fromVolumes = (pod.spec?.volumes ?? []).map((v) => v.configMap?.name);
  return [...new Set([...fromEnv, ...fromEnvFrom, ...fromVolumes].filter((n): n is string => !!n))];
}

function configMapSummary(cm: KubeObject): string {
  const o = cm as { data?: object; binaryData?: object };
  const keys = [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {})];
  return `ConfigMap ${cm.metadata.name} exists; keys: ${keys.join(", ") || "(none)"}`;
}

/** ConfigMaps the pod references: whether each exists and which keys it has. */
async function addConfigMaps(g: Gatherer, ns: string, pod: V1Pod): Promise<void> {
  for (const name of referencedConfigMaps(pod).slice(0, 10)) {
    const cm = await g.get("ConfigMap", ns, name);
    if (cm === null) continue;
    if (!cm) g.add({ kind: "ConfigMap", name, ns, summary: `ConfigMap ${name} referenced by the pod not found` });
    else g.add({ kind: "ConfigMap", name, ns, summary: configMapSummary(cm), object: cm });
  }
}

const EVERYTHING: RelatedNeeds = { node: true, networkPolicies: true, services: true, quotas: true };

export async function collectRelated(view: ClusterView, ns: string, pod: V1Pod, needs: RelatedNeeds = EVERYTHING): Promise<RelatedCollection> {
  const g = new Gatherer(view);
  await Promise.all([
    needs.node && addNode(g, pod),
    addClaims(g, ns, pod),
    needs.networkPolicies && addPolicies(g, ns, pod),
    needs.services && addServices(g, ns, pod),
    needs.quotas && addQuotas(g, ns),
    addConfigMaps(g, ns, pod),
  ]);
  return g.out;
}
