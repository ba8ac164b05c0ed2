// Against the real kube-apiserver + etcd: CRDs, pod status through a watch, the
// pods/log proxy to the fake kubelet, RBAC, kubectl, and an apiserver restart.
import { execFile } from "node:child_process";
import { get as httpsGet } from "node:https";
import { promisify } from "node:util";
import {
  AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, Watch, type V1Pod,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PodDriver } from "./drivers.js";
import { startFakeKubelet, type FakeKubelet } from "./kubelet.js";
import { ensureTools, type Tools } from "./tools.js";
import { useTestCluster } from "./vitest.js";
import { createDeploymentChain, createFailedJob, markDeploymentReady } from "./workloads.js";

const run = promisify(execFile);
const env = useTestCluster();
let kubelet: FakeKubelet;
let core: CoreV1Api;
let driver: PodDriver;
let tools: Tools;

const INCIDENTS = { group: "productionfixer.io", version: "v1alpha1", plural: "productionincidents" };

beforeAll(async () => {
  core = env().kubeConfig.makeApiClient(CoreV1Api);
  kubelet = await startFakeKubelet({ core, tls: env().servingTls });
  driver = new PodDriver({ core, nodeName: kubelet.nodeName });
  tools = await ensureTools();
});
afterAll(async () => {
  await kubelet?.close();
});

function webPod(name: string): V1Pod {
  return { metadata: { name, namespace: "default" }, spec: { containers: [{ name: "web", image: "ghcr.io/acme/web:1.4.2" }] } };
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(tools.kubectl, args, { env: { ...process.env, KUBECONFIG: env().kubeconfigPath } });
  return stdout;
}

function errorCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

describe("the test control plane", () => {
  it("serves the pinned Kubernetes version and registers the fake kubelet's node", async () => {
    const stats = await env().stats();
    const node = await core.readNode({ name: kubelet.nodeName });
    expect(node.status?.addresses).toContainEqual({ type: "InternalIP", address: "127.0.0.1" });
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(kubelet.port);
    expect(await kubectl("version", "-o", "json")).toContain(`"gitVersion": "${stats.kubernetesVersion}"`);
  });

  it("installs the CRDs and validates ProductionIncidents", async () => {
    expect(env().crds).toContain("productionincidents.productionfixer.io");
    const custom = env().kubeConfig.makeApiClient(CustomObjectsApi);
    const body = {
      apiVersion: "productionfixer.io/v1alpha1", kind: "ProductionIncident",
      metadata: { name: "web-crashloop", namespace: "default" },
      spec: {
        target: { kind: "Deployment", namespace: "default", name: "web", container: "web" },
        trigger: { source: "PodFailure", reason: "CrashLoopBackOff" },
        fingerprint: "Deployment/default/web/web/CrashLoopBackOff/1",
      },
    };
    await custom.createNamespacedCustomObject({ ...INCIDENTS, namespace: "default", body });
    const invalid = { ...body, metadata: { name: "bad", namespace: "default" }, spec: { ...body.spec, trigger: { source: "Carrier pigeon", reason: "x" } } };
    const rejected = await custom.createNamespacedCustomObject({ ...INCIDENTS, namespace: "default", body: invalid }).catch((err: unknown) => err);
    expect(errorCode(rejected)).toBe(422);
    expect(String((rejected as { body?: unknown }).body)).toContain("spec.trigger.source");
  });

  it("prints the ProductionIncident printer columns with kubectl", async () => {
    const out = await kubectl("get", "productionincidents", "-A");
    const header = out.split("\n")[0] ?? "";
    for (const column of ["NAMESPACE", "NAME", "PHASE", "TARGET", "CATEGORY", "SUMMARY", "CONFIDENCE", "AGE"]) expect(header).toContain(column);
    expect(out).toContain("web-crashloop");
  });

  it("shows a pod driven to CrashLoopBackOff through a watch", async () => {
    const seen: V1Pod[] = [];
    let watch: AbortController | undefined;
    const crashLooping = new Promise<V1Pod>((resolve) => {
      void new Watch(env().kubeConfig).watch("/api/v1/namespaces/default/pods", { fieldSelector: "metadata.name=crashy" }, (_type, pod: V1Pod) => {
        seen.push(pod);
        if (pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff" && pod.status.containerStatuses[0].restartCount === 2) resolve(pod);
      }, () => {}).then((w) => (watch = w));
    });
    await driver.createPod(webPod("crashy"));
    await driver.running({ namespace: "default", name: "crashy" });
    await driver.crashLoop({ namespace: "default", name: "crashy" }, { exitCode: 2 });
    await driver.crashLoop({ namespace: "default", name: "crashy" }, { exitCode: 2 });
    const pod = await crashLooping;
    watch?.abort();
    const status = pod.status?.containerStatuses?.[0];
    expect(pod.spec?.nodeName).toBe(kubelet.nodeName);
    expect(status?.state?.waiting?.message).toMatch(/^back-off 20s restarting failed container=web pod=crashy_default\(.+\)$/);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");

    const events = await core.listNamespacedEvent({ namespace: "default", fieldSelector: "involvedObject.name=crashy" });
    const backOff = events.items.find((e) => e.reason === "BackOff");
    expect(backOff).toMatchObject({ type: "Warning", count: 2, source: { component: "kubelet" }, involvedObject: { fieldPath: "spec.containers{web}", uid: pod.metadata?.uid } });
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(["Scheduled", "Pulling", "Pulled", "Created", "Started", "BackOff"]));
  });

  it("proxies readNamespacedPodLog to the fake kubelet, previous instance included", async () => {
    kubelet.setLog({ namespace: "default", pod: "crashy", container: "web", previous: true, text: "starting\npanic: nil map\n" });
    kubelet.setLog({ namespace: "default", pod: "crashy", container: "web", text: "starting again\n" });
    expect(await core.readNamespacedPodLog({ name: "crashy", namespace: "default", container: "web", previous: true })).toBe("starting\npanic: nil map\n");
    expect(await core.readNamespacedPodLog({ name: "crashy", namespace: "default", container: "web", previous: true, tailLines: 1 })).toBe("panic: nil map\n");
    expect(await kubectl("logs", "crashy", "-c", "web")).toBe("starting again\n");
    expect(await kubectl("logs", "crashy", "--previous")).toBe("starting\npanic: nil map\n");
  });

  it("answers like a kubelet when there is no previous instance", async () => {
    await driver.createPod(webPod("fresh"));
    await driver.running({ namespace: "default", name: "fresh" });
    const err = await core.readNamespacedPodLog({ name: "fresh", namespace: "default", previous: true }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe(400);
    expect(String((err as { body?: unknown }).body)).toContain('previous terminated container \\"web\\" in pod \\"fresh\\" not found');
  });

  it("forbids pods/log to a user without the permission", async () => {
    const restricted = env().kubeConfigForUser("restricted").makeApiClient(CoreV1Api);
    const err = await restricted.readNamespacedPodLog({ name: "crashy", namespace: "default" }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe(403);
    expect(String((err as { body?: unknown }).body)).toContain('cannot get resource \\"pods/log\\"');
  });

  it("serves cAdvisor metrics on the kubelet port", async () => {
    // The apiserver refuses nodes/proxy to loopback addresses ("address not allowed"),
    // so scrapers such as Prometheus reach the fake kubelet directly.
    kubelet.setMetrics({ namespace: "default", pod: "crashy", container: "web", memoryWorkingSetBytes: 104857600, memoryLimitBytes: 134217728 });
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet({ host: "127.0.0.1", port: kubelet.port, path: "/metrics/cadvisor", rejectUnauthorized: false }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve(text));
      }).on("error", reject);
    });
    expect(body).toMatch(/^container_memory_working_set_bytes\{container="web",.*pod="crashy"\} 104857600$/m);
  });

  it("drives the other failures with the kubelet's reasons", async () => {
    const ref = (name: string) => ({ namespace: "default", name });
    for (const name of ["pull", "config", "oom", "evict"]) await driver.createPod(webPod(name));
    await driver.createPod(webPod("pending"), { schedule: false });
    const pull = await driver.imagePull(ref("pull"));
    const config = await driver.createContainerConfigError(ref("config"), { message: 'configmap "web-config" not found' });
    const oom = await driver.oomKilled(ref("oom"));
    const evicted = await driver.evicted(ref("evict"));
    const pending = await driver.unschedulable(ref("pending"));
    expect(pull.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("ImagePullBackOff");
    expect(config.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: "CreateContainerConfigError", message: 'configmap "web-config" not found' });
    expect(oom.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
    expect(evicted.status).toMatchObject({ phase: "Failed", reason: "Evicted" });
    expect(pending.status?.conditions?.[0]).toMatchObject({ type: "PodScheduled", status: "False", reason: "Unschedulable" });
    const err = await core.readNamespacedPodLog({ name: "pull", namespace: "default" }).catch((e: unknown) => e);
    expect(String((err as { body?: unknown }).body)).toContain("is waiting to start: trying and failing to pull image");
    expect(await kubectl("get", "pod", "pull", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}")).toBe("ImagePullBackOff");
  });

  it("creates Deployment → ReplicaSet → Pod chains and failed Jobs", async () => {
    const apps = env().kubeConfig.makeApiClient(AppsV1Api);
    const batch = env().kubeConfig.makeApiClient(BatchV1Api);
    const deps = { apps, batch, pods: driver };
    const chain = await createDeploymentChain(deps, { namespace: "default", name: "shop", replicas: 2, template: { spec: { containers: [{ name: "shop", image: "shop:1" }] } } });
    expect(chain.pods).toHaveLength(2);
    const pod = chain.pods[0]!;
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: chain.replicaSet.metadata?.name, controller: true });
    expect(chain.replicaSet.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Deployment", uid: chain.deployment.metadata?.uid });
    expect(chain.replicaSet.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(pod.metadata?.labels?.["pod-template-hash"]).toBe(chain.replicaSet.metadata?.labels?.["pod-template-hash"]);
    const ready = await markDeploymentReady(deps, { namespace: "default", name: "shop" });
    expect(ready.status?.readyReplicas).toBe(2);

    const { job } = await createFailedJob(deps, { namespace: "default", name: "migrate", template: { spec: { containers: [{ name: "migrate", image: "migrate:1" }] } } });
    expect(job.status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded" });
  });

  it("keeps its data and serves watches again after an apiserver restart", async () => {
    await env().stopApiServer();
    await env().startApiServer();
    const pod = await core.readNamespacedPod({ name: "crashy", namespace: "default" });
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(2);
    let resolveAdded: (type: string) => void = () => {};
    const added = new Promise<string>((resolve) => (resolveAdded = resolve));
    const watch = await new Watch(env().kubeConfig).watch("/api/v1/namespaces/default/pods", {}, (type, obj: V1Pod) => {
      if (obj.metadata?.name === "after-restart") resolveAdded(type);
    }, () => {});
    await driver.createPod(webPod("after-restart"));
    expect(await added).toBe("ADDED");
    watch.abort();
    const stats = await env().stats();
    console.log(`control plane: start ${(stats.apiServerStartMs / 1000).toFixed(1)} s, RSS ${((stats.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
  });
});
