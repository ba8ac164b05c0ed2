// Shared setup of the operator benchmarks: a control plane, a fake kubelet, pod
// drivers and the operator in-process (rules investigator, no Anthropic calls).
import { CoreV1Api } from "@kubernetes/client-node";
import type { V1Pod } from "@kubernetes/client-node";
import { RequestCounter } from "../src/kube/clients.js";
import { Informer } from "../src/kube/informer.js";
import type { ProductionIncident } from "../src/api/incident.js";
import type { StoredIncident } from "../src/incidents/incident-api.js";
import type { OperatorEvent, OperatorHandle } from "../src/operator.js";
import { startTestCluster, type TestCluster } from "../test/testenv/cluster.js";
import { PodDriver } from "../test/testenv/drivers.js";
import { deployment, prepare, start, testConfig, type Env } from "../test/operator/harness.js";
import type { ConfigInput } from "../src/config.js";
import { pino } from "pino";

export interface BenchEnv {
  cluster: TestCluster;
  env: Env;
  /** Time (performance.now()) each pod's status was last written, by pod name. */
  statusWrites: Map<string, number>;
  /** A PodDriver whose status writes are timed. */
  timed: PodDriver;
  stop(): Promise<void>;
}

export async function benchEnv(): Promise<BenchEnv> {
  const cluster = await startTestCluster();
  const env = await prepare(cluster);
  const statusWrites = new Map<string, number>();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const timedCore = new Proxy(core, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== "replaceNamespacedPodStatus" || typeof value !== "function") return value;
      return (req: { name: string }) => {
        statusWrites.set(req.name, performance.now());
        return (value as (r: unknown) => Promise<V1Pod>).call(target, req);
      };
    },
  });
  const timed = new PodDriver({ core: timedCore, nodeName: env.kubelet.nodeName });
  return {
    cluster, env, statusWrites, timed,
    stop: async () => {
      await env.kubelet.close();
      await cluster.stop();
    },
  };
}

export interface RunningOperator {
  op: OperatorHandle;
  events: OperatorEvent[];
  counter: RequestCounter;
}

export async function runOperator(b: BenchEnv, overrides: ConfigInput = {}): Promise<RunningOperator> {
  const events: OperatorEvent[] = [];
  const counter = new RequestCounter();
  const op = await start({ kubeConfig: b.cluster.kubeConfig, config: testConfig({ queue: { investigationsPerHour: 10_000 }, ...overrides }), events, requestCounter: counter });
  await waitUntil(() => op.isLeader() || op.controller.isRunning(), 30_000);
  return { op, events, counter };
}

/** Watches incidents: the first time (performance.now()) each one appeared, by target name. */
export async function watchIncidents(b: BenchEnv): Promise<{ firstSeen: Map<string, number>; phases: Map<string, string>; stop: () => Promise<void> }> {
  const firstSeen = new Map<string, number>();
  const phases = new Map<string, string>();
  const informer = new Informer<StoredIncident>({
    kubeConfig: b.cluster.kubeConfig, path: "/apis/productionfixer.io/v1alpha1/productionincidents", logger: pino({ level: "silent" }),
  });
  const seen = (i: ProductionIncident): void => {
    const key = `${i.metadata.namespace}/${i.metadata.name}`;
    if (!firstSeen.has(key)) firstSeen.set(key, performance.now());
    phases.set(key, i.status?.phase ?? "");
  };
  informer.on("add", seen);
  informer.on("update", seen);
  informer.start();
  await informer.synced();
  return { firstSeen, phases, stop: () => informer.stop() };
}

export async function deployments(b: BenchEnv, namespace: string, count: number, replicas: number): Promise<V1Pod[][]> {
  const out: V1Pod[][] = [];
  const queue = Array.from({ length: count }, (_, i) => i);
  const worker = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      out[i] = (await deployment(b.env, { namespace, name: `w${i}`, replicas })).pods;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`benchmark condition not met within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

export { percentile } from "./stats.js";

export function table(rows: [string, string | number][]): void {
  for (const [k, v] of rows) console.log(`${k.padEnd(36)} ${v}`);
}

/**
 * Puts a pod in CrashLoopBackOff with one status write and nothing else (no read,
 * no Events), as fast as the apiserver takes it.
 */
export async function writeCrashLoop(b: BenchEnv, pod: V1Pod, exitCode = 1): Promise<void> {
  const now = new Date();
  const container = pod.spec?.containers[0]?.name ?? "app";
  const status = {
    ...pod.status, phase: "Running", hostIP: "127.0.0.1", startTime: now,
    conditions: [{ type: "Ready", status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${container}]`, lastTransitionTime: now }],
    containerStatuses: [{
      name: container, image: pod.spec?.containers[0]?.image ?? "", imageID: "", ready: false, started: false, restartCount: 2,
      state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 20s restarting failed container=${container}` } },
      lastState: { terminated: { exitCode, reason: "Error", startedAt: new Date(now.getTime() - 5000), finishedAt: now } },
    }],
  };
  const ref = { namespace: pod.metadata?.namespace ?? "default", name: pod.metadata?.name ?? "" };
  await b.env.core.replaceNamespacedPodStatus({ ...ref, body: { ...pod, status } });
}
