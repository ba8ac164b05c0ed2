// Runs code under the chart's identity: renders the chart's ServiceAccount and RBAC,
// applies them to a test cluster, and returns a KubeConfig with a TokenRequest token
// of that ServiceAccount. A missing permission then fails the way it would in a real
// install: the apiserver answers 403.
//
//   const kc = await serviceAccountKubeConfig(env());                       // scope cluster
//   const kc = await serviceAccountKubeConfig(env(), { values: { rbac: { scope: "namespaces" }, watchNamespaces: ["shop"] } });
import { AuthorizationV1Api, CoreV1Api, type KubeConfig, type KubernetesObject, type V1PolicyRule } from "@kubernetes/client-node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestCluster } from "../testenv/cluster.js";
import { stringify } from "yaml";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE, renderChart, type Values } from "./helm.js";
import { kubectl } from "./kubectl.js";

export interface ServiceAccountKubeConfigOptions {
  /** Chart values (e.g. rbac.scope, watchNamespaces); the chart's defaults otherwise. */
  values?: Values;
  /** Helm release name; default "production-fixer". */
  release?: string;
  /** Release namespace (ServiceAccount, Lease); default "production-fixer". Created when absent. */
  namespace?: string;
}

export interface ChartIdentity {
  serviceAccount: { namespace: string; name: string };
  /** The ServiceAccount, Roles, ClusterRoles and bindings that were applied. */
  objects: KubernetesObject[];
}

const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);

/** Applies the chart's ServiceAccount and RBAC (rendered with opts.values) and waits until they are in force. */
export async function applyChartRbac(cluster: TestCluster, opts: ServiceAccountKubeConfigOptions = {}): Promise<ChartIdentity> {
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const rendered = await renderChart(opts.values ?? {}, { release: opts.release ?? DEFAULT_RELEASE, namespace });
  const objects = rendered.filter((o) => RBAC_KINDS.has(o.kind ?? ""));
  const sa = objects.find((o) => o.kind === "ServiceAccount");
  if (!sa?.metadata?.name) throw new Error("the chart rendered no ServiceAccount (serviceAccount.create must be true here)");
  const namespaces = new Set([namespace, ...objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n)]);
  for (const ns of namespaces) await ensureNamespace(cluster.kubeConfig, ns);
  await applyAsAdmin(cluster, objects);
  return { serviceAccount: { namespace, name: sa.metadata.name }, objects };
}

async function applyAsAdmin(cluster: TestCluster, objects: KubernetesObject[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pf-rbac-"));
  const file = join(dir, "rbac.yaml");
  writeFileSync(file, objects.map((o) => stringify(o)).join("---\n"));
  try {
    const res = await kubectl(cluster.kubeconfigPath, ["apply", "--server-side", "--force-conflicts", "-f", file]);
    if (!res.ok) throw new Error(`could not apply the chart's RBAC:\n${res.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function serviceAccountKubeConfig(cluster: TestCluster, opts: ServiceAccountKubeConfigOptions = {}): Promise<KubeConfig> {
  const { serviceAccount, objects } = await applyChartRbac(cluster, opts);
  const token = await cluster.serviceAccountToken(serviceAccount.namespace, serviceAccount.name);
  const kc = cluster.kubeConfigForToken(token, `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`);
  await waitUntilInForce(kc, objects);
  return kc;
}

async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw new Error(`could not create namespace ${name}`, { cause: err });
  }
}

/**
 * The RBAC authorizer reads roles through informers: a binding is in force a moment
 * after it is created. Waits until the first rule of every applied role is allowed.
 */
async function waitUntilInForce(kc: KubeConfig, objects: KubernetesObject[], timeoutMs = 30_000): Promise<void> {
  const api = kc.makeApiClient(AuthorizationV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const role of objects.filter((o) => o.kind === "Role" || o.kind === "ClusterRole")) {
    const rule = ((role as { rules?: V1PolicyRule[] }).rules ?? [])[0];
    if (!rule) continue;
    const attrs = { namespace: role.metadata?.namespace, group: rule.apiGroups?.[0], resource: rule.resources?.[0], verb: rule.verbs[0], name: rule.resourceNames?.[0] };
    for (;;) {
      const res = await api.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: splitSubresource(attrs) } } });
      if (res.status?.allowed) break;
      if (Date.now() > deadline) throw new Error(`the chart's ${role.kind} ${role.metadata?.name} is not in force after ${timeoutMs} ms (${JSON.stringify(attrs)})`);
      await sleep(50);
    }
  }
}

/** "pods/log" → resource "pods", subresource "log", as SubjectAccessReview wants them. */
export function splitSubresource<T extends { resource?: string }>(attrs: T): T & { subresource?: string } {
  const [resource, subresource] = (attrs.resource ?? "").split("/");
  return subresource ? { ...attrs, resource, subresource } : attrs;
}
