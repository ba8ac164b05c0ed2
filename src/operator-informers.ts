// The informers the operator keeps warm (leader or not): pods, ReplicaSets, Jobs and
// ProductionIncidents, in all namespaces or one informer per configured namespace,
// behind one cache each.
import type { KubeConfig, KubernetesObject, V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { GROUP, VERSION } from "./api/common.js";
import type { ProductionIncident } from "./api/incident.js";
import type { Config } from "./config.js";
import { fingerprintIndex, INDEX_FINGERPRINT } from "./incidents/correlate.js";
import type { Cache } from "./incidents/ports.js";
import { INDEX_WORKLOAD, workloadIndex } from "./incidents/resolver.js";
import { Informer } from "./kube/informer.js";
import type { RequestCounter } from "./kube/request-counter.js";
import { slimJob, slimPod, slimReplicaSet } from "./kube/transform.js";
import { INDEX_OWNER_WORKLOAD, ownerWorkloadIndex } from "./incidents/workload-health.js";
import type { Logger } from "./telemetry/logger.js";
import type { Metrics } from "./telemetry/metrics.js";

export interface CacheSubscriber {
  podChanged(pod: V1Pod): void;
  podDeleted(pod: V1Pod): void;
  incidentChanged(incident: ProductionIncident): void;
  incidentDeleted(incident: ProductionIncident): void;
  /** A ReplicaSet or Job added, changed or deleted (its pods may not be creatable). */
  workloadChanged?(obj: V1ReplicaSet | V1Job): void;
}

export interface WatchedCaches {
  pods: Cache<V1Pod>;
  replicaSets: Cache<V1ReplicaSet>;
  jobs: Cache<V1Job>;
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
  const owners = <T extends V1ReplicaSet | V1Job>(group: string, plural: string, transform: (o: T) => T): Informer<T>[] =>
    scopes.map((ns) => {
      const inf = new Informer<T>({
        ...common,
        path: ns ? `${group}/namespaces/${ns}/${plural}` : `${group}/${plural}`,
        // ReplicaSets and Jobs carry their pods' labels: the same selection as the pods.
        ...(input.config.labelSelector ? { labelSelector: input.config.labelSelector } : {}),
        ...(plan.fieldSelector ? { fieldSelector: plan.fieldSelector } : {}),
        transform,
      });
      inf.addIndex(INDEX_OWNER_WORKLOAD, ownerWorkloadIndex);
      return inf;
    });
  const replicaSets = owners<V1ReplicaSet>("/apis/apps/v1", "replicasets", slimReplicaSet);
  const jobs = owners<V1Job>("/apis/batch/v1", "jobs", slimJob);
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
  const all = [...pods, ...replicaSets, ...jobs, ...incidents] as Informer<KubernetesObject>[];
  return {
    pods: union(pods, plan.namespaces),
    replicaSets: union(replicaSets, plan.namespaces),
    jobs: union(jobs, plan.namespaces),
    incidents: union(incidents, plan.namespaces),
    subscribe: (s) => {
      for (const inf of pods) {
        inf.on("add", (p) => s.podChanged(p));
        inf.on("update", (p) => s.podChanged(p));
        inf.on("delete", (p) => s.podDeleted(p));
      }
      for (const inf of [...replicaSets, ...jobs] as Informer<V1ReplicaSet | V1Job>[]) {
        const changed = (o: V1ReplicaSet | V1Job): void => s.workloadChanged?.(o);
        inf.on("add", changed);
        inf.on("update", changed);
        inf.on("delete", changed);
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
