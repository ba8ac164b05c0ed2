// values.schema.json (and the chart's cross-field checks) reject bad values at
// `helm template` / `helm install` time, naming the value and what is wrong.
import { describe, expect, it } from "vitest";
import { CHART_DIR, helm, type Values } from "./helm.js";

const BAD: [string, Values, string][] = [
  ["negative replicas", { replicaCount: -1 }, "at '/replicaCount': minimum: got -1, want 0"],
  ["replicas as a string", { replicaCount: "two" }, "at '/replicaCount': got string, want integer"],
  ["an unknown rbac.scope", { rbac: { scope: "everything" } }, "at '/rbac/scope': value must be one of 'cluster', 'namespaces'"],
  ["a numeric image tag", { image: { tag: 1.2 } }, "at '/image/tag': got number, want string"],
  ["an unknown top-level key", { replicas: 2 }, "additional properties 'replicas' not allowed"],
  ["a plain-text API key", { anthropic: { apiKey: "sk-ant-123" } }, "at '/anthropic': additional properties 'apiKey' not allowed"],
  ["a plain-text API key in extraEnv", { extraEnv: [{ name: "ANTHROPIC_API_KEY", value: "sk-ant-123" }] }, "at '/extraEnv/0': missing property 'valueFrom'"],
  ["a namespace that is not a DNS label", { watchNamespaces: ["Team_A"] }, "at '/watchNamespaces/0'"],
  ["a bad log level", { logLevel: "verbose" }, "at '/logLevel': value must be one of"],
  ["a port out of range", { ports: { server: 70000, webhook: 8081 } }, "at '/ports/server': maximum: got 70,000, want 65,535"],
  ["a Prometheus URL without scheme", { prometheus: { url: "prometheus:9090" } }, "at '/prometheus/url'"],
  ["a bad scrape interval", { metrics: { serviceMonitor: { enabled: true, interval: "often" } } }, "at '/metrics/serviceMonitor/interval'"],
  ["a negative budget", { budget: { costPerDayUSD: -5 } }, "at '/budget/costPerDayUSD': minimum: got -5, want 0"],
];

const BAD_COMBINATIONS: [string, Values, string][] = [
  ["namespace scope without namespaces", { rbac: { scope: "namespaces" } }, 'rbac.scope "namespaces" needs the namespaces to watch in watchNamespaces'],
  ["several replicas without leader election", { leaderElection: { enabled: false } }, "replicaCount is 2 but leaderElection.enabled is false"],
  ["no ServiceAccount and no name", { serviceAccount: { create: false } }, "serviceAccount.name is required when serviceAccount.create is false"],
];

describe("values.schema.json", () => {
  it.each(BAD)("rejects %s", async (_what, values, message) => {
    const res = await helm(["template", "production-fixer", CHART_DIR], values);
    expect(res.ok).toBe(false);
    expect(res.stderr).toContain("values don't meet the specifications of the schema");
    expect(res.stderr).toContain(message);
  });

  it.each(BAD_COMBINATIONS)("rejects %s with a message that says what to do", async (_what, values, message) => {
    const res = await helm(["template", "production-fixer", CHART_DIR], values);
    expect(res.ok).toBe(false);
    expect(res.stderr).toContain(message);
  });

  it("fails helm install the same way, before anything reaches a cluster", async () => {
    const res = await helm(["install", "production-fixer", CHART_DIR, "--dry-run=client"], { replicaCount: -1 });
    expect(res.ok).toBe(false);
    expect(res.stderr).toContain("at '/replicaCount': minimum: got -1, want 0");
  });

  it("accepts a single replica without leader election and a percentage PDB", async () => {
    const res = await helm(["template", "production-fixer", CHART_DIR], { replicaCount: 1, leaderElection: { enabled: false }, podDisruptionBudget: { minAvailable: "50%" } });
    expect(res.stderr).toBe("");
    expect(res.ok).toBe(true);
  });
});
