// A Deployment whose ReplicaSet cannot create pods (a ResourceQuota rejects them):
// no pod fails, the ReplicaSet's ReplicaFailure condition and FailedCreate event
// are the only signs. The operator opens one incident, diagnoses it and resolves
// it once the condition is gone and the replicas are ready.
import type { V1ReplicaSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { useTestCluster } from "../testenv/vitest.js";
import { controllerRef, markDeploymentReady } from "../testenv/workloads.js";
import { ensureNamespace, listIncidents, prepare, start, waitFor, waitForIncidents, type Env } from "./harness.js";

const cluster = useTestCluster();
let env: Env | undefined;
const E = async (): Promise<Env> => (env ??= await prepare(cluster()));

const NS = "quota";
const QUOTA = 'pods "web-6b7f9c8d5f-x2k4p" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, used: limits.memory=8Gi, limited: limits.memory=8Gi';

/** A Deployment and its ReplicaSet with no pods, as the controller-manager leaves them when every pod is rejected. */
async function deploymentWithoutPods(e: Env): Promise<V1ReplicaSet> {
  await ensureNamespace(e.core, NS);
  const labels = { app: "web", "pod-template-hash": "6b7f9c8d5f" };
  const template = { metadata: { labels }, spec: { containers: [{ name: "app", image: "registry.example/app:1.0", resources: { limits: { memory: "1Gi" } } }] } };
  const d = await e.deps.apps.createNamespacedDeployment({
    namespace: NS,
    body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template } },
  });
  return e.deps.apps.createNamespacedReplicaSet({
    namespace: NS,
    body: {
      apiVersion: "apps/v1", kind: "ReplicaSet",
      metadata: { name: "web-6b7f9c8d5f", namespace: NS, labels, ownerReferences: [controllerRef({ ...d, apiVersion: "apps/v1", kind: "Deployment" })], annotations: { "deployment.kubernetes.io/revision": "1" } },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    },
  });
}

/** Writes the ReplicaSet's status through the status subresource, as the replicaset controller would. */
async function writeStatus(e: Env, rs: V1ReplicaSet, status: V1ReplicaSet["status"]): Promise<V1ReplicaSet> {
  const current = await e.deps.apps.readNamespacedReplicaSet({ namespace: NS, name: rs.metadata!.name! });
  return e.deps.apps.replaceNamespacedReplicaSetStatus({ namespace: NS, name: rs.metadata!.name!, body: { ...current, status } });
}

describe("the operator and a workload that cannot create pods", () => {
  it("opens one QuotaExceeded incident from a ReplicaSet's ReplicaFailure condition and resolves it when the pods exist", async () => {
    const e = await E();
    const op = await start({ kubeConfig: e.cluster.kubeConfig });
    try {
      const rs = await deploymentWithoutPods(e);
      const now = new Date();
      await e.core.createNamespacedEvent({
        namespace: NS,
        body: {
          metadata: { name: `web-6b7f9c8d5f.${now.getTime()}`, namespace: NS },
          involvedObject: { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-6b7f9c8d5f", namespace: NS, uid: rs.metadata!.uid! },
          reason: "FailedCreate", type: "Warning", message: `Error creating: ${QUOTA}`, count: 12,
          source: { component: "replicaset-controller" }, firstTimestamp: now, lastTimestamp: now,
        },
      });
      await writeStatus(e, rs, { replicas: 0, observedGeneration: 1, conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: QUOTA, lastTransitionTime: now }] });

      const [incident, ...rest] = await waitForIncidents(e, NS, 1, "Diagnosed");
      expect(rest).toEqual([]);
      expect(incident!.spec).toMatchObject({ target: { kind: "Deployment", namespace: NS, name: "web" }, trigger: { source: "PodFailure", reason: "FailedCreate" } });
      expect(incident!.status?.diagnosis?.category).toBe("QuotaExceeded");
      expect(incident!.status?.diagnosis?.summary).toContain("compute-quota");
      const opened = await waitFor("the IncidentOpened Event on the ReplicaSet", async () => {
        const list = await e.core.listNamespacedEvent({ namespace: NS, fieldSelector: "involvedObject.kind=ReplicaSet,involvedObject.name=web-6b7f9c8d5f" });
        return list.items.find((x) => x.reason === "IncidentOpened");
      });
      expect(opened.message).toContain(incident!.metadata.name);

      await writeStatus(e, rs, { replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
      await markDeploymentReady(e.deps, { namespace: NS, name: "web" });
      const [resolved] = await waitForIncidents(e, NS, 1, "Resolved");
      expect(resolved!.metadata.uid).toBe(incident!.metadata.uid);
      expect((await listIncidents(e, NS)).length).toBe(1);
    } finally {
      await op.stop();
    }
  });
});
