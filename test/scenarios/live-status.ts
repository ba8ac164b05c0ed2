// Status writes through the status subresource, by kind (create strips status).
import type { AppsV1Api, BatchV1Api, CoreV1Api, KubernetesObject } from "@kubernetes/client-node";
import type { SnapshotSeries } from "../../src/api/snapshot.js";
import type { ContainerMetrics, FakeKubelet } from "../testenv/kubelet.js";

interface Apis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

type Ref = { name: string; namespace: string; body: never };
type Write = (created: KubernetesObject, status: Record<string, unknown>) => Promise<KubernetesObject>;

/** The writer of a kind's status subresource; undefined for kinds without one worth writing. */
export function statusWriter(apis: Apis, kind: string): Write | undefined {
  const { core, apps, batch } = apis;
  const writers: Record<string, (r: Ref) => Promise<KubernetesObject>> = {
    Pod: (r) => core.replaceNamespacedPodStatus(r),
    PersistentVolumeClaim: (r) => core.replaceNamespacedPersistentVolumeClaimStatus(r),
    ResourceQuota: (r) => core.replaceNamespacedResourceQuotaStatus(r),
    Deployment: (r) => apps.replaceNamespacedDeploymentStatus(r),
    ReplicaSet: (r) => apps.replaceNamespacedReplicaSetStatus(r),
    StatefulSet: (r) => apps.replaceNamespacedStatefulSetStatus(r),
    DaemonSet: (r) => apps.replaceNamespacedDaemonSetStatus(r),
    Job: (r) => batch.replaceNamespacedJobStatus(r),
    CronJob: (r) => batch.replaceNamespacedCronJobStatus(r),
    Node: (r) => core.replaceNodeStatus({ name: r.name, body: r.body }),
    PersistentVolume: (r) => core.replacePersistentVolumeStatus({ name: r.name, body: r.body }),
  };
  const write = writers[kind];
  if (!write) return undefined;
  return (created, status) => write({ name: created.metadata?.name ?? "", namespace: created.metadata?.namespace ?? "", body: { ...created, status } as never });
}

const CADVISOR: Record<string, keyof ContainerMetrics> = {
  container_memory_working_set_bytes: "memoryWorkingSetBytes",
  container_memory_rss: "memoryRssBytes",
  container_spec_memory_limit_bytes: "memoryLimitBytes",
  container_cpu_usage_seconds_total: "cpuUsageSecondsTotal",
  container_oom_events_total: "oomEventsTotal",
};

/** The last sample of each cAdvisor series, served by the fake kubelet on /metrics/cadvisor. */
export function serveMetrics(kubelet: FakeKubelet, series: SnapshotSeries[]): void {
  for (const s of series) {
    const field = CADVISOR[s.metric.__name__ ?? ""];
    const { namespace, pod, container } = s.metric;
    const last = s.values.at(-1);
    if (!field || !namespace || !pod || !container || !last) continue;
    kubelet.setMetrics({ namespace, pod, container, [field]: Number(last[1]) });
  }
}
