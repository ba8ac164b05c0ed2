// LiveView, collection and the snapshot command against the real kube-apiserver,
// with container logs served by the fake kubelet through the pods/log proxy.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppsV1Api, BatchV1Api, CoreV1Api, type V1PodTemplateSpec } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSnapshot } from "../../src/context/snapshot-view.js";
import { collect } from "../../src/context/collect.js";
import { LiveView } from "../../src/context/live-view.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import { runCli } from "../../src/commands/index.js";
import { PodDriver } from "../testenv/drivers.js";
import { startFakeKubelet, type FakeKubelet } from "../testenv/kubelet.js";
import { useTestCluster } from "../testenv/vitest.js";
import { createDeploymentChain, rolloutDeployment } from "../testenv/workloads.js";

const env = useTestCluster();
const ns = "shop";
let kubelet: FakeKubelet;
let core: CoreV1Api;
let failingPod = "";

const template = (image: string, dbHost: string): V1PodTemplateSpec => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image, env: [{ name: "DB_HOST", value: dbHost }, { name: "DB_PASSWORD", value: "s3cr3t-value-9" }], resources: { limits: { memory: "128Mi" } } }] },
});

const CRASH_LOG = [
  "2026-11-27T11:58:00Z INFO starting web 2.0.0",
  "2026-11-27T11:58:01Z INFO connecting to postgres://app:pa55w0rd-x@db2:5432/orders",
  "panic: dial tcp: lookup db2 on 10.96.0.10:53: no such host",
  "",
  "goroutine 1 [running]:",
  "main.main()",
  "\t/src/main.go:42 +0x1d",
].join("\n");

beforeAll(async () => {
  core = env().kubeConfig.makeApiClient(CoreV1Api);
  kubelet = await startFakeKubelet({ core, tls: env().servingTls });
  const pods = new PodDriver({ core, nodeName: kubelet.nodeName });
  const deps = { apps: env().kubeConfig.makeApiClient(AppsV1Api), batch: env().kubeConfig.makeApiClient(BatchV1Api), pods };
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await createDeploymentChain(deps, { namespace: ns, name: "web", template: template("registry.example.com/web:1.0.0", "db") });
  const rev2 = await rolloutDeployment(deps, { namespace: ns, name: "web" }, template("registry.example.com/web:2.0.0", "db2"));
  failingPod = rev2.pods[0]!.metadata!.name!;
  await pods.crashLoop({ namespace: ns, name: failingPod }, { exitCode: 2, restartCount: 3 });
  kubelet.setLog({ namespace: ns, pod: failingPod, container: "web", previous: true, text: CRASH_LOG });
  kubelet.setLog({ namespace: ns, pod: failingPod, container: "web", text: "2026-11-27T11:59:00Z INFO starting web 2.0.0\n" });
});
afterAll(async () => {
  await kubelet?.close();
});

describe("LiveView against the control plane", () => {
  it("reads pods, owners and events, memoising repeated requests", async () => {
    const requests: string[] = [];
    const view = new LiveView({ kubeConfig: env().kubeConfig, onRequest: (verb, path) => requests.push(`${verb} ${path}`) });
    const pod = await view.get("Pod", ns, failingPod);
    expect(pod?.kind).toBe("Pod");
    expect(await view.get("Pod", ns, "does-not-exist")).toBeUndefined();
    await view.get("Pod", ns, failingPod);
    expect(requests.filter((r) => r === `get /api/v1/namespaces/${ns}/pods/${failingPod}`)).toHaveLength(1);
    const sets = await view.list("ReplicaSet", ns);
    expect(sets.map((s) => s.metadata.name).length).toBe(2);
    const events = await view.events({ namespace: ns, kind: "Pod", name: failingPod, uid: (pod!.metadata as { uid?: string }).uid });
    expect(events.map((e) => e.reason)).toContain("BackOff");
    expect(await view.fresh().get("Node", undefined, kubelet.nodeName)).toBeDefined();
  });

  it("lists the namespace's events once for every object, and per object when the namespace has more than the bound", async () => {
    const pod = await new LiveView({ kubeConfig: env().kubeConfig }).get("Pod", ns, failingPod);
    const uid = (pod!.metadata as { uid?: string }).uid;
    const queries = [{ namespace: ns, kind: "Pod", name: failingPod, ...(uid ? { uid } : {}) }, { namespace: ns, kind: "Deployment", name: "web" }];
    for (const eventListLimit of [500, 1]) {
      const requests: string[] = [];
      const view = new LiveView({ kubeConfig: env().kubeConfig, eventListLimit, onRequest: (verb, path) => requests.push(`${verb} ${path}`) });
      const [podEvents, deploymentEvents] = await Promise.all(queries.map((q) => view.events(q)));
      expect(podEvents!.map((e) => e.reason)).toContain("BackOff");
      expect(podEvents!.every((e) => e.involvedObject.uid === uid)).toBe(true);
      expect(deploymentEvents!.every((e) => e.involvedObject.kind === "Deployment" && e.involvedObject.name === "web")).toBe(true);
      expect(requests.filter((r) => r.includes("/events"))).toHaveLength(eventListLimit === 1 ? 3 : 1);
    }
  });

  it("reads current and previous logs through the kubelet and answers found:false for what is absent", async () => {
    const view = new LiveView({ kubeConfig: env().kubeConfig });
    const previous = await view.logs({ namespace: ns, pod: failingPod, container: "web", previous: true, limitBytes: 100_000 });
    expect(previous.found && previous.text).toContain("panic: dial tcp");
    const missing = await view.logs({ namespace: ns, pod: failingPod, container: "nope" });
    expect(missing.found).toBe(false);
  });

  it("answers found:false for the logs of a pod that is not on a node (the apiserver's 204)", async () => {
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: "pending" }, spec: { containers: [{ name: "web", image: "registry.example.com/web:2.0.0" }] } } });
    const view = new LiveView({ kubeConfig: env().kubeConfig });
    for (const previous of [false, true]) {
      expect(await view.logs({ namespace: ns, pod: "pending", container: "web", previous })).toEqual({ found: false, reason: `pod ${ns}/pending is not on a node yet, so it has no logs` });
    }
    await core.deleteNamespacedPod({ namespace: ns, name: "pending", gracePeriodSeconds: 0 });
  });

  it("says clearly when pods/log is forbidden", async () => {
    const view = new LiveView({ kubeConfig: env().kubeConfigForUser("restricted") });
    await expect(view.logs({ namespace: ns, pod: failingPod, container: "web" })).rejects.toThrow(/not allowed to read logs of shop\/.* needs "get" on pods\/log/);
  });

  it("collects a live Deployment with its rollout diff and redacted evidence", async () => {
    const requests: string[] = [];
    const ctx = await collect(new LiveView({ kubeConfig: env().kubeConfig, onRequest: (verb, path) => requests.push(`${verb} ${path.split("?")[0]}`) }), { target: { kind: "Deployment", namespace: ns, name: "web" }, reason: "CrashLoopBackOff" });
    expect(ctx.target).toMatchObject({ pod: failingPod, container: "web", workload: { kind: "Deployment", name: "web" } });
    expect(ctx.rollout?.evidenceId).toBe("rollout/web/rev1-rev2");
    const changes = Object.fromEntries(ctx.rollout!.changes.map((c) => [c.path, c.after]));
    expect(changes["containers[web].image"]).toBe("registry.example.com/web:2.0.0");
    expect(changes["containers[web].env[DB_HOST]"]).toBe("db2");
    expect(ctx.logs.web?.previous?.firstErrorLine).toBe(3);
    // One events list for the pod and its owners, one ReplicaSet list for the chain and the diff, the previous
    // log alone while the container waits to restart, and no Node: nothing in the crash points at it.
    expect(requests.filter((r) => r.endsWith("/events"))).toHaveLength(1);
    expect(requests.filter((r) => r.includes("/replicasets"))).toEqual([`list /apis/apps/v1/namespaces/${ns}/replicasets`]);
    expect(requests.filter((r) => r.endsWith("/log"))).toHaveLength(1);
    expect(ctx.node).toBeUndefined();
    expect(ctx.events.map((e) => e.reason)).toContain("BackOff");
    const all = JSON.stringify(ctx);
    expect(all).not.toContain("s3cr3t-value-9");
    expect(all).not.toContain("pa55w0rd-x");
  });

  it("gives the same diagnosis from `snapshot -n` + `diagnose --snapshot` as from the live path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "live-snap-"));
    const kubeconfig = env().writeKubeconfig(join(dir, "kubeconfig"));
    let out = "";
    let err = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {} };
    expect(await runCli(["snapshot", "-n", ns, "--kubeconfig", kubeconfig], io), err).toBe(0);
    const snapshot = parseSnapshot(out, "captured.yaml");
    expect(snapshot.objects.some((o) => o.kind === "Secret")).toBe(false);
    expect(snapshot.objects.some((o) => "managedFields" in (o.metadata as object))).toBe(false);
    expect(snapshot.logs.find((l) => l.pod === failingPod && l.previous)?.text).toContain("panic: dial tcp");
    expect(out).not.toContain("s3cr3t-value-9");
    const file = join(dir, "shop.yaml");
    writeFileSync(file, out);
    out = "";
    expect(await runCli(["diagnose", "--snapshot", file, "--output", "json", "--no-agent"], io), err).toBe(0);
    const offline = (JSON.parse(out) as { incidents: { spec: { target: { name: string } }; status: { diagnosis: { category: string; summary: string; rule?: string } } }[] }).incidents;
    expect(offline).toHaveLength(1);
    const live = await new RulesInvestigator().investigate(new LiveView({ kubeConfig: env().kubeConfig }), {
      target: { kind: "Deployment", namespace: ns, name: "web", container: "web" },
      pod: failingPod,
      reason: "CrashLoopBackOff",
    });
    expect(offline[0]!.spec.target.name).toBe("web");
    expect(offline[0]!.status.diagnosis.category).toBe(live.diagnosis.category);
    expect(offline[0]!.status.diagnosis.rule).toBe(live.diagnosis.rule);
    expect(offline[0]!.status.diagnosis.summary).toBe(live.diagnosis.summary);
  });
});
