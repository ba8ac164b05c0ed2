// End to end with the real things: the fake kubelet serves a container's memory
// climbing to its limit; the real Prometheus scrapes it and fires an alert; the real
// Alertmanager sends it to our webhook; the ProductionAlert opens an incident that is
// diagnosed with Prometheus series as evidence; the memory drops, the alert resolves
// and the resolution is recorded on the incident.
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { GROUP, VERSION } from "../../src/api/common.js";
import type { ProductionAlert } from "../../src/api/alert.js";
import type { ProductionIncident } from "../../src/api/incident.js";
import { loadConfig } from "../../src/config.js";
import { LiveView } from "../../src/context/live-view.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import { incidentApiOf, type StoredIncident } from "../../src/incidents/incident-api.js";
import { createKubeClients } from "../../src/kube/clients.js";
import { Informer } from "../../src/kube/informer.js";
import { CustomObjectStore } from "../../src/kube/status.js";
import { alertWiring, prometheusSource, webhookFromConfig, type AlertWiring } from "../../src/triggers/alert-wiring.js";
import type { WebhookServer } from "../../src/triggers/webhook.js";
import { PodDriver } from "../testenv/drivers.js";
import { startFakeKubelet, type FakeKubelet } from "../testenv/kubelet.js";
import { freePort } from "../testenv/ports.js";
import { kubeletScrape, memoryNearLimitRules, monitoringAvailable, startAlertmanager, startPrometheus, webhookRoute, type RunningService } from "../testenv/prometheus.js";
import { useTestCluster } from "../testenv/vitest.js";
import { waitFor } from "../testenv/wait.js";
import { createDeploymentChain } from "../testenv/workloads.js";

const MI = 1024 * 1024;
const TOKEN = "e2e-webhook-token";
const ALERT = "ContainerMemoryNearLimit";
const available = monitoringAvailable();

describe.skipIf(!available)("alerts end to end with the real Prometheus and Alertmanager", () => {
  const env = useTestCluster();
  const logger = pino({ level: process.env.PF_TEST_LOG ?? "silent" });
  let kubelet: FakeKubelet;
  let prometheus: RunningService | undefined;
  let alertmanager: RunningService | undefined;
  let webhook: WebhookServer | undefined;
  let wiring: AlertWiring | undefined;
  let incidentInformer: Informer<StoredIncident> | undefined;
  let pod: V1Pod;
  let driver: PodDriver;

  const custom = (): CustomObjectsApi => env().kubeConfig.makeApiClient(CustomObjectsApi);
  const alertsIn = async (ns: string): Promise<ProductionAlert[]> =>
    ((await custom().listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: "productionalerts", namespace: ns })) as { items: ProductionAlert[] }).items;
  const incident = async (ns: string, name: string): Promise<ProductionIncident> =>
    (await custom().getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: "productionincidents", namespace: ns, name })) as ProductionIncident;

  beforeAll(async () => {
    const kc = env().kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of ["shop", "production-fixer"]) await core.createNamespace({ body: { metadata: { name } } });
    kubelet = await startFakeKubelet({ core, tls: env().servingTls });
    driver = new PodDriver({ core, nodeName: kubelet.nodeName });
    const chain = await createDeploymentChain(
      { apps: kc.makeApiClient(AppsV1Api), batch: kc.makeApiClient(BatchV1Api), pods: driver },
      { namespace: "shop", name: "web", template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "registry.example/web:1.4.2", resources: { limits: { memory: "256Mi" }, requests: { memory: "128Mi" } } }] } } },
    );
    pod = chain.pods[0]!;
    await driver.running({ namespace: "shop", name: pod.metadata!.name! });
    kubelet.setMetrics({ namespace: "shop", pod: pod.metadata!.name!, container: "web", image: "registry.example/web:1.4.2", memoryWorkingSetBytes: 100 * MI, memoryLimitBytes: 256 * MI });

    const webhookPort = await freePort();
    alertmanager = await startAlertmanager({ config: webhookRoute(`http://127.0.0.1:${webhookPort}/alertmanager`, TOKEN) });
    prometheus = await startPrometheus({
      alertmanager: `127.0.0.1:${alertmanager.port}`,
      scrapeConfigs: [kubeletScrape(kubelet.port)],
      ruleGroups: memoryNearLimitRules(ALERT, "critical"),
    });

    const config = loadConfig({ overrides: { prometheus: { url: prometheus.url, timeoutSeconds: 5 }, webhook: { port: webhookPort, token: TOKEN, alertNamespace: "production-fixer" } } });
    const clients = createKubeClients(kc);
    webhook = await webhookFromConfig(config, { clients, logger });
    incidentInformer = new Informer<StoredIncident>({ kubeConfig: kc, logger, path: `/apis/${GROUP}/${VERSION}/productionincidents` });
    const metrics = prometheusSource(config);
    wiring = alertWiring({
      config, kubeConfig: kc, clients, logger,
      incidents: incidentInformer,
      incidentApi: incidentApiOf(new CustomObjectStore<StoredIncident>({ clients, plural: "productionincidents" })),
      view: () => new LiveView({ kubeConfig: kc, ...(metrics ? { metrics } : {}) }),
      investigator: new RulesInvestigator(),
    });
    const controller = wiring.controller;
    incidentInformer.on("update", (i) => controller.incidentChanged(i));
    incidentInformer.start();
    wiring.startInformers();
    await Promise.all([incidentInformer.synced(), wiring.synced()]);
    controller.start();
  });

  afterAll(async () => {
    await wiring?.stop();
    await incidentInformer?.stop();
    await webhook?.close();
    await prometheus?.stop();
    await alertmanager?.stop();
    await kubelet?.close();
  });

  it("fires, opens an incident diagnosed with Prometheus evidence, and records the resolution", async () => {
    const podName = pod.metadata!.name!;
    // Memory climbs towards the limit (Prometheus scrapes every second) but stays under the
    // alert's 90% until the container is OOM-killed; the restarted one climbs over it at once,
    // so the alert fires only after the kill is in the pod's status.
    await waitFor("Prometheus to scrape the fake kubelet", async () => {
      const res = (await (await fetch(`${prometheus!.url}/api/v1/query?query=container_memory_working_set_bytes`)).json()) as { data: { result: unknown[] } };
      return res.data.result.length > 0 ? true : undefined;
    });
    for (const mi of [100, 120, 150, 180, 200, 215, 225]) {
      kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", memoryWorkingSetBytes: mi * MI });
      await new Promise((r) => setTimeout(r, 1200));
    }
    await driver.oomKilled({ namespace: "shop", name: podName });
    kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", memoryWorkingSetBytes: 245 * MI });

    const diagnosed = await waitFor("a Diagnosed ProductionAlert", async () => (await alertsIn("shop")).find((a) => a.spec.name === ALERT && a.status?.phase === "Diagnosed"));
    expect(diagnosed.metadata.name).toBe(`am-${diagnosed.spec.fingerprint}`);
    expect(diagnosed.spec).toMatchObject({ source: "alertmanager", severity: "critical", state: "firing", labels: { namespace: "shop", pod: podName, container: "web" } });
    expect(diagnosed.spec.generatorURL).toContain("g0.expr=");
    const ref = diagnosed.status!.incidentRef!;
    const opened = await incident(ref.namespace, ref.name);
    expect(opened.spec).toMatchObject({
      target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" },
      trigger: { source: "Alert", reason: ALERT, alertRef: { name: diagnosed.metadata.name, namespace: "shop" } },
      fingerprint: `shop/Deployment/web/web/alert:${ALERT}`,
    });
    expect(opened.status?.phase).toBe("Diagnosed");
    expect(opened.status?.diagnosis?.category).toBe("OutOfMemory");
    const cited = opened.status?.diagnosis?.evidence.map((e) => e.id) ?? [];
    expect(cited).toContain(`metrics/memory_working_set_bytes/shop/${podName}/web`);
    const memory = opened.status!.diagnosis!.evidence.find((e) => e.id.startsWith("metrics/memory_working_set_bytes/"))!;
    expect(memory.excerpt).toContain("limit 256Mi");
    // The climb itself is in the evidence: several points, the first well below the peak.
    expect(Number(/(\d+) points/.exec(memory.excerpt)?.[1])).toBeGreaterThanOrEqual(3);
    const [, first, peak] = /first (\d+)Mi, last \d+Mi, peak (\d+)Mi/.exec(memory.excerpt) ?? [];
    expect(Number(first)).toBeLessThan(Number(peak));
    expect(opened.status?.alerts).toEqual([expect.objectContaining({ name: `shop/${diagnosed.metadata.name}`, alertname: ALERT, state: "firing" })]);

    // Only one ProductionAlert for the alert however often Alertmanager and Prometheus re-send.
    expect((await alertsIn("shop")).filter((a) => a.spec.name === ALERT)).toHaveLength(1);

    // The memory drops: Prometheus resolves the alert, Alertmanager sends the resolution.
    kubelet.setMetrics({ namespace: "shop", pod: podName, container: "web", memoryWorkingSetBytes: 60 * MI });
    const resolved = await waitFor("the ProductionAlert to resolve", async () => (await alertsIn("shop")).find((a) => a.metadata.name === diagnosed.metadata.name && a.status?.phase === "Resolved"));
    expect(resolved.spec.state).toBe("resolved");
    expect(resolved.spec.endsAt).toBeDefined();
    const after = await incident(ref.namespace, ref.name);
    expect(after.status?.phase).toBe("Diagnosed");
    expect(after.status?.alerts).toEqual([expect.objectContaining({ name: `shop/${diagnosed.metadata.name}`, state: "resolved", endsAt: resolved.spec.endsAt })]);
  });
});
