// Rollout history of a workload and the difference between two revisions of
// its pod template: ReplicaSets for a Deployment, ControllerRevisions for a
// StatefulSet or DaemonSet.
import type { KubeObject } from "../../api/snapshot.js";
import type { ClusterView } from "../../context/view.js";

type Obj = Record<string, unknown>;

export interface Revision {
  revision: number;
  name: string;
  template: unknown;
}

const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

function ownedBy(obj: KubeObject, owner: KubeObject): boolean {
  const refs = ((obj.metadata as Obj).ownerReferences as Obj[] | undefined) ?? [];
  const uid = (owner.metadata as Obj).uid;
  return refs.some((r) => (uid ? r.uid === uid : r.kind === owner.kind && r.name === owner.metadata.name));
}

/** Revisions of a workload, oldest first. */
export async function revisions(view: ClusterView, workload: KubeObject): Promise<Revision[]> {
  const ns = workload.metadata.namespace;
  if (workload.kind === "Deployment") {
    const sets = (await view.list("ReplicaSet", ns)).filter((rs) => ownedBy(rs, workload));
    return sets
      .map((rs) => ({ revision: Number((rs.metadata as Obj & { annotations?: Record<string, string> }).annotations?.[REVISION_ANNOTATION] ?? 0), name: rs.metadata.name, template: (rs as Obj & { spec?: Obj }).spec?.template }))
      .sort((a, b) => a.revision - b.revision);
  }
  const crs = (await view.list("ControllerRevision", ns)).filter((cr) => ownedBy(cr, workload));
  return crs
    .map((cr) => ({ revision: Number((cr as Obj).revision ?? 0), name: cr.metadata.name, template: ((cr as Obj).data as Obj | undefined)?.spec && (((cr as Obj).data as Obj).spec as Obj).template }))
    .sort((a, b) => a.revision - b.revision);
}

/** Leaf paths of a pod template; containers, env, ports and volumes are keyed by name, not index. */
export function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      const name = item && typeof item === "object" ? (item as Obj).name : undefined;
      flatten(item, `${prefix}[${typeof name === "string" ? name : i}]`, out);
    });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined && value !== null) {
    out.set(prefix, String(value));
  }
  return out;
}

export interface TemplateChange {
  path: string;
  before?: string;
  after?: string;
}

const IGNORED = /^metadata\.(labels|annotations)\.(pod-template-hash|controller-revision-hash)/;

export function diffTemplates(before: unknown, after: unknown): TemplateChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: TemplateChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (IGNORED.test(path) || a.get(path) === b.get(path)) continue;
    const change: TemplateChange = { path };
    if (a.has(path)) change.before = a.get(path)!;
    if (b.has(path)) change.after = b.get(path)!;
    changes.push(change);
  }
  return changes.sort((x, y) => x.path.localeCompare(y.path));
}

export function renderDiff(from: Revision, to: Revision, changes: TemplateChange[], max = 60): string {
  const head = `revision ${from.revision} (${from.name}) → revision ${to.revision} (${to.name}): ${changes.length} change(s) in the pod template`;
  const lines = changes.slice(0, max).map((c) => `  ${c.path}: ${c.before ?? "(absent)"} → ${c.after ?? "(absent)"}`);
  if (changes.length > max) lines.push(`  … ${changes.length - max} more`);
  return [head, ...lines].join("\n");
}
