// The Kubernetes layer against a real kube-apiserver and etcd (test/testenv).
import type { KubernetesObject, V1Pod } from "@kubernetes/client-node";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { useTestCluster } from "../../test/testenv/vitest.js";
import { API_VERSION, LABEL_FINGERPRINT } from "../api/index.js";
import { createLogger } from "../telemetry/logger.js";
import { createKubeClients, RequestCounter, type KubeClients } from "./clients.js";
import { EventRecorder } from "./events.js";
import { IncidentOpened } from "./event-reasons.js";
import { Informer } from "./informer.js";
import { LeaderElector } from "./leader.js";
import { CustomObjectStore } from "./status.js";

const logger = createLogger({ level: process.env.PF_TEST_LOG_LEVEL ?? "silent" });
const fastBackoff = { initialMs: 100, maxMs: 2000 };

async function eventually(cond: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`never happened: ${what}`);
}

async function namespace(clients: KubeClients, name: string): Promise<void> {
  await clients.core.createNamespace({ body: { metadata: { name } } });
}

function pod(ns: string, name: string): V1Pod {
  return { metadata: { name, namespace: ns, labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "registry.example/web:1.0" }] } };
}

const names = (objs: KubernetesObject[]): string[] => objs.map((o) => o.metadata?.name ?? "").sort();

describe("Kubernetes layer against the control plane", () => {
  const env = useTestCluster();

  it("informer lists, then sees adds, updates and deletes; requests are counted", async () => {
    const counter = new RequestCounter();
    const clients = createKubeClients(env().kubeConfig, { requestCounter: counter });
    await namespace(clients, "inf");
    for (const n of ["a", "b"]) await clients.core.createNamespacedPod({ namespace: "inf", body: pod("inf", n) });
    const informer = new Informer<V1Pod>({ kubeConfig: env().kubeConfig, path: "/api/v1/namespaces/inf/pods", logger, backoff: fastBackoff, requestCounter: counter });
    const seen: string[] = [];
    informer.on("add", (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on("update", (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on("delete", (p) => seen.push(`delete ${p.metadata?.name}`));
    informer.start();
    try {
      await informer.synced();
      expect(names(informer.list())).toEqual(["a", "b"]);
      expect(informer.get("inf", "a")?.metadata?.managedFields).toBeUndefined();
      await clients.core.createNamespacedPod({ namespace: "inf", body: pod("inf", "c") });
      await clients.core.patchNamespacedPod({ namespace: "inf", name: "a", body: [{ op: "add", path: "/metadata/labels/tier", value: "front" }] });
      await clients.core.deleteNamespacedPod({ namespace: "inf", name: "b", gracePeriodSeconds: 0 });
      await eventually(() => seen.includes("delete b") && seen.includes("update a") && seen.includes("add c"), "add c, update a, delete b");
      expect(informer.get("inf", "a")?.metadata?.labels?.tier).toBe("front");
      expect(informer.get("inf", "b")).toBeUndefined();
      const snapshot = counter.snapshot();
      expect(snapshot["list pods"]).toBe(1);
      expect(snapshot["watch pods"]).toBeGreaterThanOrEqual(1);
      expect(snapshot["create pods"]).toBe(3);
      expect(snapshot["patch pods"]).toBe(1);
    } finally {
      await informer.stop();
    }
  });

  it("informer reconnects after the apiserver restarts and converges", async () => {
    const clients = createKubeClients(env().kubeConfig);
    await namespace(clients, "restart");
    for (const n of ["keep", "gone"]) await clients.core.createNamespacedPod({ namespace: "restart", body: pod("restart", n) });
    let restarts = 0;
    const informer = new Informer<V1Pod>({ kubeConfig: env().kubeConfig, path: "/api/v1/namespaces/restart/pods", logger, backoff: fastBackoff, onRestart: () => restarts++ });
    informer.start();
    try {
      await informer.synced();
      await env().stopApiServer();
      await eventually(() => restarts > 0, "the informer noticed the apiserver went away");
      await env().startApiServer();
      // Changes made before the informer is back must all arrive.
      await clients.core.createNamespacedPod({ namespace: "restart", body: pod("restart", "new") });
      await clients.core.deleteNamespacedPod({ namespace: "restart", name: "gone", gracePeriodSeconds: 0 });
      await eventually(() => names(informer.list()).join() === "keep,new", "cache holds keep and new only");
    } finally {
      await informer.stop();
    }
  });

  it("only one of two electors leads; the other takes over when the lease expires", async () => {
    const clients = createKubeClients(env().kubeConfig);
    await namespace(clients, "lease-expiry");
    const make = (identity: string): LeaderElector =>
      new LeaderElector({
        clients, namespace: "lease-expiry", name: "pf", identity, logger,
        leaseDurationSeconds: 2, renewDeadlineSeconds: 1.5, retryPeriodSeconds: 0.25,
        onStartedLeading: () => undefined, onStoppedLeading: () => undefined,
      });
    const a = make("a");
    const b = make("b");
    const runs = [a.run(), b.run()];
    await eventually(() => a.isLeader() || b.isLeader(), "someone leads");
    for (let i = 0; i < 10; i++) {
      expect(Number(a.isLeader()) + Number(b.isLeader())).toBe(1);
      await sleep(200);
    }
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop({ release: false });
    await eventually(() => follower.isLeader(), "the follower took over after expiry");
    const lease = await clients.coordination.readNamespacedLease({ namespace: "lease-expiry", name: "pf" });
    expect(lease.spec?.holderIdentity).toBe(follower === a ? "a" : "b");
    expect(lease.spec?.leaseTransitions).toBe(1);
    await follower.stop();
    await Promise.all(runs);
  });

  it("a graceful stop releases the lease at once", async () => {
    const clients = createKubeClients(env().kubeConfig);
    await namespace(clients, "lease-release");
    let bStarted = 0;
    const make = (identity: string, onStartedLeading = (): void => undefined): LeaderElector =>
      new LeaderElector({
        clients, namespace: "lease-release", name: "pf", identity, logger,
        leaseDurationSeconds: 300, renewDeadlineSeconds: 10, retryPeriodSeconds: 0.25,
        onStartedLeading, onStoppedLeading: () => undefined,
      });
    const a = make("a");
    const runA = a.run();
    await eventually(() => a.isLeader(), "a leads");
    const b = make("b", () => bStarted++);
    const runB = b.run();
    await sleep(500);
    expect(b.isLeader()).toBe(false);
    await a.stop();
    expect(a.isLeader()).toBe(false);
    const released = await clients.coordination.readNamespacedLease({ namespace: "lease-release", name: "pf" });
    expect([undefined, "b"]).toContain(released.spec?.holderIdentity);
    // With a 300 s lease, b can only lead now because a released it.
    await eventually(() => b.isLeader(), "b leads after the release");
    expect(bStarted).toBe(1);
    await b.stop();
    await Promise.all([runA, runB]);
  });

  it("two status writers with conflicts both land", async () => {
    const clients = createKubeClients(env().kubeConfig);
    const other = createKubeClients(env().kubeConfig);
    await namespace(clients, "status");
    type Incident = KubernetesObject & { spec: Record<string, unknown>; status?: { occurrences?: number; affectedPods?: { name: string }[] } };
    const one = new CustomObjectStore<Incident>({ clients, plural: "productionincidents" });
    const two = new CustomObjectStore<Incident>({ clients: other, plural: "productionincidents" });
    await one.create("status", {
      apiVersion: API_VERSION, kind: "ProductionIncident",
      metadata: { name: "web-crash", namespace: "status", labels: { [LABEL_FINGERPRINT]: "abc" } },
      spec: { target: { kind: "Deployment", namespace: "status", name: "web" }, trigger: { source: "PodFailure", reason: "CrashLoopBackOff" }, fingerprint: "abc" },
    });
    const bump = (writer: string) => (cur: Incident): Incident => {
      const status = cur.status ?? {};
      return { ...cur, status: { ...status, occurrences: (status.occurrences ?? 0) + 1, affectedPods: [...(status.affectedPods ?? []), { name: writer }].slice(-20) } };
    };
    const writer = async (store: CustomObjectStore<Incident>, id: string): Promise<void> => {
      for (let i = 0; i < 5; i++) await store.updateStatus("status", "web-crash", bump(`${id}-${i}`), 20);
    };
    await Promise.all([writer(one, "one"), writer(two, "two")]);
    const final = await one.get("status", "web-crash");
    expect(final?.status?.occurrences).toBe(10);
    expect(final?.status?.affectedPods).toHaveLength(10);
    expect(await one.updateStatus("status", "web-crash", () => undefined)).toBeUndefined();
    expect(names(await one.list(undefined, `${LABEL_FINGERPRINT}=abc`))).toEqual(["web-crash"]);
    expect(await one.get("status", "missing")).toBeUndefined();
    await expect(one.updateStatus("status", "missing", (c) => c)).rejects.toThrow("no longer exists");
    await one.delete("status", "web-crash");
    await one.delete("status", "web-crash");
    expect(await one.get("status", "web-crash")).toBeUndefined();
  });

  it("records events.k8s.io Events and deduplicates repeats into a series", async () => {
    const counter = new RequestCounter();
    const clients = createKubeClients(env().kubeConfig, { requestCounter: counter });
    await namespace(clients, "events");
    const created = await clients.core.createNamespacedPod({ namespace: "events", body: pod("events", "web-1") });
    const recorder = new EventRecorder({ clients, component: "productionfixer.io/production-fixer", instance: "pf-0", logger });
    const regarding = { apiVersion: "v1", kind: "Pod", namespace: "events", name: "web-1", uid: created.metadata?.uid };
    const related = { apiVersion: API_VERSION, kind: "ProductionIncident", namespace: "events", name: "web-crash" };
    await Promise.all([1, 2, 3].map(() => recorder.record(regarding, "Warning", IncidentOpened, "Incident web-crash opened: CrashLoopBackOff", related)));
    await recorder.record(regarding, "Warning", IncidentOpened, "Incident web-oom opened: OOMKilled");
    const list = await clients.events.listNamespacedEvent({ namespace: "events" });
    const ours = list.items.filter((e) => e.reportingController === "productionfixer.io/production-fixer");
    expect(ours).toHaveLength(2);
    const crash = ours.find((e) => e.note?.includes("web-crash"));
    expect(crash?.series?.count).toBe(3);
    expect(crash?.reason).toBe(IncidentOpened);
    expect(crash?.regarding?.uid).toBe(created.metadata?.uid);
    expect(crash?.related?.name).toBe("web-crash");
    expect(crash?.reportingInstance).toBe("pf-0");
    expect(recorder.errors()).toBe(0);
    expect(counter.snapshot()["create events"]).toBe(2);
    expect(counter.snapshot()["patch events"]).toBe(2);
    // Never throws: an invalid namespace is logged and counted.
    await recorder.record({ kind: "Pod", namespace: "no-such-namespace", name: "x" }, "Normal", IncidentOpened, "x");
    expect(recorder.errors()).toBe(1);
  });
});

describe("informer relist after 410 Gone", () => {
  // Without the watch cache, watches read etcd directly; compaction every second
  // makes an old resourceVersion expire quickly.
  const env = useTestCluster({ crdDir: null, extraFlags: ["--watch-cache=false", "--etcd-compaction-interval=1s"] });

  it("relists when its resourceVersion was compacted away and converges", async () => {
    const clients = createKubeClients(env().kubeConfig);
    await namespace(clients, "gone");
    for (const n of ["a", "b"]) await clients.core.createNamespacedPod({ namespace: "gone", body: pod("gone", n) });
    const reasons: string[] = [];
    const informer = new Informer<V1Pod>({ kubeConfig: env().kubeConfig, path: "/api/v1/namespaces/gone/pods", logger, backoff: fastBackoff, onRestart: (_r, reason) => reasons.push(reason) });
    const deleted: string[] = [];
    informer.on("delete", (p) => deleted.push(p.metadata?.name ?? ""));
    informer.start();
    await informer.synced();
    await informer.stop();
    // While it is stopped: changes, and enough writes for compaction to pass its resourceVersion.
    await clients.core.deleteNamespacedPod({ namespace: "gone", name: "b", gracePeriodSeconds: 0 });
    await clients.core.createNamespacedPod({ namespace: "gone", body: pod("gone", "c") });
    for (let i = 0; i < 4; i++) {
      await clients.core.createNamespacedConfigMap({ namespace: "gone", body: { metadata: { name: `tick-${i}` } } });
      await sleep(1000);
    }
    informer.start();
    try {
      await eventually(() => reasons.includes("gone"), "a 410 Gone");
      await eventually(() => names(informer.list()).join() === "a,c", "cache holds a and c after the relist");
      expect(deleted).toEqual(["b"]);
    } finally {
      await informer.stop();
    }
  });
});
