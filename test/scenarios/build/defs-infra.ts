// Scheduling, storage, permissions, quotas and nodes.
import { ago, st } from "./k8s.js";
import { crash, crashEvents, REG, running, spec, waiting } from "./helpers.js";
import type { ScenarioDef } from "./scenario.js";

const unschedulable = (message: string) => ({
  phase: "Pending",
  conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastProbeTime: null, lastTransitionTime: ago(9) }],
});
const failedScheduling = (message: string) => ({ reason: "FailedScheduling", message, source: "default-scheduler", count: 14, minutesAgo: 0 });
const NODES3 = [{ name: "worker-1" }, { name: "worker-2" }, { name: "cp-1", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }];

function pendingPod(name: string, app: string, s: ReturnType<typeof spec>, { message, ...extra }: Partial<ScenarioDef> & { message: string }): ScenarioDef {
  return {
    name,
    description: extra.description ?? "",
    app,
    pending: true,
    nodes: NODES3,
    containers: [{ spec: s, state: st.waiting("ContainerCreating"), restartCount: 0, ready: false }],
    podStatus: unschedulable(message),
    events: [failedScheduling(message)],
    expect: extra.expect ?? { category: "Unschedulable", keywords: [] },
    ...extra,
  };
}

const pvc = (name: string, sc: string | undefined, phase = "Pending") => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "shop", uid: `pvc-${name}`, creationTimestamp: ago(12) },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, ...(sc ? { storageClassName: sc } : {}), volumeMode: "Filesystem" },
  status: { phase },
});
const storageClass = (name: string, isDefault = false) => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name, uid: `sc-${name}`, ...(isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}) },
  provisioner: "ebs.csi.aws.com",
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
});

export const INFRA_SCENARIOS: ScenarioDef[] = [
  pendingPod("unschedulable-insufficient-memory", "ml-batch", spec("trainer", `${REG}/trainer:1.0.0`, { resources: { requests: { memory: "24Gi", cpu: "2" } } }), {
    message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    description: "Requests 24Gi on 16Gi nodes.",
    expect: { category: "Unschedulable", keywords: [["memory"], ["24Gi", "Insufficient"]] },
  }),
  pendingPod("unschedulable-insufficient-cpu", "encoder", spec("encoder", `${REG}/encoder:2.0.0`, { resources: { requests: { cpu: "6", memory: "2Gi" } } }), {
    message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    description: "Requests 6 CPUs on 4-CPU nodes.",
    expect: { category: "Unschedulable", keywords: [["cpu"], ["Insufficient", "6"]] },
  }),
  pendingPod("unschedulable-gpu", "llm-serve", spec("serve", `${REG}/llm-serve:0.5.0`, { resources: { limits: { "nvidia.com/gpu": "1" }, requests: { "nvidia.com/gpu": "1", cpu: "2", memory: "8Gi" } } }), {
    message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    description: "Requests a GPU; no GPU nodes.",
    expect: { category: "Unschedulable", keywords: [["nvidia.com/gpu", "GPU"]] },
  }),
  pendingPod("unschedulable-node-selector", "reporting", spec("reporting", `${REG}/reporting:1.0.0`), {
    message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    description: "nodeSelector disktype=ssd matches no node.",
    podSpec: { nodeSelector: { disktype: "ssd" } },
    expect: { category: "Unschedulable", keywords: [["disktype", "selector"]] },
  }),
  pendingPod("unschedulable-taint", "batch-runner", spec("runner", `${REG}/batch-runner:3.0.0`), {
    message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {dedicated: batch}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    description: "Workers are tainted dedicated=batch; the pod has no toleration.",
    nodes: [{ name: "worker-1", taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] }, { name: "worker-2", taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] }, { name: "cp-1", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }],
    expect: { category: "Unschedulable", keywords: [["dedicated"], ["toleration", "taint"]] },
  }),
  pendingPod("pvc-storageclass-missing", "postgres", spec("postgres", "postgres:17.2", { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }] }), {
    message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    description: "The PVC names StorageClass fast-ssd which does not exist.",
    kind: "StatefulSet",
    podSpec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-postgres-0" } }] },
    objects: [pvc("data-postgres-0", "fast-ssd"), storageClass("gp3", true)],
    events: [
      failedScheduling("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
      { reason: "ProvisioningFailed", message: 'storageclass.storage.k8s.io "fast-ssd" not found', on: { kind: "PersistentVolumeClaim", name: "data-postgres-0" }, source: "persistentvolume-controller", count: 40 },
    ],
    expect: { category: "StorageFailure", keywords: [["fast-ssd"], ["StorageClass"]] },
  }),
  pendingPod("pvc-pending-no-class", "minio", spec("minio", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", { volumeMounts: [{ name: "data", mountPath: "/data" }] }), {
    message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    description: "PVC without storageClassName and no default StorageClass.",
    kind: "StatefulSet",
    podSpec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-minio-0" } }] },
    objects: [pvc("data-minio-0", undefined)],
    events: [
      failedScheduling("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
      { reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set", on: { kind: "PersistentVolumeClaim", name: "data-minio-0" }, source: "persistentvolume-controller", count: 30 },
    ],
    expect: { category: "StorageFailure", keywords: [["data-minio-0"], ["StorageClass", "storage class"]] },
  }),
  {
    name: "disk-full-postgres",
    description: "Postgres cannot write WAL: the volume is full.",
    app: "postgres",
    kind: "StatefulSet",
    containers: [crash(spec("postgres", "postgres:17.2", { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }] }), 1)],
    podSpec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-postgres-0" } }] },
    objects: [pvc("data-postgres-0", "gp3", "Bound"), storageClass("gp3", true)],
    events: crashEvents("postgres", "postgres:17.2"),
    logs: { postgres: { previous: `2026-11-27 11:58:50.112 UTC [1] LOG:  starting PostgreSQL 17.2 (Debian 17.2-1.pgdg120+1) on x86_64-pc-linux-gnu
2026-11-27 11:58:50.130 UTC [28] LOG:  database system was interrupted; last known up at 2026-11-27 11:51:02 UTC
2026-11-27 11:58:50.201 UTC [28] FATAL:  could not write to file "pg_wal/xlogtemp.28": No space left on device
2026-11-27 11:58:50.205 UTC [1] LOG:  startup process (PID 28) exited with exit code 1
2026-11-27 11:58:50.205 UTC [1] LOG:  aborting startup due to startup process failure
` } },
    expect: { category: "StorageFailure", keywords: [["No space left on device", "disk full", "full"]] },
  },
  {
    name: "disk-full-emptydir-node",
    description: "Node.js app fails writing uploads: ENOSPC.",
    app: "uploads",
    containers: [crash(spec("uploads", `${REG}/uploads:1.1.0`, { volumeMounts: [{ name: "scratch", mountPath: "/tmp/uploads" }] }), 1)],
    podSpec: { volumes: [{ name: "scratch", emptyDir: {} }] },
    events: crashEvents("uploads", `${REG}/uploads:1.1.0`),
    logs: { uploads: { previous: `node:internal/fs/promises:638
  return await PromisePrototypeThen(
  ^

Error: ENOSPC: no space left on device, write
    at async writeFileHandle (node:internal/fs/promises:638:10)
    at async storeChunk (/app/dist/store.js:41:3) {
  errno: -28,
  code: 'ENOSPC',
  syscall: 'write'
}
` } },
    expect: { category: "StorageFailure", keywords: [["no space left", "ENOSPC", "disk full"]] },
  },
  {
    name: "run-as-non-root-image-root",
    description: "runAsNonRoot with an image that runs as root.",
    app: "legacy-php",
    containers: [waiting(spec("php", "php:8.3-fpm"), "CreateContainerConfigError", 'container has runAsNonRoot and image will run as root (pod: "{pod}_{ns}({poduid})", container: php)')],
    podSpec: { securityContext: { runAsNonRoot: true } },
    events: [{ reason: "Failed", message: 'Error: container has runAsNonRoot and image will run as root (pod: "{pod}_{ns}({poduid})", container: php)', container: "php", count: 12 }],
    expect: { category: "PermissionDenied", keywords: [["runAsNonRoot"], ["root"]] },
  },
  {
    name: "run-as-non-root-nonnumeric",
    description: "runAsNonRoot with an image whose USER is a name.",
    app: "proxy",
    containers: [waiting(spec("nginx", "nginxinc/nginx-unprivileged:1.27"), "CreateContainerConfigError", "container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: \"{pod}_{ns}({poduid})\", container: nginx)")],
    podSpec: { securityContext: { runAsNonRoot: true } },
    events: [{ reason: "Failed", message: "Error: container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: \"{pod}_{ns}({poduid})\", container: nginx)", container: "nginx", count: 9 }],
    expect: { category: "PermissionDenied", keywords: [["runAsNonRoot"], ["non-numeric", "nginx"]] },
  },
  {
    name: "readonly-rootfs-nginx",
    description: "nginx with readOnlyRootFilesystem cannot create its cache dir.",
    app: "static",
    containers: [crash(spec("nginx", "nginx:1.27", { securityContext: { readOnlyRootFilesystem: true, runAsUser: 101 } }), 1)],
    events: crashEvents("nginx", "nginx:1.27"),
    logs: { nginx: { previous: `/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration
/docker-entrypoint.sh: Configuration complete; ready for start up
2026/11/27 11:58:52 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)
nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)
` } },
    expect: { category: "PermissionDenied", keywords: [["read-only", "readOnlyRootFilesystem"], ["/var/cache/nginx"]] },
  },
  {
    name: "eacces-volume-python",
    description: "Python app running as UID 1000 cannot write a root-owned volume.",
    app: "exporter",
    containers: [crash(spec("exporter", `${REG}/csv-exporter:1.0.0`, { securityContext: { runAsUser: 1000 }, volumeMounts: [{ name: "out", mountPath: "/data/out" }] }), 1)],
    podSpec: { volumes: [{ name: "out", hostPath: { path: "/srv/exports", type: "DirectoryOrCreate" } }] },
    events: crashEvents("exporter", `${REG}/csv-exporter:1.0.0`),
    logs: { exporter: { previous: `Traceback (most recent call last):
  File "/app/export.py", line 40, in <module>
    with open(os.path.join(OUT_DIR, "orders.csv"), "w") as fh:
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
PermissionError: [Errno 13] Permission denied: '/data/out/orders.csv'
` } },
    expect: { category: "PermissionDenied", keywords: [["/data/out"], ["permission"]] },
  },
  {
    name: "bind-privileged-port",
    description: "Non-root Go server tries to listen on :80.",
    app: "edge",
    containers: [crash(spec("edge", `${REG}/edge:2.0.0`, { securityContext: { runAsUser: 65532, runAsNonRoot: true, capabilities: { drop: ["ALL"] } } }), 1)],
    events: crashEvents("edge", `${REG}/edge:2.0.0`),
    logs: { edge: { previous: `2026/11/27 11:58:55 edge 2.0.0\n2026/11/27 11:58:55 listen tcp :80: bind: permission denied\n` } },
    expect: { category: "PermissionDenied", keywords: [["80"], ["NET_BIND_SERVICE", "privileged port"]] },
  },
  {
    name: "node-eviction-memory",
    description: "Pod evicted for node memory pressure.",
    app: "cache",
    containers: [{ spec: spec("cache", `${REG}/cache:1.0.0`), state: { terminated: { exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be located when the pod was terminated", startedAt: ago(50), finishedAt: ago(3) } }, restartCount: 0, ready: false }],
    podStatus: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 88164Ki. Container cache was using 3120Mi, request is 256Mi, has larger consumption of its request. " },
    nodes: [{ name: "worker-1", pressure: [{ type: "MemoryPressure", reason: "KubeletHasInsufficientMemory", message: "kubelet has insufficient memory available" }] }],
    events: [{ reason: "Evicted", message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 88164Ki. Container cache was using 3120Mi, request is 256Mi, has larger consumption of its request. ", minutesAgo: 3 }],
    expect: { category: "NodeFailure", keywords: [["memory"], ["worker-1", "evict"]] },
  },
  {
    name: "node-eviction-ephemeral-storage",
    description: "Pod evicted because the node ran low on ephemeral storage.",
    app: "builder",
    containers: [{ spec: spec("builder", `${REG}/builder:1.0.0`), state: { terminated: { exitCode: 137, reason: "Error", startedAt: ago(40), finishedAt: ago(4) } }, restartCount: 0, ready: false }],
    podStatus: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: ephemeral-storage. Threshold quantity: 10120387530, available: 9443212Ki. Container builder was using 41Gi, request is 0, has larger consumption of ephemeral-storage. " },
    nodes: [{ name: "worker-1", pressure: [{ type: "DiskPressure", reason: "KubeletHasDiskPressure", message: "kubelet has disk pressure" }] }],
    events: [{ reason: "Evicted", message: "The node was low on resource: ephemeral-storage. Threshold quantity: 10120387530, available: 9443212Ki. Container builder was using 41Gi, request is 0, has larger consumption of ephemeral-storage. ", minutesAgo: 4 }],
    expect: { category: "NodeFailure", keywords: [["ephemeral-storage"], ["evict", "low on resource"]] },
  },
  {
    name: "node-shutdown",
    description: "Pod terminated by a graceful node shutdown.",
    app: "api-gw",
    containers: [{ spec: spec("gw", `${REG}/api-gw:1.0.0`), state: { terminated: { exitCode: 143, reason: "Error", startedAt: ago(300), finishedAt: ago(5) } }, restartCount: 0, ready: false }],
    podStatus: { phase: "Failed", reason: "Terminated", message: "Pod was terminated in response to imminent node shutdown." },
    nodes: [{ name: "worker-1", ready: "Unknown" }],
    expect: { category: "NodeFailure", keywords: [["shutdown", "shutting down"], ["worker-1"]] },
  },
  {
    name: "quota-exceeded-rs",
    description: "A scale-up is blocked by the namespace ResourceQuota: the new replicas are never created.",
    app: "web",
    replicas: 2,
    healthyReplicas: 3,
    createFailure: 'pods "web-xtqlvd5r9g-q8m2k" is forbidden: exceeded quota: compute-quota, requested: limits.memory=2Gi, used: limits.memory=7680Mi, limited: limits.memory=8Gi',
    containers: [running(spec("web", `${REG}/web:3.4.1`, { resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } } }))],
    events: [
      { reason: "ScalingReplicaSet", message: "Scaled up replica set web-xtqlvd5r9g from 3 to 5", on: "deployment", source: "deployment-controller", minutesAgo: 10 },
      { reason: "FailedCreate", message: 'Error creating: pods "web-xtqlvd5r9g-q8m2k" is forbidden: exceeded quota: compute-quota, requested: limits.memory=2Gi, used: limits.memory=7680Mi, limited: limits.memory=8Gi', on: "rs", count: 21 },
    ],
    objects: [{ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "compute-quota", namespace: "shop", uid: "rq-1" }, spec: { hard: { "limits.memory": "8Gi", "limits.cpu": "8" } }, status: { hard: { "limits.memory": "8Gi", "limits.cpu": "8" }, used: { "limits.memory": "7680Mi", "limits.cpu": "6" } } }],
    expect: { category: "QuotaExceeded", keywords: [["compute-quota"], ["limits.memory", "quota"]] },
  },
  {
    name: "limitrange-max-memory",
    description: "LimitRange forbids containers above 1Gi; the rollout's new ReplicaSet cannot create a single pod.",
    app: "indexer",
    createFailure: 'pods "indexer-6f7c9-k2l8s" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    containers: [running(spec("indexer", `${REG}/indexer:2.0.0`, { resources: { limits: { memory: "2Gi" } } }))],
    previous: [{ image: `${REG}/indexer:1.9.3`, resources: { limits: { memory: "1Gi" } } }],
    events: [
      { reason: "FailedCreate", message: 'Error creating: pods "indexer-6f7c9-k2l8s" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi', on: "rs", count: 17 },
    ],
    objects: [{ apiVersion: "v1", kind: "LimitRange", metadata: { name: "container-limits", namespace: "shop", uid: "lr-1" }, spec: { limits: [{ type: "Container", max: { memory: "1Gi", cpu: "2" } }] } }],
    expect: { category: "QuotaExceeded", keywords: [["1Gi"], ["LimitRange", "maximum memory"]] },
  },
];
