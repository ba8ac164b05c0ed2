// Transforms applied to objects before they enter an informer's cache: the cache
// keeps only what the operator reads (10,000 pods must fit in a small process).
import type { KubernetesObject, V1Pod } from "@kubernetes/client-node";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Drops metadata.managedFields and the last-applied annotation (a copy of the whole object). */
export function stripMetadata<T extends KubernetesObject>(obj: T): T {
  const meta = obj.metadata;
  if (!meta) return obj;
  delete meta.managedFields;
  if (meta.annotations && LAST_APPLIED in meta.annotations) {
    delete meta.annotations[LAST_APPLIED];
  }
  return obj;
}

/**
 * A pod slimmed for detection and correlation: metadata without managedFields,
 * the containers' names, images, commands, resources and probes, and the status.
 * Volumes, env values and mounts are left out: the investigation reads the full
 * pod from the API when it needs them.
 */
export function slimPod(pod: V1Pod): V1Pod {
  stripMetadata(pod);
  const spec = pod.spec;
  if (!spec) return pod;
  spec.volumes = undefined;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    c.env = undefined;
    c.envFrom = undefined;
    c.volumeMounts = undefined;
  }
  return dropUndefined(pod);
}

function dropUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}
