// What a pod depends on, read through the view: Services and their Endpoints,
// NetworkPolicies that select it, PVCs, ConfigMaps and the names of Secrets it
// references (never their content), its node, and quotas of its namespace.
import type { KubeObject } from "../../api/snapshot.js";
import type { ClusterView } from "../../context/view.js";
import { describeNode, oneLine } from "./describe.js";

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

interface Expression {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== "object") return false;
  const matchLabels = (get(selector, "matchLabels") ?? {}) as Record<string, string>;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (arr(get(selector, "matchExpressions")) as unknown as Expression[]).every((e) => matchesExpression(e, labels));
}

function matchesExpression(e: Expression, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, e.key);
  const value = labels[e.key];
  switch (e.operator) {
    case "In":
      return has && (e.values ?? []).includes(value!);
    case "NotIn":
      return !has || !(e.values ?? []).includes(value!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

function serviceSelects(svc: KubeObject, labels: Record<string, string>): boolean {
  const sel = get(svc, "spec", "selector") as Record<string, string> | undefined;
  return !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function endpointsLine(ep: KubeObject | undefined): string {
  if (!ep) return "no Endpoints object";
  const subsets = arr(get(ep, "subsets"));
  const ready = subsets.reduce((n, s) => n + arr(s.addresses).length, 0);
  const notReady = subsets.reduce((n, s) => n + arr(s.notReadyAddresses).length, 0);
  return `endpoints ready ${ready}, not ready ${notReady}`;
}

interface Refs {
  configMaps: Set<string>;
  secrets: Set<string>;
  claims: Set<string>;
}

function references(pod: KubeObject): Refs {
  const refs: Refs = { configMaps: new Set(), secrets: new Set(), claims: new Set() };
  for (const v of arr(get(pod, "spec", "volumes"))) {
    addIf(refs.configMaps, get(v, "configMap", "name"));
    addIf(refs.secrets, get(v, "secret", "secretName"));
    addIf(refs.claims, get(v, "persistentVolumeClaim", "claimName"));
  }
  const containers = [...arr(get(pod, "spec", "initContainers")), ...arr(get(pod, "spec", "containers"))];
  for (const c of containers) {
    for (const e of arr(c.env)) {
      addIf(refs.configMaps, get(e, "valueFrom", "configMapKeyRef", "name"));
      addIf(refs.secrets, get(e, "valueFrom", "secretKeyRef", "name"));
    }
    for (const e of arr(c.envFrom)) {
      addIf(refs.configMaps, get(e, "configMapRef", "name"));
      addIf(refs.secrets, get(e, "secretRef", "name"));
    }
  }
  return refs;
}

function addIf(set: Set<string>, v: unknown): void {
  if (typeof v === "string" && v) set.add(v);
}

async function networkSection(view: ClusterView, ns: string, labels: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  for (const svc of (await view.list("Service", ns)).filter((s) => serviceSelects(s, labels))) {
    const ep = await view.get("Endpoints", ns, svc.metadata.name);
    lines.push(`Service ${svc.metadata.name} ports ${JSON.stringify(get(svc, "spec", "ports") ?? [])}: ${endpointsLine(ep)}`);
  }
  for (const np of (await view.list("NetworkPolicy", ns)).filter((p) => selects(get(p, "spec", "podSelector"), labels))) {
    lines.push(`NetworkPolicy ${np.metadata.name} applies: policyTypes ${JSON.stringify(get(np, "spec", "policyTypes") ?? [])} ingress ${JSON.stringify(get(np, "spec", "ingress") ?? [])} egress ${JSON.stringify(get(np, "spec", "egress") ?? [])}`);
  }
  return lines;
}

async function referenceSection(view: ClusterView, ns: string, refs: Refs): Promise<string[]> {
  const lines: string[] = [];
  for (const name of refs.claims) {
    const pvc = await view.get("PersistentVolumeClaim", ns, name);
    lines.push(pvc ? oneLine(pvc) : `PersistentVolumeClaim ${ns}/${name}: NOT FOUND`);
  }
  for (const name of refs.configMaps) {
    const cm = await view.get("ConfigMap", ns, name);
    lines.push(cm ? `ConfigMap ${ns}/${name}: exists, keys ${Object.keys((get(cm, "data") ?? {}) as Obj).join(", ") || "(none)"}` : `ConfigMap ${ns}/${name}: NOT FOUND`);
  }
  for (const name of refs.secrets) lines.push(`Secret ${ns}/${name}: referenced (Secrets are never read; check events for "not found")`);
  return lines;
}

/** The related-objects report for one pod. */
export async function relatedReport(view: ClusterView, pod: KubeObject): Promise<string> {
  const ns = pod.metadata.namespace ?? "";
  const labels = ((pod.metadata as Obj).labels ?? {}) as Record<string, string>;
  const lines = [`Related to Pod ${ns}/${pod.metadata.name} (labels ${JSON.stringify(labels)})`];
  lines.push(...(await networkSection(view, ns, labels)));
  lines.push(...(await referenceSection(view, ns, references(pod))));
  const nodeName = get(pod, "spec", "nodeName");
  const node = typeof nodeName === "string" ? await view.get("Node", undefined, nodeName) : undefined;
  lines.push(node ? describeNode(node) : "Node: not scheduled");
  for (const q of [...(await view.list("ResourceQuota", ns)), ...(await view.list("LimitRange", ns))]) lines.push(`${q.kind} ${q.metadata.name}: ${JSON.stringify(get(q, "status") ?? get(q, "spec") ?? {})}`);
  return lines.join("\n");
}
