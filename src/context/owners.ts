import type { KubeObject } from "../api/snapshot.js";
import type { OwnerRef } from "./types.js";
import type { ClusterView, ReadableKind } from "./view.js";

/**
 * The owner chain of an object through controller ownerReferences:
 * Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod → StatefulSet,
 * Pod → DaemonSet. Owners that are gone end the chain; kinds the view cannot
 * read are recorded but not followed. A ReplicaSet is found in the list of the
 * namespace's ReplicaSets rather than read on its own: the rollout diff needs
 * that list anyway, so the chain costs no request of its own there.
 */

const FOLLOWED = new Set<string>(["ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
const MAX_DEPTH = 4;

interface OwnerReference {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface OwnerChain {
  owners: OwnerRef[];
  /** The owner objects found, nearest first. */
  objects: KubeObject[];
  notes: string[];
}

export function controllerOf(obj: { metadata?: unknown }): OwnerReference | undefined {
  const refs = ((obj.metadata as { ownerReferences?: OwnerReference[] } | undefined)?.ownerReferences ?? []) as OwnerReference[];
  return refs.find((r) => r.controller) ?? refs[0];
}

export async function ownerChain(view: ClusterView, namespace: string, start: { metadata?: unknown }): Promise<OwnerChain> {
  const out: OwnerChain = { owners: [], objects: [], notes: [] };
  let current: { metadata?: unknown } = start;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const ref = controllerOf(current);
    if (!ref) break;
    out.owners.push({ kind: ref.kind, name: ref.name, uid: ref.uid });
    if (!FOLLOWED.has(ref.kind)) break;
    const next = await getOwner(view, namespace, ref, out.notes);
    if (!next) break;
    out.objects.push(next);
    current = next;
  }
  return out;
}

/** A ReplicaSet from the namespace's list, by name as a get would find it; any other owner read on its own. */
async function readOwner(view: ClusterView, namespace: string, ref: OwnerReference): Promise<KubeObject | undefined> {
  if (ref.kind !== "ReplicaSet") return view.get(ref.kind as ReadableKind, namespace, ref.name);
  const sets = await view.list("ReplicaSet", namespace);
  return sets.find((rs) => rs.metadata.name === ref.name);
}

async function getOwner(view: ClusterView, namespace: string, ref: OwnerReference, notes: string[]): Promise<KubeObject | undefined> {
  try {
    const obj = await readOwner(view, namespace, ref);
    if (!obj) notes.push(`owner ${ref.kind} ${namespace}/${ref.name} no longer exists`);
    return obj;
  } catch (err) {
    notes.push(`could not read owner ${ref.kind} ${namespace}/${ref.name}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The workload that owns a pod: the top of its chain, or the pod itself. */
export function workloadOfChain(chain: OwnerChain): OwnerRef | undefined {
  const top = [...chain.owners].reverse().find((o) => o.kind !== "ReplicaSet" || chain.owners.length === 1);
  return top;
}
