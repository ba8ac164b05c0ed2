// The operator itself, in-process, under the chart's ServiceAccount identity: a missing
// rule would surface as a 403 from the apiserver and an incident that never gets
// diagnosed; an excessive one is caught by rbac.suite.ts. Run from cluster.test.ts.
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorHandle } from "../../src/operator.js";
import { deployment, listIncidents, prepare, ref, start, testConfig, waitFor, waitForIncidents, type Env } from "../operator/harness.js";
import type { TestCluster } from "../testenv/cluster.js";
import { serviceAccountKubeConfig } from "./rbac.js";
import { NAMESPACED } from "./value-sets.js";

async function crashOutOfMemory(e: Env, namespace: string, name: string): Promise<void> {
  const chain = await deployment(e, { namespace, name });
  const pod = chain.pods[0]!;
  await e.pods.running(ref(pod));
  e.kubelet.setLog({ ...ref(pod), pod: ref(pod).name, container: "app", previous: true, text: "starting\nallocating cache\n" });
  await e.pods.oomKilled(ref(pod), { restartCount: 3 });
}

async function podEventReasons(e: Env, namespace: string): Promise<string[]> {
  const list = await e.core.listNamespacedEvent({ namespace });
  return list.items.map((x) => x.reason ?? "");
}

export function describeOperatorUnderChartIdentity(cluster: () => TestCluster): void {
  describe("the operator under the chart's ServiceAccount", () => {
    let e: Env;
    beforeAll(async () => {
      e = await prepare(cluster());
    });
    afterAll(async () => {
      await e?.kubelet.close();
    });

    it("scope cluster: leads, diagnoses a crash-looping pod and records Events, with no 403", async () => {
      const kc: KubeConfig = await serviceAccountKubeConfig(cluster());
      const op: OperatorHandle = await start({ kubeConfig: kc, identity: "production-fixer-0" });
      try {
        await crashOutOfMemory(e, "shop", "web");
        const [incident] = await waitForIncidents(e, "shop", 1, "Diagnosed");
        expect(incident!.status?.diagnosis?.category).toBe("OutOfMemory");
        await waitFor("Events on the pod", async () => (await podEventReasons(e, "shop")).includes("Diagnosed"));
      } finally {
        await op.stop();
      }
    });

    it("scope namespaces: diagnoses failures in the listed namespaces and cannot see the others", async () => {
      const kc = await serviceAccountKubeConfig(cluster(), { release: "pf-scoped", namespace: "pf-scoped", values: NAMESPACED });
      const config = testConfig({
        namespaces: ["team-a", "team-b"],
        leaderElection: { enabled: true, leaseNamespace: "pf-scoped", leaseName: "pf-scoped-production-fixer" },
        webhook: { enabled: false, alertNamespace: "team-a" },
      });
      const op = await start({ kubeConfig: kc, config, identity: "pf-scoped-0" });
      try {
        await crashOutOfMemory(e, "team-outside", "api");
        await crashOutOfMemory(e, "team-b", "api");
        const [incident] = await waitForIncidents(e, "team-b", 1, "Diagnosed");
        expect(incident!.status?.diagnosis?.category).toBe("OutOfMemory");
        expect(await listIncidents(e, "team-outside")).toEqual([]);
      } finally {
        await op.stop();
      }
    });
  });
}
