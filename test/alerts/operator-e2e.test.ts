// The alert pipeline through startOperator, with the real Prometheus and Alertmanager:
// the operator's own webhook (on a free port) receives Alertmanager's notifications,
// the ProductionAlert controller opens an incident, the incident controller
// investigates it with the alert and Prometheus series as evidence, and the resolver
// keeps it open while the alert fires. A ProductionAlert created by hand for a
// workload that already has an open incident is recorded on that incident.
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GROUP, VERSION } from "../../src/api/common.js";
import type { ProductionAlert } from "../../src/api/alert.js";
import type { ProductionIncident } from "../../src/api/incident.js";
import type { OperatorHandle } from "../../src/operator.js";
import { ensureNamespace, prepare, start, testConfig, type Env } from "../operator/harness.js";
import { freePort } from "../testenv/ports.js";
import { kubeletScrape, memoryNearLimitRules, monitoringAvailable, startAlertmanager, startPrometheus, webhookRoute, type RunningService } from "../testenv/prometheus.js";
import { useTestCluster } from "../testenv/vitest.js";
import { waitFor } from "../testenv/wait.js";
import { createDeploymentChain } from "../testenv/workloads.js";

const MI = 1024 * 1024;
const TOKEN = "operator-e2e-webhook-token";
const ALERT = "ContainerMemoryNearLimit";
const HEALTHY_SECONDS = 2;
const available = monitoringAvailable();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)("the operator with the real Prometheus and Alertmanager", () => {
  const cluster = useTestCluster();
  let e: Env;
  let op: OperatorHandle | undefined;
  let prometheus: RunningService | undefined;
  let alertmanager: RunningService | undefined;

  const list = async <T>(plural: string, namespace: string): Promise<T[]> =>
    ((await e.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace })) as { items: T[] }).items;
  const alerts = (ns: string): Promise<ProductionAlert[]> => list<ProductionAlert>("productionalerts", ns);
  const incidents = (ns: string): Promise<ProductionIncident[]> => list<ProductionIncident>("productionincidents", ns);
  const incident = async (ns: string, name: string): Promise<ProductionIncident> =>
    (await e.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: "productionincidents", namespace: ns, name })) as ProductionIncident;
  const firing = (i: ProductionIncident): boolean => (i.status?.alerts ?? []).some((a) => a.state === "firing");

  async function deployment(name: string, limit: string): Promise<V1Pod> {
    const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.example/${name}:1.4.2`, resources: { limits: { memory: limit } } }] } };
    const chain = await createDeploymentChain(e.deps, { namespace: "shop", name, template });
    const pod = chain.pods[0]!;
    await e.pods.running({ namespace: "shop", name: pod.metadata!.name! });
    return pod;
  }

  beforeAll(async () => {
    e = await prepare(cluster());
    await ensureNamespace(e.core, "shop");
    // The operator needs Prometheus' URL, Alertmanager the webhook's port, Prometheus Alertmanager's: Prometheus' port is chosen first.
    const prometheusPort = await freePort();
    const config = testConfig({
      prometheus: { url: `http://127.0.0.1:${prometheusPort}`, timeoutSeconds: 5 },
      webhook: { port: 0, token: TOKEN, alertNamespace: "production-fixer" },
      resolution: { healthySeconds: HEALTHY_SECONDS },
    });
    op = await start({ kubeConfig: cluster().kubeConfig, config, identity: "alerts-e2e" });
    expect(op.webhookPort).toBeGreaterThan(0);
    alertmanager = await startAlertmanager({ config: webhookRoute(`http://127.0.0.1:${op.webhookPort}/alertmanager`, TOKEN) });
    prometheus = await startPrometheus({
      port: prometheusPort,
      alertmanager: `127.0.0.1:${alertmanager.port}`,
      scrapeConfigs: [kubeletScrape(e.kubelet.port)],
      ruleGroups: memoryNearLimitRules(ALERT, "warning"),
    });
  });

  afterAll(async () => {
    await op?.stop();
    await prometheus?.stop();
    await alertmanager?.stop();
    await e?.kubelet.close();
  });

  it("opens an incident for a firing alert, diagnoses it with the alert's series, and keeps it open until the alert resolves", async () => {
    const pod = await deployment("web", "256Mi");
    const podName = pod.metadata!.name!;
    e.kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", image: "registry.example/web:1.4.2", memoryWorkingSetBytes: 100 * MI, memoryLimitBytes: 256 * MI });
    await waitFor("Prometheus to scrape the fake kubelet", async () => {
      const res = (await (await fetch(`${prometheus!.url}/api/v1/query?query=container_memory_working_set_bytes`)).json()) as { data: { result: unknown[] } };
      return res.data.result.length > 0 ? true : undefined;
    });
    // The container comes close to its limit without being killed: no pod fails, only the alert says so.
    for (const mi of [150, 200, 245]) {
      e.kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", memoryWorkingSetBytes: mi * MI });
      await sleep(1200);
    }

    const diagnosed = await waitFor("a Diagnosed ProductionAlert", async () => (await alerts("shop")).find((a) => a.spec.name === ALERT && a.status?.phase === "Diagnosed"));
    const ref = diagnosed.status!.incidentRef!;
    const opened = await incident(ref.namespace, ref.name);
    expect(opened.spec).toMatchObject({
      target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" },
      trigger: { source: "Alert", reason: ALERT, alertRef: { name: diagnosed.metadata.name, namespace: "shop" } },
      fingerprint: `shop/Deployment/web/web/alert:${ALERT}`,
    });
    expect(opened.status?.phase).toBe("Diagnosed");
    const cited = opened.status?.diagnosis?.evidence.map((x) => x.id) ?? [];
    expect(cited).toContain(`alert/${ALERT}`);
    expect(cited).toContain(`metrics/alert/${ALERT}`);
    expect(cited.filter((id) => id.startsWith("metrics/")).length).toBeGreaterThanOrEqual(2);
    expect(opened.status?.alerts).toEqual([expect.objectContaining({ name: `shop/${diagnosed.metadata.name}`, alertname: ALERT, state: "firing" })]);
    // One incident for the Deployment: the webhook ran on this replica, the investigation in the incident controller.
    expect((await incidents("shop")).filter((i) => i.spec.target.name === "web")).toHaveLength(1);

    // While the alert fires the incident stays open, though no pod fails and healthySeconds pass several times.
    const seen: ProductionIncident[] = [];
    for (let i = 0; i < (HEALTHY_SECONDS * 3 * 1000) / 250; i++) {
      seen.push(await incident(ref.namespace, ref.name));
      await sleep(250);
    }
    expect(seen.every((i) => i.status?.phase === "Diagnosed" && firing(i))).toBe(true);

    // The memory drops: the alert resolves, the resolution is recorded, and only then may the resolver resolve the incident.
    e.kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", memoryWorkingSetBytes: 60 * MI });
    const resolvedAlert = await waitFor("the ProductionAlert to resolve", async () => (await alerts("shop")).find((a) => a.metadata.name === diagnosed.metadata.name && a.status?.phase === "Resolved"));
    expect(resolvedAlert.spec.state).toBe("resolved");
    const recorded = await waitFor("the resolution on the incident", async () => {
      const i = await incident(ref.namespace, ref.name);
      seen.push(i);
      return i.status?.alerts?.[0]?.state === "resolved" ? i : undefined;
    });
    expect(recorded.status?.alerts).toEqual([expect.objectContaining({ state: "resolved", endsAt: resolvedAlert.spec.endsAt })]);
    const closed = await waitFor("the resolver to resolve the incident", async () => {
      const i = await incident(ref.namespace, ref.name);
      seen.push(i);
      return i.status?.phase === "Resolved" ? i : undefined;
    });
    expect(firing(closed)).toBe(false);
    expect(seen.filter((i) => i.status?.phase === "Resolved").every((i) => !firing(i))).toBe(true);
    expect(Date.parse(closed.status!.resolvedAt!)).toBeGreaterThanOrEqual(Date.parse(resolvedAlert.spec.endsAt!));
  });

  it("records a ProductionAlert created by hand on the open pod-failure incident of its Deployment", async () => {
    const pod = await deployment("api", "128Mi");
    await e.pods.crashLoop({ namespace: "shop", name: pod.metadata!.name! });
    const failing = await waitFor("the pod-failure incident", async () =>
      (await incidents("shop")).find((i) => i.spec.target.name === "api" && i.spec.trigger.source === "PodFailure" && i.status?.phase === "Diagnosed"),
    );
    await e.custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, plural: "productionalerts", namespace: "shop",
      body: {
        apiVersion: `${GROUP}/${VERSION}`, kind: "ProductionAlert", metadata: { name: "api-error-rate" },
        spec: { source: "manual", name: "ApiErrorRate", severity: "critical", summary: "5xx above 5% for 10 minutes", target: { kind: "Deployment", namespace: "shop", name: "api" } },
      },
    });
    const correlated = await waitFor("the ProductionAlert to be correlated", async () => {
      const a = (await alerts("shop")).find((x) => x.metadata.name === "api-error-rate");
      return a?.status?.phase === "Correlated" || a?.status?.phase === "Diagnosed" ? a : undefined;
    });
    expect(correlated.status?.incidentRef).toEqual({ namespace: "shop", name: failing.metadata.name });
    const after = await incident("shop", failing.metadata.name!);
    expect(after.status?.alerts).toEqual([expect.objectContaining({ name: "shop/api-error-rate", alertname: "ApiErrorRate", state: "firing" })]);
    expect((await incidents("shop")).filter((i) => i.spec.target.name === "api")).toHaveLength(1);
  });
});
