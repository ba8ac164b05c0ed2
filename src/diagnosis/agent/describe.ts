// Describe-like summaries of Kubernetes objects for the agent's tools: the
// fields a person reads in `kubectl describe`, compact, without managedFields
// and other noise.
import type { CoreV1Event } from "@kubernetes/client-node";
import type { KubeObject } from "../../api/snapshot.js";

type Obj = Record<string, unknown>;

const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** An object without the fields that only add noise (managedFields, last-applied annotation). */
export function pruneObject(obj: KubeObject): Obj {
  const metadata = { ...(obj.metadata as Obj) };
  delete metadata.managedFields;
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
    const { ["kubectl.kubernetes.io/last-applied-configuration"]: _dropped, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...obj, metadata };
}

/** One line per object, for list results. */
export function oneLine(obj: KubeObject): string {
  const name = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
  const status = statusLine(obj);
  return status ? `${obj.kind} ${name}: ${status}` : `${obj.kind} ${name}`;
}

function statusLine(obj: KubeObject): string {
  switch (obj.kind) {
    case "Pod":
      return podLine(obj);
    case "Deployment":
    case "StatefulSet":
    case "ReplicaSet":
      return `ready ${str(get(obj, "status", "readyReplicas")) || 0}/${str(get(obj, "spec", "replicas")) || 0}, revision ${str(get(obj, "metadata", "annotations", "deployment.kubernetes.io/revision")) || "-"}`;
    case "Node":
      return arr(get(obj, "status", "conditions")).map((c) => `${str(c.type)}=${str(c.status)}`).join(" ");
    case "Event":
      return `${str(get(obj, "type"))} ${str(get(obj, "reason"))}: ${str(get(obj, "message")).slice(0, 200)}`;
    case "PersistentVolumeClaim":
      return `${str(get(obj, "status", "phase"))}, class ${str(get(obj, "spec", "storageClassName")) || "-"}`;
    default:
      return "";
  }
}

function podLine(pod: KubeObject): string {
  const statuses = arr(get(pod, "status", "containerStatuses"));
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce((n, s) => n + Number(s.restartCount ?? 0), 0);
  const waiting = statuses.map((s) => str(get(s, "state", "waiting", "reason"))).filter(Boolean);
  return `${str(get(pod, "status", "phase"))}, ready ${ready}/${statuses.length}, restarts ${restarts}${waiting.length ? `, ${waiting.join(",")}` : ""}, node ${str(get(pod, "spec", "nodeName")) || "-"}`;
}

export function describePod(pod: KubeObject): string {
  const lines = [`Pod ${pod.metadata.namespace}/${pod.metadata.name}`, `  phase: ${str(get(pod, "status", "phase"))}  reason: ${str(get(pod, "status", "reason"))}  node: ${str(get(pod, "spec", "nodeName"))}`];
  const owners = arr(get(pod, "metadata", "ownerReferences")).map((o) => `${str(o.kind)}/${str(o.name)}`);
  if (owners.length) lines.push(`  owners: ${owners.join(", ")}`);
  for (const c of arr(get(pod, "status", "conditions"))) lines.push(`  condition ${str(c.type)}=${str(c.status)}${c.reason ? ` (${str(c.reason)}: ${str(c.message)})` : ""}`);
  const statuses = new Map([...arr(get(pod, "status", "initContainerStatuses")), ...arr(get(pod, "status", "containerStatuses"))].map((s) => [str(s.name), s]));
  for (const c of [...arr(get(pod, "spec", "initContainers")), ...arr(get(pod, "spec", "containers"))]) lines.push(...describeContainer(c, statuses.get(str(c.name))));
  const volumes = arr(get(pod, "spec", "volumes")).map((v) => `${str(v.name)}(${Object.keys(v).filter((k) => k !== "name").join(",")}${volumeRef(v)})`);
  if (volumes.length) lines.push(`  volumes: ${volumes.join(", ")}`);
  return lines.join("\n");
}

function volumeRef(v: Obj): string {
  const ref = get(v, "configMap", "name") ?? get(v, "secret", "secretName") ?? get(v, "persistentVolumeClaim", "claimName");
  return ref ? `:${str(ref)}` : "";
}

function describeContainer(c: Obj, status: Obj | undefined): string[] {
  const lines = [`  container ${str(c.name)}: image ${str(c.image)}`];
  if (c.command || c.args) lines.push(`    command: ${str(c.command)} args: ${str(c.args)}`);
  if (c.resources) lines.push(`    resources: ${str(c.resources)}`);
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) if (c[probe]) lines.push(`    ${probe}: ${str(c[probe])}`);
  const env = arr(c.env).map((e) => (e.valueFrom ? `${str(e.name)}<-${str(e.valueFrom)}` : `${str(e.name)}=${str(e.value)}`));
  if (env.length) lines.push(`    env: ${env.join("; ")}`);
  if (c.envFrom) lines.push(`    envFrom: ${str(c.envFrom)}`);
  if (c.securityContext) lines.push(`    securityContext: ${str(c.securityContext)}`);
  if (status) {
    lines.push(`    ready: ${str(status.ready)} restarts: ${str(status.restartCount)} state: ${str(status.state)}`);
    if (status.lastState && Object.keys(status.lastState).length) lines.push(`    lastState: ${str(status.lastState)}`);
  }
  return lines;
}

export function describeWorkload(obj: KubeObject): string {
  const spec = (obj as Obj).spec as Obj | undefined;
  const lines = [`${obj.kind} ${obj.metadata.namespace ?? ""}/${obj.metadata.name}: ${statusLine(obj)}`];
  if (spec?.selector) lines.push(`  selector: ${str(spec.selector)}`);
  if (spec?.strategy || spec?.updateStrategy) lines.push(`  strategy: ${str(spec.strategy ?? spec.updateStrategy)}`);
  for (const c of arr(get(obj, "status", "conditions"))) lines.push(`  condition ${str(c.type)}=${str(c.status)} ${str(c.reason)}: ${str(c.message)}`);
  const template = get(obj, "spec", "template") as Obj | undefined;
  for (const c of arr(get(template, "spec", "containers"))) lines.push(...describeContainer(c, undefined));
  return lines.join("\n");
}

export function describeNode(node: KubeObject): string {
  const lines = [`Node ${node.metadata.name}`];
  for (const c of arr(get(node, "status", "conditions"))) lines.push(`  condition ${str(c.type)}=${str(c.status)} ${str(c.reason)}: ${str(c.message)}`);
  const taints = arr(get(node, "spec", "taints")).map((t) => `${str(t.key)}=${str(t.value)}:${str(t.effect)}`);
  if (taints.length) lines.push(`  taints: ${taints.join(", ")}`);
  if (get(node, "spec", "unschedulable")) lines.push("  unschedulable: true");
  lines.push(`  allocatable: ${str(get(node, "status", "allocatable"))}`);
  return lines.join("\n");
}

export function describeObject(obj: KubeObject): string {
  if (obj.kind === "Pod") return describePod(obj);
  if (obj.kind === "Node") return describeNode(obj);
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(obj.kind)) return describeWorkload(obj);
  const { apiVersion: _a, kind: _k, metadata, ...rest } = pruneObject(obj);
  return `${obj.kind} ${obj.metadata.namespace ?? ""}/${obj.metadata.name}\n  labels: ${str((metadata as Obj).labels)}\n  ${str(rest)}`;
}

export function eventLines(events: CoreV1Event[], max = 30): string {
  if (events.length === 0) return "(no events)";
  const shown = events.slice(-max);
  const skipped = events.length - shown.length;
  const lines = shown.map((e) => `${e.lastTimestamp ? new Date(e.lastTimestamp).toISOString() : (e.eventTime ?? "")} ${e.type ?? ""} ${e.reason ?? ""} x${e.count ?? 1} ${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}: ${e.message ?? ""}`);
  return (skipped > 0 ? [`(${skipped} older events not shown)`, ...lines] : lines).join("\n");
}
