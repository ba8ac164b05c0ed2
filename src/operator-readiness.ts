// Whether a workload's replicas are back, read from its status (one GET when an
// incident is about to be resolved). Unknown for kinds without replicas.
import type { Target } from "./api/common.js";
import type { KubeClients } from "./kube/clients.js";

type Replicas = { spec?: { replicas?: number }; status?: { readyReplicas?: number; replicas?: number; observedGeneration?: number } };

export function workloadReadiness(clients: Pick<KubeClients, "apps">): (target: Target) => Promise<boolean | undefined> {
  return async (target) => {
    const ref = { namespace: target.namespace, name: target.name };
    let obj: Replicas;
    try {
      if (target.kind === "Deployment") obj = await clients.apps.readNamespacedDeployment(ref);
      else if (target.kind === "StatefulSet") obj = await clients.apps.readNamespacedStatefulSet(ref);
      else return undefined;
    } catch {
      return undefined;
    }
    // Nothing has written the status (no controller-manager): readiness cannot be seen.
    if (obj.status?.observedGeneration === undefined && obj.status?.replicas === undefined) return undefined;
    const want = obj.spec?.replicas ?? 1;
    const ready = obj.status?.readyReplicas ?? 0;
    return ready >= want;
  };
}
