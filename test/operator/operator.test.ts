import { describe, expect, it } from "vitest";
import { useTestCluster } from "../testenv/vitest.js";
import { markDeploymentReady } from "../testenv/workloads.js";
import { deployment, listIncidents, prepare, ref, start, waitFor, waitForIncidents, type Env } from "./harness.js";
import type { OperatorEvent } from "../../src/operator.js";

const cluster = useTestCluster();
let env: Env | undefined;
const E = async (): Promise<Env> => (env ??= await prepare(cluster()));

describe("the operator against a real control plane", () => {
  it("turns a crash-looping pod into a diagnosed incident with Events on the pod", async () => {
    const e = await E();
    const events: OperatorEvent[] = [];
    const op = await start({ kubeConfig: e.cluster.kubeConfig, events });
    try {
      const chain = await deployment(e, { namespace: "shop", name: "web" });
      const pod = chain.pods[0]!;
      await e.pods.running(ref(pod));
      e.kubelet.setLog({ ...ref(pod), pod: ref(pod).name, container: "app", previous: true, text: "starting\nallocating cache\n" });
      await e.pods.oomKilled(ref(pod), { restartCount: 3 });
      const [incident] = await waitForIncidents(e, "shop", 1, "Diagnosed");
      expect(incident!.spec.target).toEqual({ kind: "Deployment", namespace: "shop", name: "web", container: "app" });
      expect(incident!.status?.diagnosis?.category).toBe("OutOfMemory");
      expect(incident!.status?.occurrences).toBe(1);
      expect(incident!.status?.conditions?.find((c) => c.type === "Investigated")?.status).toBe("True");
      const podEvents = await waitFor("Events on the pod", async () => {
        const list = await e.core.listNamespacedEvent({ namespace: "shop", fieldSelector: `involvedObject.name=${ref(pod).name}` });
        const reasons = list.items.map((x) => x.reason);
        return reasons.includes("IncidentOpened") && reasons.includes("Diagnosed") ? list.items : undefined;
      });
      expect(podEvents.find((x) => x.reason === "Diagnosed")?.message).toContain(incident!.metadata.name);
      expect(events.map((x) => x.type)).toEqual(expect.arrayContaining(["leading", "opened", "investigating", "diagnosed"]));
    } finally {
      await op.stop();
    }
  });

  it("makes one incident of 50 crashing replicas and two of two different failures", async () => {
    const e = await E();
    const op = await start({ kubeConfig: e.cluster.kubeConfig });
    try {
      const web = await deployment(e, { namespace: "storm", name: "web", replicas: 50 });
      const api = await deployment(e, { namespace: "storm", name: "api", image: "registry.example/api:does-not-exist" });
      await Promise.all(web.pods.map((p) => e.pods.crashLoop(ref(p), { exitCode: 1, restartCount: 2 })));
      await e.pods.imagePull(ref(api.pods[0]!));
      const incidents = await waitFor("two diagnosed incidents, 50 occurrences", async () => {
        const items = await listIncidents(e, "storm");
        const done = items.length === 2 && items.every((i) => i.status?.phase === "Diagnosed");
        return done && items.find((i) => i.spec.target.name === "web")?.status?.occurrences === 50 ? items : undefined;
      });
      const webIncident = incidents.find((i) => i.spec.target.name === "web")!;
      expect(webIncident.status?.affectedPods).toHaveLength(20);
      expect(incidents.find((i) => i.spec.target.name === "api")?.status?.diagnosis?.category).toBe("ImagePull");
    } finally {
      await op.stop();
    }
  });

  it("resolves when the workload recovers and reopens the same incident when the failure returns", async () => {
    const e = await E();
    const op = await start({ kubeConfig: e.cluster.kubeConfig });
    try {
      const chain = await deployment(e, { namespace: "recover", name: "web", replicas: 2 });
      for (const p of chain.pods) await e.pods.crashLoop(ref(p), { exitCode: 2, restartCount: 2 });
      const [first] = await waitForIncidents(e, "recover", 1, "Diagnosed");
      for (const p of chain.pods) await e.pods.running(ref(p));
      await markDeploymentReady(e.deps, { namespace: "recover", name: "web" });
      const [resolved] = await waitForIncidents(e, "recover", 1, "Resolved");
      expect(resolved!.status?.resolvedAt).toBeTruthy();
      expect(resolved!.status?.conditions?.find((c) => c.type === "Resolved")).toMatchObject({ status: "True", reason: "WorkloadHealthy" });

      await e.pods.crashLoop(ref(chain.pods[0]!), { exitCode: 2 });
      const [again] = await waitFor("the incident reopened and diagnosed", async () => {
        const items = await listIncidents(e, "recover");
        return items.length === 1 && items[0]!.status?.recurrences === 1 && items[0]!.status?.phase === "Diagnosed" ? items : undefined;
      });
      expect(again!.metadata.name).toBe(first!.metadata.name);
      expect(again!.metadata.uid).toBe(first!.metadata.uid);
    } finally {
      await op.stop();
    }
  });

  it("lets only the leader act, and the standby take over from a killed leader without duplicates", async () => {
    const e = await E();
    const a = await start({ kubeConfig: e.cluster.kubeConfig, identity: "replica-a" });
    await waitFor("replica-a leading", async () => a.isLeader());
    const b = await start({ kubeConfig: e.cluster.kubeConfig, identity: "replica-b" });
    try {
      expect(b.isLeader()).toBe(false);
      expect(b.controller.isRunning()).toBe(false);
      const one = await deployment(e, { namespace: "ha", name: "one" });
      await e.pods.crashLoop(ref(one.pods[0]!), { exitCode: 3, restartCount: 2 });
      await waitForIncidents(e, "ha", 1, "Diagnosed");
      expect(b.isLeader()).toBe(false);

      await a.stop({ release: false });
      await waitFor("replica-b leading", async () => b.isLeader(), 30_000);
      const two = await deployment(e, { namespace: "ha", name: "two" });
      await e.pods.crashLoop(ref(two.pods[0]!), { exitCode: 4, restartCount: 2 });
      await e.pods.crashLoop(ref(one.pods[0]!), { exitCode: 3, restartCount: 3 });
      const items = await waitForIncidents(e, "ha", 2, "Diagnosed");
      expect(items.map((i) => i.spec.target.name).sort()).toEqual(["one", "two"]);
    } finally {
      await a.stop({ release: false });
      await b.stop();
    }
  });

  it("recovers its watches when the apiserver restarts, losing and duplicating nothing", async () => {
    const e = await E();
    const op = await start({ kubeConfig: e.cluster.kubeConfig, config: undefined });
    try {
      const before = await deployment(e, { namespace: "restart", name: "before" });
      await e.pods.crashLoop(ref(before.pods[0]!), { exitCode: 5, restartCount: 2 });
      await waitForIncidents(e, "restart", 1, "Diagnosed");

      await e.cluster.stopApiServer();
      await new Promise((r) => setTimeout(r, 1500));
      await e.cluster.startApiServer();

      const after = await deployment(e, { namespace: "restart", name: "after" });
      await e.pods.crashLoop(ref(after.pods[0]!), { exitCode: 6, restartCount: 2 });
      await e.pods.crashLoop(ref(before.pods[0]!), { exitCode: 5, restartCount: 3 });
      const items = await waitForIncidents(e, "restart", 2, "Diagnosed");
      expect(items.map((i) => i.spec.target.name).sort()).toEqual(["after", "before"]);
    } finally {
      await op.stop();
    }
  });
});
