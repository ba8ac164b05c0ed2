// Value sets every packaging test renders: the defaults and each optional feature.
import type { Values } from "./helm.js";

export const NAMESPACED: Values = {
  rbac: { scope: "namespaces", clusterResources: true },
  watchNamespaces: ["team-a", "team-b"],
};

export const MONITORING: Values = {
  metrics: { serviceMonitor: { enabled: true, labels: { release: "prometheus" } }, prometheusRule: { enabled: true, alertLabels: { team: "platform" } } },
  dashboard: { enabled: true },
};

export const NETWORK_POLICY: Values = {
  networkPolicy: { enabled: true, apiServer: { cidrs: ["10.0.0.1/32"] }, ingress: { webhookFrom: [{ podSelector: { matchLabels: { app: "alertmanager" } } }] } },
  prometheus: { url: "http://prometheus-operated.monitoring:9090" },
  anthropic: { existingSecret: "production-fixer-anthropic" },
  webhook: { existingSecret: "production-fixer-webhook" },
};

export const VALUE_SETS: Record<string, Values> = {
  default: {},
  namespaced: NAMESPACED,
  monitoring: MONITORING,
  "network-policy": NETWORK_POLICY,
  everything: { ...NAMESPACED, ...MONITORING, ...NETWORK_POLICY, replicaCount: 3, image: { repository: "registry.example/pf", tag: "1.2.3" } },
};
