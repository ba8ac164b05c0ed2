// The operator against the real control plane: a fake kubelet, pod drivers,
// Deployment chains, and startOperator() in-process with short periods.
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { pino } from "pino";
import { GROUP, VERSION } from "../../src/api/common.js";
import type { ProductionIncident } from "../../src/api/incident.js";
import { Config, type ConfigInput } from "../../src/config.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import type { Investigator } from "../../src/diagnosis/types.js";
import type { RequestCounter } from "../../src/kube/clients.js";
import { startOperator, type OperatorEvent, type OperatorHandle } from "../../src/operator.js";
import type { TestCluster } from "../testenv/cluster.js";
import { PodDriver } from "../testenv/drivers.js";
import { FakeKubelet } from "../testenv/kubelet.js";
import { createDeploymentChain, type DeploymentChain, type WorkloadDeps } from "../testenv/workloads.js";
import { waitFor } from "../testenv/wait.js";

export const LEASE_NAMESPACE = "production-fixer";

export interface Env {
  cluster: TestCluster;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  kubelet: FakeKubelet;
  pods: PodDriver;
  deps: WorkloadDeps;
}

export async function prepare(cluster: TestCluster): Promise<Env> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const kubelet = new FakeKubelet({ core, tls: cluster.servingTls });
  await kubelet.start();
  const pods = new PodDriver({ core, nodeName: kubelet.nodeName });
  await ensureNamespace(core, LEASE_NAMESPACE);
  return {
    cluster, core, kubelet, pods,
    custom: cluster.kubeConfig.makeApiClient(CustomObjectsApi),
    deps: { apps: cluster.kubeConfig.makeApiClient(AppsV1Api), batch: cluster.kubeConfig.makeApiClient(BatchV1Api), pods },
  };
}

export async function ensureNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
}

export function testConfig(overrides: ConfigInput = {}): Config {
  const base: ConfigInput = {
    resolution: { healthySeconds: 2, retentionHours: 0 },
    leaderElection: { enabled: true, leaseNamespace: LEASE_NAMESPACE, leaseName: "production-fixer", leaseDurationSeconds: 4, renewDeadlineSeconds: 3, retryPeriodSeconds: 1 },
    server: { port: 0 },
    // Several operators run in one test: each webhook on a free port.
    webhook: { port: 0 },
    shutdownTimeoutSeconds: 5,
    logLevel: "silent",
  };
  return Config.parse({
    ...base, ...overrides,
    leaderElection: { ...base.leaderElection, ...overrides.leaderElection },
    resolution: { ...base.resolution, ...overrides.resolution },
    webhook: { ...base.webhook, ...overrides.webhook },
  });
}

export interface StartInput {
  kubeConfig: KubeConfig;
  config?: Config;
  identity?: string;
  investigator?: Investigator;
  requestCounter?: RequestCounter;
  events?: OperatorEvent[];
}

export async function start(input: StartInput): Promise<OperatorHandle> {
  const config = input.config ?? testConfig();
  const identity = input.identity ?? "operator-a";
  return startOperator({
    config: { ...config, leaderElection: { ...config.leaderElection, identity } },
    kubeConfig: input.kubeConfig,
    investigator: input.investigator ?? new RulesInvestigator(),
    logger: pino({ level: process.env.PF_TEST_LOG ?? "silent" }),
    serve: false,
    ...(input.requestCounter ? { requestCounter: input.requestCounter } : {}),
    onEvent: (e) => input.events?.push(e),
  });
}

export async function deployment(env: Env, input: { namespace: string; name: string; replicas?: number; image?: string }): Promise<DeploymentChain> {
  await ensureNamespace(env.core, input.namespace);
  return createDeploymentChain(env.deps, {
    namespace: input.namespace, name: input.name, replicas: input.replicas ?? 1,
    template: { metadata: { labels: { app: input.name } }, spec: { containers: [{ name: "app", image: input.image ?? "registry.example/app:1.0", resources: { limits: { memory: "64Mi" } } }] } },
  });
}

export const ref = (pod: V1Pod): { namespace: string; name: string } => ({ namespace: pod.metadata?.namespace ?? "default", name: pod.metadata?.name ?? "" });

export async function listIncidents(env: Env, namespace?: string): Promise<ProductionIncident[]> {
  const base = { group: GROUP, version: VERSION, plural: "productionincidents" };
  const res = (namespace ? await env.custom.listNamespacedCustomObject({ ...base, namespace }) : await env.custom.listClusterCustomObject(base)) as { items: ProductionIncident[] };
  return res.items;
}

export { waitFor };

export async function waitForIncidents(env: Env, namespace: string, count: number, phase?: string): Promise<ProductionIncident[]> {
  return waitFor(`${count} incident(s) in ${namespace}${phase ? ` in phase ${phase}` : ""}`, async () => {
    const items = await listIncidents(env, namespace);
    return items.length === count && (!phase || items.every((i) => i.status?.phase === phase)) ? items : undefined;
  });
}
