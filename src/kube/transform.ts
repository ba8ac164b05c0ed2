// Transforms applied to objects before they enter an informer's cache: the cache
// keeps only what the operator reads (10,000 pods must fit in a small process).
// Objects are rebuilt rather than edited with `delete`, which would turn them into
// slower and larger dictionary-mode objects in V8.
import type { KubernetesObject, V1Container, V1ObjectMeta, V1Pod } from "@kubernetes/client-node";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function slimMetadata(meta: V1ObjectMeta): V1ObjectMeta {
  const { managedFields: _managed, annotations, ...rest } = meta;
  if (!annotations) return rest;
  if (!(LAST_APPLIED in annotations)) return { ...rest, annotations };
  const { [LAST_APPLIED]: _lastApplied, ...kept } = annotations;
  return { ...rest, annotations: kept };
}

/** Drops metadata.managedFields and the last-applied annotation (a copy of the whole object). */
export function stripMetadata<T extends KubernetesObject>(obj: T): T {
  return obj.metadata ? { ...obj, metadata: slimMetadata(obj.metadata) } : obj;
}

function slimContainer(c: V1Container): V1Container {
  const { env: _env, envFrom: _envFrom, volumeMounts: _mounts, volumeDevices: _devices, ...kept } = c;
  return kept;
}

/**
 * A pod slimmed for detection and correlation: metadata without managedFields,
 * the spec without volumes and the containers without env and mounts, and the
 * whole status. The investigation reads the full pod from the API when it needs it.
 */
export function slimPod(pod: V1Pod): V1Pod {
  const out: V1Pod = pod.metadata ? { ...pod, metadata: slimMetadata(pod.metadata) } : { ...pod };
  if (!pod.spec) return out;
  const { volumes: _volumes, containers, initContainers, ephemeralContainers: _ephemeral, ...spec } = pod.spec;
  out.spec = { ...spec, containers: containers.map(slimContainer), ...(initContainers ? { initContainers: initContainers.map(slimContainer) } : {}) };
  return out;
}
