// Composition helpers for the operator: the ProductionAlert informers and
// controller, the Prometheus source of the live view, and the webhook from config.
import type { KubeConfig, KubernetesObject, V1Pod } from "@kubernetes/client-node";
import { GROUP, VERSION } from "../api/common.js";
import type { ProductionAlert } from "../api/alert.js";
import type { ProductionIncident } from "../api/incident.js";
import type { Config } from "../config.js";
import { PrometheusClient } from "../context/prometheus.js";
import type { ClusterView, MetricsSource } from "../context/view.js";
import type { Investigator } from "../diagnosis/types.js";
import type { Cache, IncidentApi } from "../incidents/ports.js";
import type { Timers } from "../incidents/timers.js";
import type { KubeClients } from "../kube/clients.js";
import { Informer } from "../kube/informer.js";
import type { RequestCounter } from "../kube/request-counter.js";
import { CustomObjectStore } from "../kube/status.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { KubeAlertWriter } from "./alert-writer.js";
import { AlertController } from "./alerts.js";
import { startWebhookServer, type WebhookServer } from "./webhook.js";

export type StoredAlert = ProductionAlert & KubernetesObject;

/** The Prometheus source for LiveView({ metrics }), when prometheus.url is set. */
export function prometheusSource(config: Pick<Config, "prometheus">, fetchFn?: typeof fetch): MetricsSource | undefined {
  const { url, timeoutSeconds } = config.prometheus;
  return url ? new PrometheusClient({ url, timeoutMs: timeoutSeconds * 1000, ...(fetchFn ? { fetch: fetchFn } : {}) }) : undefined;
}

/** Namespaces whose alerts are watched: the configured ones plus the webhook's fallback namespace; undefined for all. */
export function alertNamespaces(config: Pick<Config, "namespaces" | "excludeNamespaces" | "webhook">): string[] | undefined {
  if (config.namespaces.length === 0) return undefined;
  const excluded = new Set(config.excludeNamespaces);
  return [...new Set([...config.namespaces.filter((n) => !excluded.has(n)), config.webhook.alertNamespace])];
}

/** Whether the webhook may put an alert in a namespace (it must be one the alert informers watch). */
export function watchedBy(config: Pick<Config, "namespaces" | "excludeNamespaces" | "webhook">): (namespace: string) => boolean {
  const scopes = alertNamespaces(config);
  const excluded = new Set(config.excludeNamespaces);
  return (namespace) => (scopes ? scopes.includes(namespace) : !excluded.has(namespace));
}

export interface AlertWiringInput {
  config: Config;
  kubeConfig: KubeConfig;
  clients: KubeClients;
  incidents: Cache<ProductionIncident>;
  incidentApi: IncidentApi;
  pods?: Cache<V1Pod>;
  view: () => ClusterView;
  /** Set to investigate alert incidents in the alert controller; leave out when the incident controller does. */
  investigator?: Investigator;
  logger: Logger;
  metrics?: Metrics;
  requestCounter?: RequestCounter;
  timers?: Timers;
}

export interface AlertWiring {
  controller: AlertController;
  alerts: Cache<StoredAlert>;
  /** Starts the informers (handlers enqueue into the controller once it is started). */
  startInformers(): void;
  synced(): Promise<void>;
  /** Whether every alert informer has listed once (readiness). */
  hasSynced(): boolean;
  stop(): Promise<void>;
}

/** ProductionAlert informers (all namespaces, or the configured ones and the webhook's) and the controller over them. */
export function alertWiring(input: AlertWiringInput): AlertWiring {
  const { config } = input;
  const scopes = alertNamespaces(config) ?? [undefined];
  const base = `/apis/${GROUP}/${VERSION}`;
  const fieldSelector = config.namespaces.length === 0 ? config.excludeNamespaces.map((n) => `metadata.namespace!=${n}`).join(",") : "";
  const informers = scopes.map(
    (ns) =>
      new Informer<StoredAlert>({
        kubeConfig: input.kubeConfig,
        logger: input.logger,
        path: ns ? `${base}/namespaces/${ns}/productionalerts` : `${base}/productionalerts`,
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(input.requestCounter ? { requestCounter: input.requestCounter } : {}),
        onRestart: (resource) => input.metrics?.informerRestarts.inc({ resource }),
      }),
  );
  const alerts = unionCache(informers);
  const controller = new AlertController({
    alerts,
    alertStatus: new CustomObjectStore<StoredAlert>({ clients: input.clients, plural: "productionalerts" }),
    incidents: input.incidents,
    incidentApi: input.incidentApi,
    ...(input.pods ? { pods: input.pods } : {}),
    view: input.view,
    ...(input.investigator ? { investigator: input.investigator } : {}),
    logger: input.logger.child({ controller: "alerts" }),
    ...(input.metrics ? { metrics: input.metrics } : {}),
    ...(input.timers ? { timers: input.timers } : {}),
  });
  for (const inf of informers) {
    inf.on("add", (a) => controller.alertChanged(a));
    inf.on("update", (a) => controller.alertChanged(a));
    inf.on("delete", (a) => controller.alertDeleted(a));
  }
  return {
    controller,
    alerts,
    startInformers: () => informers.forEach((i) => i.start()),
    synced: async () => {
      await Promise.all(informers.map((i) => i.synced()));
    },
    hasSynced: () => informers.every((i) => i.hasSynced()),
    stop: async () => {
      await controller.stop();
      await Promise.all(informers.map((i) => i.stop()));
    },
  };
}

function unionCache<T extends KubernetesObject>(informers: Informer<T>[]): Cache<T> {
  return {
    get: (ns, name) => informers.map((i) => i.get(ns, name)).find((o) => o !== undefined),
    list: (ns) => informers.flatMap((i) => i.list(ns)),
    byIndex: (index, value) => informers.flatMap((i) => i.byIndex(index, value)),
  };
}

/** Starts the webhook when webhook.enabled, writing through the given clients. */
export async function webhookFromConfig(config: Config, deps: { clients: KubeClients; logger: Logger; metrics?: Metrics }): Promise<WebhookServer | undefined> {
  if (!config.webhook.enabled) return undefined;
  return startWebhookServer({
    port: config.webhook.port,
    ...(config.webhook.token ? { token: config.webhook.token } : {}),
    maxBodyBytes: config.webhook.maxBodyBytes,
    alerts: new KubeAlertWriter(deps.clients.custom),
    logger: deps.logger.child({ component: "webhook" }),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    alertNamespace: config.webhook.alertNamespace,
    isWatched: watchedBy(config),
  });
}
