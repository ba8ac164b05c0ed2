// Transforms applied to objects before they enter an informer's cache: the cache
// keeps only what the operator reads (10,000 pods must fit in a small process).
// Objects are rebuilt rather than edited with `delete`, which would turn them into
// slower and larger dictionary-mode objects in V8.
import type { KubernetesObject, V1Container, V1ContainerStatus, V1Job, V1LabelSelector, V1ObjectMeta, V1Pod, V1PodStatus, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";

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
  return { name: c.name, ...(c.image ? { image: c.image } : {}) };
}

/** What detection reads of a container status: state, last state, restarts, readiness (imageID is required by the type and left empty). */
function slimContainerStatus(cs: V1ContainerStatus): V1ContainerStatus {
  const { name, image, ready, started, restartCount, state, lastState } = cs;
  return { name, image, imageID: "", ready, restartCount, ...(started !== undefined ? { started } : {}), ...(state ? { state } : {}), ...(lastState ? { lastState } : {}) };
}

function slimStatus(status: V1PodStatus): V1PodStatus {
  const { containerStatuses, initContainerStatuses, ephemeralContainerStatuses: _e, hostIPs: _h, podIPs: _p, ...rest } = status;
  return {
    ...rest,
    ...(containerStatuses ? { containerStatuses: containerStatuses.map(slimContainerStatus) } : {}),
    ...(initContainerStatuses ? { initContainerStatuses: initContainerStatuses.map(slimContainerStatus) } : {}),
  };
}

/**
 * A pod slimmed for detection and correlation, which read its metadata and status:
 * metadata without managedFields, the spec reduced to the node, the restart policy
 * and container names and images, and container statuses without runtime ids,
 * mounts and resources. The investigation reads the full pod from the API.
 */
export function slimPod(pod: V1Pod): V1Pod {
  const out: V1Pod = pod.metadata ? { ...pod, metadata: slimMetadata(pod.metadata) } : { ...pod };
  if (pod.status) out.status = slimStatus(pod.status);
  if (!pod.spec) return out;
  const { nodeName, restartPolicy, containers, initContainers } = pod.spec;
  out.spec = {
    ...(nodeName ? { nodeName } : {}),
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: containers.map(slimContainer),
    ...(initContainers ? { initContainers: initContainers.map(slimContainer) } : {}),
  };
  return out;
}

const REVISION = "deployment.kubernetes.io/revision";
// Required by the types; one frozen object shared by every cached workload.
const EMPTY_SELECTOR: V1LabelSelector = Object.freeze({});
const EMPTY_TEMPLATE: V1PodTemplateSpec = Object.freeze({});

/** The metadata a workload reconciler reads: identity, owners, labels and the revision annotation. */
function ownerMetadata(meta: V1ObjectMeta | undefined): V1ObjectMeta {
  if (!meta) return {};
  const { name, namespace, uid, resourceVersion, creationTimestamp, ownerReferences, labels, annotations } = meta;
  const revision = annotations?.[REVISION];
  return {
    name, namespace, uid, resourceVersion, creationTimestamp,
    ...(ownerReferences ? { ownerReferences } : {}),
    ...(labels ? { labels } : {}),
    ...(revision !== undefined ? { annotations: { [REVISION]: revision } } : {}),
  };
}

/**
 * A ReplicaSet slimmed for the FailedCreate decision and the resolver: no pod
 * template, only spec.replicas and the replica counts and conditions of the status.
 * kind is set because list responses leave it out of their items.
 */
export function slimReplicaSet(rs: V1ReplicaSet): V1ReplicaSet {
  const status = rs.status;
  return {
    apiVersion: "apps/v1", kind: "ReplicaSet",
    metadata: ownerMetadata(rs.metadata),
    ...(rs.spec ? { spec: { replicas: rs.spec.replicas, selector: EMPTY_SELECTOR } } : {}),
    ...(status ? { status: { replicas: status.replicas, readyReplicas: status.readyReplicas, ...(status.conditions ? { conditions: status.conditions } : {}) } } : {}),
  };
}

/** A Job slimmed the same way: parallelism and suspend, and the status counts and conditions. */
export function slimJob(job: V1Job): V1Job {
  const status = job.status;
  return {
    apiVersion: "batch/v1", kind: "Job",
    metadata: ownerMetadata(job.metadata),
    ...(job.spec ? { spec: { parallelism: job.spec.parallelism, suspend: job.spec.suspend, template: EMPTY_TEMPLATE } } : {}),
    ...(status ? { status: { active: status.active, succeeded: status.succeeded, failed: status.failed, ...(status.conditions ? { conditions: status.conditions } : {}) } } : {}),
  };
}
