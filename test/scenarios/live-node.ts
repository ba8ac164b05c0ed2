// The scenario's main node becomes the fake kubelet's Node: the kubelet serves logs
// only for pods bound to it, so the scenario's labels, taints, capacity, node info
// and conditions are written onto that Node (addresses and the kubelet endpoint stay
// the kubelet's). Written in full each time, so one scenario's NotReady never leaks
// into the next.
import type { CoreV1Api, V1Node, V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../../src/api/snapshot.js";
import type { FakeKubelet } from "../testenv/kubelet.js";
import { nodeObject } from "../testenv/node.js";

/** The node most scenario pods are bound to; else the first Node of the snapshot. */
export function mainNodeOf(objects: KubeObject[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const node = o.kind === "Pod" ? (o as unknown as V1Pod).spec?.nodeName : undefined;
    if (node) counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  const bound = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return bound ?? objects.find((o) => o.kind === "Node")?.metadata.name;
}

export interface KubeletNodeInput {
  core: CoreV1Api;
  kubelet: FakeKubelet;
  /** The scenario's Node to merge in; undefined resets the kubelet's Node to healthy. */
  scenarioNode: V1Node | undefined;
  now: Date;
}

/** Writes the kubelet's Node as the scenario's main node; returns it as written. */
export async function writeKubeletNode(input: KubeletNodeInput): Promise<V1Node> {
  const { core, kubelet, scenarioNode: sn, now } = input;
  const name = kubelet.nodeName;
  const base = nodeObject({ name, kubeletPort: kubelet.port, kubeletVersion: "v1.36.3", now });
  const current = await core.readNode({ name });
  const labels = { ...base.metadata?.labels, ...sn?.metadata?.labels, "kubernetes.io/hostname": name };
  const annotations = sn?.metadata?.annotations ?? {};
  const spec = { ...(current.spec?.podCIDR ? { podCIDR: current.spec.podCIDR } : {}), ...pick(sn?.spec, ["taints", "unschedulable", "providerID"]) };
  const replaced = await core.replaceNode({ name, body: { ...current, metadata: { ...current.metadata, labels, annotations }, spec } });
  const status = {
    ...base.status,
    ...pick(sn?.status, ["capacity", "allocatable", "conditions", "images", "volumesInUse", "volumesAttached"]),
    nodeInfo: { ...base.status?.nodeInfo, ...sn?.status?.nodeInfo } as NonNullable<V1Node["status"]>["nodeInfo"],
  };
  return core.replaceNodeStatus({ name, body: { ...replaced, status } });
}

function pick<T extends object>(o: T | undefined, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k];
  return out;
}
