// Owner chains as the controller-manager would have made them (there is none here):
// Deployment → ReplicaSet → Pods with controller ownerReferences, pod-template-hash
// labels and revision annotations; a failed Job with its pods.
import { createHash } from "node:crypto";
import type { AppsV1Api, BatchV1Api, V1Deployment, V1Job, V1OwnerReference, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";
import type { PodDriver } from "./drivers.js";

export interface WorkloadDeps {
  apps: AppsV1Api;
  batch: BatchV1Api;
  pods: PodDriver;
}

export interface DeploymentChainInput {
  namespace: string;
  name: string;
  template: V1PodTemplateSpec;
  replicas?: number;
}

export interface DeploymentChain {
  deployment: V1Deployment;
  replicaSet: V1ReplicaSet;
  pods: V1Pod[];
}

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** A stable hash of a template in the alphabet of pod-template-hash. */
export function templateHash(template: V1PodTemplateSpec): string {
  const digest = createHash("sha256").update(JSON.stringify(template)).digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE[b % SAFE.length]).join("");
}

export function controllerRef(owner: { apiVersion?: string; kind?: string; metadata?: { name?: string; uid?: string } }): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

function suffix(seed: string): string {
  return templateHash({ metadata: { name: seed } }).slice(0, 5);
}

/** Creates a Deployment (revision 1), its ReplicaSet and its Pods bound to the fake node. */
export async function createDeploymentChain(deps: WorkloadDeps, input: DeploymentChainInput): Promise<DeploymentChain> {
  const { namespace, name } = input;
  const labels = input.template.metadata?.labels ?? { app: name };
  const template = { ...input.template, metadata: { ...input.template.metadata, labels } };
  const deployment = await deps.apps.createNamespacedDeployment({
    namespace,
    body: {
      apiVersion: "apps/v1", kind: "Deployment",
      metadata: { name, namespace, annotations: { "deployment.kubernetes.io/revision": "1" } },
      spec: { replicas: input.replicas ?? 1, selector: { matchLabels: labels }, template },
    },
  });
  const chain = await rollOut(deps, { ...deployment, apiVersion: "apps/v1", kind: "Deployment" }, 1);
  return { deployment, ...chain };
}

/** Changes the Deployment's template and creates the ReplicaSet and Pods of the next revision; the old ReplicaSet is scaled to 0. */
export async function rolloutDeployment(deps: WorkloadDeps, ref: { namespace: string; name: string }, template: V1PodTemplateSpec): Promise<DeploymentChain> {
  const current = await deps.apps.readNamespacedDeployment(ref);
  const revision = Number(current.metadata?.annotations?.["deployment.kubernetes.io/revision"] ?? "1") + 1;
  const labels = current.spec?.selector.matchLabels ?? {};
  current.spec = { ...current.spec!, template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } } } };
  current.metadata = { ...current.metadata, annotations: { ...current.metadata?.annotations, "deployment.kubernetes.io/revision": String(revision) } };
  const deployment = await deps.apps.replaceNamespacedDeployment({ ...ref, body: current });
  const old = await deps.apps.listNamespacedReplicaSet({ namespace: ref.namespace });
  for (const rs of old.items.filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid))) {
    await deps.apps.replaceNamespacedReplicaSet({ namespace: ref.namespace, name: rs.metadata?.name ?? "", body: { ...rs, spec: { ...rs.spec!, replicas: 0 } } });
  }
  const chain = await rollOut(deps, { ...deployment, apiVersion: "apps/v1", kind: "Deployment" }, revision);
  return { deployment, ...chain };
}

async function rollOut(deps: WorkloadDeps, deployment: V1Deployment, revision: number): Promise<Omit<DeploymentChain, "deployment">> {
  const namespace = deployment.metadata?.namespace ?? "default";
  const template = deployment.spec?.template ?? {};
  const hash = templateHash(template);
  const labels = { ...template.metadata?.labels, "pod-template-hash": hash };
  const replicas = deployment.spec?.replicas ?? 1;
  const rsName = `${deployment.metadata?.name}-${hash}`;
  const replicaSet = await deps.apps.createNamespacedReplicaSet({
    namespace,
    body: {
      apiVersion: "apps/v1", kind: "ReplicaSet",
      metadata: {
        name: rsName, namespace, labels, ownerReferences: [controllerRef(deployment)],
        annotations: {
          "deployment.kubernetes.io/revision": String(revision),
          "deployment.kubernetes.io/desired-replicas": String(replicas),
          "deployment.kubernetes.io/max-replicas": String(replicas + 1),
        },
      },
      spec: { replicas, selector: { matchLabels: labels }, template: { ...template, metadata: { ...template.metadata, labels } } },
    },
  });
  const rsRef = controllerRef({ ...replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet" });
  const pods: V1Pod[] = [];
  for (let i = 0; i < replicas; i++) {
    pods.push(await deps.pods.createPod({
      metadata: { name: `${rsName}-${suffix(`${rsName}-${i}`)}`, namespace, labels, ownerReferences: [rsRef] },
      spec: template.spec!,
    }));
  }
  return { replicaSet, pods };
}

/** Writes a Deployment status with all replicas ready and available. */
export async function markDeploymentReady(deps: Pick<WorkloadDeps, "apps">, ref: { namespace: string; name: string }): Promise<V1Deployment> {
  const d = await deps.apps.readNamespacedDeployment(ref);
  const replicas = d.spec?.replicas ?? 1;
  const now = new Date();
  d.status = {
    observedGeneration: d.metadata?.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
    conditions: [
      { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: now, lastTransitionTime: now },
      { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${ref.name}" has successfully progressed.`, lastUpdateTime: now, lastTransitionTime: now },
    ],
  };
  return deps.apps.replaceNamespacedDeploymentStatus({ ...ref, body: d });
}

export interface FailedJobInput {
  namespace: string;
  name: string;
  template: V1PodTemplateSpec;
  backoffLimit?: number;
}

/** A Job that failed with BackoffLimitExceeded, and one failed pod per attempt. */
export async function createFailedJob(deps: WorkloadDeps, input: FailedJobInput): Promise<{ job: V1Job; pods: V1Pod[] }> {
  const backoffLimit = input.backoffLimit ?? 1;
  const created = await deps.batch.createNamespacedJob({
    namespace: input.namespace,
    body: {
      apiVersion: "batch/v1", kind: "Job",
      metadata: { name: input.name, namespace: input.namespace },
      spec: { backoffLimit, template: { ...input.template, spec: { restartPolicy: "Never", ...input.template.spec!, } } },
    },
  });
  const podLabels = created.spec?.template.metadata?.labels ?? {};
  const owner = controllerRef({ ...created, apiVersion: "batch/v1", kind: "Job" });
  const pods: V1Pod[] = [];
  for (let i = 0; i <= backoffLimit; i++) {
    const pod = await deps.pods.createPod({
      metadata: { name: `${input.name}-${suffix(`${input.name}-${i}`)}`, namespace: input.namespace, labels: podLabels, ownerReferences: [owner] },
      spec: created.spec!.template.spec!,
    });
    pods.push(pod);
  }
  const now = new Date();
  const message = "Job has reached the specified backoff limit";
  created.status = {
    startTime: now, failed: backoffLimit + 1, active: 0, ready: 0, terminating: 0, uncountedTerminatedPods: {},
    conditions: [
      { type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded", message, lastProbeTime: now, lastTransitionTime: now },
      { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message, lastProbeTime: now, lastTransitionTime: now },
    ],
  };
  const job = await deps.batch.replaceNamespacedJobStatus({ namespace: input.namespace, name: input.name, body: created });
  return { job, pods };
}
