// The chart's RBAC in force on the real apiserver: the ServiceAccount's token can do
// what the operator needs, and the apiserver refuses the rest. Run from cluster.test.ts.
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
} from "@kubernetes/client-node";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestCluster } from "../testenv/cluster.js";
import { kubectl, type KubectlResult } from "./kubectl.js";
import { CLUSTER_ACCESS, NAMESPACED_ACCESS, type Access } from "./permissions.js";
import { serviceAccountKubeConfig, splitSubresource } from "./rbac.js";
import { NAMESPACED } from "./value-sets.js";

const GROUP = "productionfixer.io";
const VERSION = "v1alpha1";
const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/** kubectl with the given KubeConfig (written to the cluster's temp dir). */
async function kubectlAs(cluster: TestCluster, kc: KubeConfig, args: string[]): Promise<KubectlResult> {
  const path = cluster.writeKubeconfig(join(cluster.dir, `kubeconfig-${kc.getCurrentUser()?.name.replace(/[^a-z0-9-]/gi, "_")}`), kc);
  return kubectl(path, args);
}

/** events.k8s.io wants MicroTime (6 fractional digits); the client would send milliseconds. */
function microTime(): Date {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z") as unknown as Date;
}

/** The HTTP status of a failed call, or 200 when it succeeds. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (typeof code !== "number") throw err;
    return code;
  }
}

async function allowed(kc: KubeConfig, attrs: { namespace?: string; group: string; resource: string; verb: string; name?: string }): Promise<boolean> {
  const res = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: splitSubresource(attrs) } } });
  return res.status?.allowed === true;
}

function incident(namespace: string, name: string): object {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "ProductionIncident",
    metadata: { name, namespace },
    spec: { target: { kind: "Deployment", namespace, name: "web" }, trigger: { source: "PodFailure", reason: "CrashLoopBackOff" }, fingerprint: `${namespace}/web/app/CrashLoopBackOff` },
  };
}

async function createPod(admin: KubeConfig, namespace: string, name: string): Promise<void> {
  await admin.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: { metadata: { name }, spec: { containers: [{ name: "app", image: "busybox" }] } } });
}

export function describeClusterScopeRbac(env: () => TestCluster): void {
  describe("RBAC, scope cluster, as the chart's ServiceAccount", () => {
    let kc: KubeConfig;
    beforeAll(async () => {
      kc = await serviceAccountKubeConfig(env());
      await createPod(env().kubeConfig, "default", "web-1");
    });

    it("lists pods in all namespaces and reads pod logs", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const pods = await core.listPodForAllNamespaces();
      expect(pods.items.map((p) => p.metadata?.name)).toContain("web-1");
      // Whether or not a kubelet serves this pod's log, the apiserver authorizes the
      // request first: "forbidden" would mean the role lacks pods/log.
      const logs = await kubectlAs(env(), kc, ["logs", "-n", "default", "web-1"]);
      expect(logs.stderr).not.toMatch(/forbidden/i);
    });

    it("creates and patches Events in both API groups", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const involvedObject = { kind: "Pod", namespace: "default", name: "web-1", apiVersion: "v1" };
      const ev = await core.createNamespacedEvent({ namespace: "default", body: { metadata: { generateName: "web-1." }, involvedObject, reason: "IncidentDiagnosed", message: "m", type: "Warning" } });
      await core.patchNamespacedEvent({ namespace: "default", name: ev.metadata!.name!, body: [{ op: "add", path: "/count", value: 2 }] });
      const events = kc.makeApiClient(EventsV1Api);
      const ev2 = await events.createNamespacedEvent({
        namespace: "default",
        body: { metadata: { name: "web-1.diagnosed" }, regarding: involvedObject, reason: "IncidentDiagnosed", action: "Diagnose", note: "n", type: "Warning", reportingController: "productionfixer.io/operator", reportingInstance: "pf-0", eventTime: microTime() },
      });
      expect(ev2.metadata?.name).toBeTruthy();
    });

    it("creates, patches and deletes ProductionIncidents and writes their status", async () => {
      const crs = kc.makeApiClient(CustomObjectsApi);
      const base = { group: GROUP, version: VERSION, namespace: "default", plural: "productionincidents" };
      await crs.createNamespacedCustomObject({ ...base, body: incident("default", "web-crash") });
      await crs.patchNamespacedCustomObject({ ...base, name: "web-crash", body: [{ op: "add", path: "/metadata/labels", value: { a: "b" } }] });
      await crs.patchNamespacedCustomObjectStatus({ ...base, name: "web-crash", body: [{ op: "add", path: "/status", value: { phase: "Investigating", occurrences: 3 } }] });
      const got = (await crs.getNamespacedCustomObjectStatus({ ...base, name: "web-crash" })) as { status?: { phase?: string } };
      expect(got.status?.phase).toBe("Investigating");
      await crs.deleteNamespacedCustomObject({ ...base, name: "web-crash" });
    });

    it("creates, gets and updates its own Lease, and no other", async () => {
      const leases = kc.makeApiClient(CoordinationV1Api);
      const namespace = "production-fixer";
      const lease = await leases.createNamespacedLease({ namespace, body: { metadata: { name: "production-fixer" }, spec: { holderIdentity: "pf-0", leaseDurationSeconds: 15 } } });
      const current = await leases.readNamespacedLease({ namespace, name: "production-fixer" });
      await leases.replaceNamespacedLease({ namespace, name: "production-fixer", body: { ...current, spec: { ...current.spec, holderIdentity: "pf-1" } } });
      expect(lease.metadata?.name).toBe("production-fixer");
      expect(await statusOf(() => leases.readNamespacedLease({ namespace: "kube-system", name: "kube-controller-manager" }))).toBe(403);
      expect(await statusOf(() => leases.readNamespacedLease({ namespace, name: "someone-elses-lease" }))).toBe(403);
      expect(await statusOf(() => leases.deleteNamespacedLease({ namespace, name: "production-fixer" }))).toBe(403);
    });

    it("is refused Secrets, deleting pods and changing workloads", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      expect(await statusOf(() => core.readNamespacedSecret({ namespace: "default", name: "anything" }))).toBe(403);
      expect(await statusOf(() => core.listSecretForAllNamespaces())).toBe(403);
      expect(await statusOf(() => core.deleteNamespacedPod({ namespace: "default", name: "web-1" }))).toBe(403);
      expect(await statusOf(() => apps.patchNamespacedDeployment({ namespace: "default", name: "web", body: [{ op: "replace", path: "/spec/replicas", value: 0 }] }))).toBe(403);
      expect(await statusOf(() => core.createNamespacedPod({ namespace: "default", body: { metadata: { name: "x" }, spec: { containers: [{ name: "x", image: "x" }] } } }))).toBe(403);
      expect(await statusOf(() => core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "x" } } }))).toBe(403);
    });

    it("the apiserver allows exactly the access of permissions.ts and no other verb on those resources", async () => {
      const mismatches = await accessMismatches(kc, CLUSTER_ACCESS, "default");
      expect(mismatches).toEqual([]);
      for (const verb of ALL_VERBS) expect(await allowed(kc, { namespace: "default", group: "", resource: "secrets", verb }), `secrets ${verb}`).toBe(false);
    });
  });
}

/** Every verb on every listed resource, asked of the apiserver; returns what differs from the list. */
async function accessMismatches(kc: KubeConfig, access: Access[], namespace: string): Promise<string[]> {
  const out: string[] = [];
  for (const a of access) {
    for (const verb of ALL_VERBS) {
      const expected = a.verbs.includes(verb);
      const actual = await allowed(kc, { namespace, group: a.group, resource: a.resource, verb });
      if (actual !== expected) out.push(`${a.group}/${a.resource} ${verb}: expected ${expected ? "allowed" : "denied"}`);
    }
  }
  return out;
}

export function describeNamespaceScopeRbac(env: () => TestCluster): void {
  describe("RBAC, scope namespaces (team-a, team-b), as the chart's ServiceAccount", () => {
    let kc: KubeConfig;
    beforeAll(async () => {
      kc = await serviceAccountKubeConfig(env(), { release: "pf-scoped", namespace: "pf-scoped", values: NAMESPACED });
      const core = env().kubeConfig.makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: "team-c" } } });
      for (const ns of ["team-a", "team-c"]) await createPod(env().kubeConfig, ns, "api-1");
    });

    it("sees pods in the listed namespaces", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const pods = await core.listNamespacedPod({ namespace: "team-a" });
      expect(pods.items.map((p) => p.metadata?.name)).toEqual(["api-1"]);
      expect((await core.listNamespacedPod({ namespace: "team-b" })).items).toEqual([]);
      expect(await accessMismatches(kc, NAMESPACED_ACCESS, "team-b")).toEqual([]);
    });

    it("is refused pods in namespaces outside the list, and across all namespaces", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      expect(await statusOf(() => core.listNamespacedPod({ namespace: "team-c" }))).toBe(403);
      expect(await statusOf(() => core.readNamespacedPod({ namespace: "team-c", name: "api-1" }))).toBe(403);
      expect((await kubectlAs(env(), kc, ["logs", "-n", "team-c", "api-1"])).stderr).toMatch(/forbidden/i);
      expect(await statusOf(() => core.listPodForAllNamespaces())).toBe(403);
      expect(await statusOf(() => core.listNamespace())).toBe(403);
      const crs = kc.makeApiClient(CustomObjectsApi);
      expect(await statusOf(() => crs.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: "team-c", plural: "productionincidents", body: incident("team-c", "x") }))).toBe(403);
      expect(await allowed(kc, { namespace: "team-a", group: "", resource: "secrets", verb: "get" })).toBe(false);
    });

    it("reads nodes and storage classes only through the opt-in ClusterRole (rbac.clusterResources)", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      expect(await statusOf(() => core.listNode())).toBe(200);
      expect(await allowed(kc, { group: "storage.k8s.io", resource: "storageclasses", verb: "list" })).toBe(true);
      expect(await allowed(kc, { group: "", resource: "nodes", verb: "patch" })).toBe(false);
    });
  });
}
