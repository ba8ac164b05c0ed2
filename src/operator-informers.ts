// The informers the operator keeps warm (leader or not): pods and ProductionIncidents,
// in all namespaces or one informer per configured namespace, behind one cache each.
import type { KubeConfig, KubernetesObject, V1Pod } from "@kubernetes/client-node";
import { GROUP, VERSION } from "./api/common.js";
import type { ProductionIncident } from "./api/incident.js";
import type { Config } from "./config.js";
import { fingerprintIndex, INDEX_FINGERPRINT } from "./incidents/correlate.js";
import type { Cache } from "./incidents/ports.js";
import { INDEX_WORKLOAD, workloadIndex } from "./incidents/resolver.js";
import { Informer } from "./kube/informer.js";
import type { RequestCounter } from "./kube/request-counter.js";
import { slimPod } from "./kube/transform.js";
import type { Logger } from "./telemetry/logger.js";
import type { Metrics } from "./telemetry/metrics.js";

export interface CacheSubscriber {
  podChanged(pod: V1Pod): void;
  podDeleted(pod: V1Pod): void;
  incidentChanged(incident: ProductionIncident): void;
  incidentDeleted(incident: ProductionIncident): void;
}

export interface WatchedCaches {
  pods: Cache<V1Pod>;
  incidents: Cache<ProductionIncident>;
  subscribe(s: CacheSubscriber): void;
  start(): void;
  synced(): Promise<void>;
  hasSynced(): boolean;
  stop(): Promise<void>;
}

export interface WatchedCachesInput {
  config: Config;
  kubeConfig: KubeConfig;
  logger: Logger;
  requestCounter: RequestCounter;
  metrics: Metrics;
}

type Incident = ProductionIncident & KubernetesObject;

/** Namespaces to watch one by one, or undefined for all (minus the excluded ones, by field selector). */
export function namespacePlan(config: Pick<Config, "namespaces" | "excludeNamespaces">): { namespaces?: string[]; fieldSelector?: string } {
  const excluded = new Set(config.excludeNamespaces);
  if (config.namespaces.length > 0) return { namespaces: config.namespaces.filter((n) => !excluded.has(n)) };
  const fieldSelector = config.excludeNamespaces.map((n) => `metadata.namespace!=${n}`).join(",");
  return fieldSelector ? { fieldSelector } : {};
}

export function watchedCaches(input: WatchedCachesInput): WatchedCaches {
  const plan = namespacePlan(input.config);
  const scopes = plan.namespaces ?? [undefined];
  const common = { kubeConfig: input.kubeConfig, logger: input.logger, requestCounter: input.requestCounter, onRestart: (resource: string) => input.metrics.informerRestarts.inc({ resource }) };
  const pods = scopes.map((ns) => {
    const inf = new Informer<V1Pod>({
      ...common,
      path: ns ? `/api/v1/namespaces/${ns}/pods` : "/api/v1/pods",
      ...(input.config.labelSelector ? { labelSelector: input.config.labelSelector } : {}),
      ...(plan.fieldSelector ? { fieldSelector: plan.fieldSelector } : {}),
      transform: slimPod,
    });
    inf.addIndex(INDEX_WORKLOAD, workloadIndex);
    return inf;
  });
  const incidents = scopes.map((ns) => {
    const base = `/apis/${GROUP}/${VERSION}`;
    const inf = new Informer<Incident>({
      ...common,
      path: ns ? `${base}/namespaces/${ns}/productionincidents` : `${base}/productionincidents`,
      ...(plan.fieldSelector ? { fieldSelector: plan.fieldSelector } : {}),
    });
    inf.addIndex(INDEX_FINGERPRINT, fingerprintIndex);
    return inf;
  });
  const all = [...pods, ...incidents] as Informer<KubernetesObject>[];
  return {
    pods: union(pods, plan.namespaces),
    incidents: union(incidents, plan.namespaces),
    subscribe: (s) => {
      for (const inf of pods) {
        inf.on("add", (p) => s.podChanged(p));
        inf.on("update", (p) => s.podChanged(p));
        inf.on("delete", (p) => s.podDeleted(p));
      }
      for (const inf of incidents) {
        inf.on("add", (i) => s.incidentChanged(i));
        inf.on("update", (i) => s.incidentChanged(i));
        inf.on("delete", (i) => s.incidentDeleted(i));
      }
    },
    start: () => all.forEach((i) => i.start()),
    synced: async () => {
      await Promise.all(all.map((i) => i.synced()));
    },
    hasSynced: () => all.every((i) => i.hasSynced()),
    stop: async () => {
      await Promise.all(all.map((i) => i.stop()));
    },
  };
}

/** One cache over several informers (one per namespace, or a single one for all). */
function union<T extends KubernetesObject>(informers: Informer<T>[], namespaces: string[] | undefined): Cache<T> {
  const forNamespace = (ns: string | undefined): Informer<T> | undefined => (namespaces && ns ? informers[namespaces.indexOf(ns)] : informers[0]);
  return {
    get: (ns, name) => forNamespace(ns)?.get(ns, name),
    list: (ns) => (ns === undefined ? informers.flatMap((i) => i.list()) : (forNamespace(ns)?.list(ns) ?? [])),
    byIndex: (index, value) => informers.flatMap((i) => i.byIndex(index, value)),
  };
}
