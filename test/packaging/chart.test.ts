// helm lint and helm template of charts/production-fixer, with the real helm.
import type { V1ConfigMap, V1Container, V1Deployment, V1NetworkPolicy, V1PodDisruptionBudget, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ENV } from "../../src/config.js";
import { CHART_DIR, helm, ofKind, one, renderChart } from "./helm.js";
import { MONITORING, NAMESPACED, NETWORK_POLICY, VALUE_SETS } from "./value-sets.js";

const METRICS = [
  "production_fixer_leader",
  "production_fixer_investigations_total",
  "production_fixer_budget_exhausted_total",
  "production_fixer_reconcile_total",
  "production_fixer_reconcile_time_seconds",
  "production_fixer_queue_depth",
  "production_fixer_incidents_opened_total",
  "production_fixer_incidents_resolved_total",
  "production_fixer_detection_latency_seconds",
  "production_fixer_llm_tokens_total",
  "production_fixer_llm_cost_usd_total",
  "production_fixer_kube_api_errors_total",
];

function container(objects: Awaited<ReturnType<typeof renderChart>>): V1Container {
  return one<V1Deployment>(objects, "Deployment").spec!.template.spec!.containers[0]!;
}

function env(c: V1Container): Map<string, NonNullable<V1Container["env"]>[number]> {
  return new Map((c.env ?? []).map((e) => [e.name, e]));
}

describe("helm lint", () => {
  it.each(Object.entries(VALUE_SETS))("passes with the %s values", async (_name, values) => {
    const res = await helm(["lint", CHART_DIR, "--strict"], values);
    expect(res.stderr + res.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(res.ok).toBe(true);
  });
});

describe("helm template with default values", () => {
  it("renders the operator's objects and nothing optional", async () => {
    const kinds = (await renderChart()).map((o) => `${o.kind}/${o.metadata?.name}`).sort();
    expect(kinds).toEqual([
      "ClusterRole/production-fixer",
      "ClusterRoleBinding/production-fixer",
      "Deployment/production-fixer",
      "PodDisruptionBudget/production-fixer",
      "Role/production-fixer-leader-election",
      "RoleBinding/production-fixer-leader-election",
      "Service/production-fixer",
      "ServiceAccount/production-fixer",
    ]);
  });

  it("runs 2 replicas with leader election, probes, limits and a locked-down security context", async () => {
    const objects = await renderChart();
    const deploy = one<V1Deployment>(objects, "Deployment");
    const pod = deploy.spec!.template.spec!;
    const c = container(objects);
    expect(deploy.spec!.replicas).toBe(2);
    expect(env(c).get("PF_LEADER_ELECTION")?.value).toBe("true");
    expect(c.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(c.ports?.find((p) => p.name === "metrics")?.containerPort).toBe(8080);
    expect(c.ports?.find((p) => p.name === "webhook")?.containerPort).toBe(8081);
    expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
    expect(pod.volumes?.find((v) => v.name === "tmp")?.emptyDir).toBeDefined();
    expect(pod.serviceAccountName).toBe("production-fixer");
    expect(c.image).toBe("ghcr.io/production-fixer/production-fixer:0.1.0");
  });

  it("passes identity and lease namespace through the downward API and no secret in plain text", async () => {
    const c = container(await renderChart({ anthropic: { existingSecret: "anth" }, webhook: { existingSecret: "wh", secretKey: "t" } }));
    const e = env(c);
    expect(e.get("PF_IDENTITY")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.name");
    expect(e.get("PF_LEASE_NAMESPACE")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.namespace");
    expect(e.get("POD_NAME")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.name");
    expect(e.get("PF_LEASE_NAME")?.value).toBe("production-fixer");
    expect(e.get("ANTHROPIC_API_KEY")).toEqual({ name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "anth", key: "api-key" } } });
    expect(e.get("PF_WEBHOOK_TOKEN")).toEqual({ name: "PF_WEBHOOK_TOKEN", valueFrom: { secretKeyRef: { name: "wh", key: "t" } } });
    expect(e.get("PF_NAMESPACES")?.value).toBe("");
    expect(e.get("PF_WEBHOOK_ALERT_NAMESPACE")?.value).toBe("production-fixer");
  });

  it("sets only variables the operator's config reads (src/config.ts ENV), besides the downward-API POD_*", async () => {
    const names = [...env(container(await renderChart(VALUE_SETS.everything!))).keys()];
    const unknown = names.filter((n) => !(n in ENV) && !n.startsWith("POD_"));
    expect(unknown).toEqual([]);
  });

  it("leaves the Anthropic key and webhook token out when no Secret is named (offline mode)", async () => {
    const e = env(container(await renderChart()));
    expect(e.has("ANTHROPIC_API_KEY")).toBe(false);
    expect(e.has("PF_WEBHOOK_TOKEN")).toBe(false);
  });

  it("exposes metrics and the webhook on the Service and keeps one pod through disruptions", async () => {
    const objects = await renderChart();
    const ports = one<V1Service>(objects, "Service").spec!.ports!.map((p) => [p.name, p.port]);
    expect(ports).toEqual([["metrics", 8080], ["webhook", 8081]]);
    expect(one<V1PodDisruptionBudget>(objects, "PodDisruptionBudget").spec!.minAvailable).toBe(1);
  });
});

describe("helm template with non-default values", () => {
  it("namespace-scoped mode: a Role per watched namespace, PF_NAMESPACES, no cluster-wide pod access", async () => {
    const objects = await renderChart(NAMESPACED);
    const roles = ofKind(objects, "Role").map((r) => `${r.metadata?.namespace}/${r.metadata?.name}`).sort();
    expect(roles).toEqual(["production-fixer/production-fixer-leader-election", "team-a/production-fixer", "team-b/production-fixer"]);
    expect(ofKind(objects, "RoleBinding")).toHaveLength(3);
    expect(ofKind(objects, "ClusterRole").map((r) => r.metadata?.name)).toEqual(["production-fixer-cluster-resources"]);
    const e = env(container(objects));
    expect(e.get("PF_NAMESPACES")?.value).toBe("team-a,team-b");
    expect(e.get("PF_WEBHOOK_ALERT_NAMESPACE")?.value).toBe("team-a");
  });

  it("namespace-scoped mode without clusterResources has no ClusterRole at all", async () => {
    const objects = await renderChart({ ...NAMESPACED, rbac: { scope: "namespaces", clusterResources: false } });
    expect(ofKind(objects, "ClusterRole")).toEqual([]);
    expect(ofKind(objects, "ClusterRoleBinding")).toEqual([]);
  });

  it("monitoring: ServiceMonitor on the metrics port, PrometheusRule alerts, dashboard over our metrics", async () => {
    const objects = await renderChart(MONITORING);
    const sm = one(objects, "ServiceMonitor") as unknown as { spec: { endpoints: { port: string; path: string }[] }; metadata: { labels: Record<string, string> } };
    expect(sm.spec.endpoints[0]).toMatchObject({ port: "metrics", path: "/metrics" });
    expect(sm.metadata.labels.release).toBe("prometheus");
    const rule = one(objects, "PrometheusRule") as unknown as { spec: { groups: { rules: { alert: string; expr: string; for?: string; labels: Record<string, string> }[] }[] } };
    const alerts = rule.spec.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(["ProductionFixerNoLeader", "ProductionFixerInvestigationsFailing", "ProductionFixerBudgetExhausted"]));
    const noLeader = alerts.find((a) => a.alert === "ProductionFixerNoLeader")!;
    expect(noLeader).toMatchObject({ for: "5m", labels: { severity: "critical", team: "platform" } });
    expect(noLeader.expr).toContain("production_fixer_leader");
    expect(alerts.find((a) => a.alert === "ProductionFixerInvestigationsFailing")!.expr).toContain('outcome="failed"');
    expect(alerts.find((a) => a.alert === "ProductionFixerBudgetExhausted")!.expr).toContain("production_fixer_budget_exhausted_total");
    for (const a of alerts) expect(metricsIn(a.expr).every((m) => METRICS.includes(m)), a.expr).toBe(true);

    const cm = one<V1ConfigMap>(objects, "ConfigMap", "production-fixer-dashboard");
    expect(cm.metadata?.labels?.grafana_dashboard).toBe("1");
    const dashboard = JSON.parse(cm.data!["production-fixer.json"]!) as { uid: string; panels: { targets?: { expr: string }[] }[] };
    expect(dashboard.uid).toBe("production-fixer");
    const used = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsIn(t.expr))));
    expect([...used].filter((m) => !METRICS.includes(m))).toEqual([]);
    expect(METRICS.filter((m) => !used.has(m))).toEqual([]);
  });

  it("network policy: egress to apiserver, DNS, Prometheus and the Anthropic API; ingress to 8080/8081", async () => {
    const np = one<V1NetworkPolicy>(await renderChart(NETWORK_POLICY), "NetworkPolicy");
    expect(np.spec!.policyTypes).toEqual(["Ingress", "Egress"]);
    const egressPorts = np.spec!.egress!.map((e) => (e.ports ?? []).map((p) => `${p.protocol}/${p.port}`).join(","));
    expect(egressPorts).toEqual(["TCP/443,TCP/6443", "UDP/53,TCP/53", "TCP/9090", "TCP/443"]);
    expect(np.spec!.egress![0]!.to).toEqual([{ ipBlock: { cidr: "10.0.0.1/32" } }]);
    expect(np.spec!.ingress!.map((i) => i.ports![0]!.port)).toEqual([8080, 8081]);
    expect((np.spec!.ingress![1] as { from?: unknown }).from).toEqual([{ podSelector: { matchLabels: { app: "alertmanager" } } }]);
  });

  it("network policy without Prometheus or an API key opens neither", async () => {
    const np = one<V1NetworkPolicy>(await renderChart({ networkPolicy: { enabled: true } }), "NetworkPolicy");
    expect(np.spec!.egress).toHaveLength(2);
  });

  it("NOTES.txt tells the user to list the incidents", async () => {
    const res = await helm(["install", "production-fixer", CHART_DIR, "--namespace", "production-fixer", "--dry-run=client"]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain("kubectl get productionincidents -A");
    expect(res.stdout).toContain("kubectl apply --server-side -f charts/production-fixer/crds/");
  });
});

/** Metric names in a PromQL expression, histogram suffixes folded into the base name. */
function metricsIn(expr: string): string[] {
  const names = expr.match(/production_fixer_[a-z_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, "")))];
}
