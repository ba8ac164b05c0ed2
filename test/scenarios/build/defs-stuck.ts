// Pods that fail quietly: stuck in ContainerCreating, or Running but never Ready.
import { ago } from "./k8s.js";
import { REG, running, spec, waiting } from "./helpers.js";
import type { ScenarioDef } from "./scenario.js";

/** A scheduled pod whose volumes the kubelet cannot set up: Pending, ContainerCreating. */
const creatingStatus = {
  phase: "Pending",
  conditions: [
    { type: "PodReadyToStartContainers", status: "False", lastProbeTime: null, lastTransitionTime: ago(12) },
    { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: ago(12) },
    { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: ago(12), reason: "ContainersNotReady", message: "containers with unready status: [{container}]" },
    { type: "ContainersReady", status: "False", lastProbeTime: null, lastTransitionTime: ago(12), reason: "ContainersNotReady", message: "containers with unready status: [{container}]" },
    { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: ago(12) },
  ],
};

const withContainer = (name: string): Record<string, unknown> => JSON.parse(JSON.stringify(creatingStatus).replaceAll("{container}", name)) as Record<string, unknown>;

export const STUCK_SCENARIOS: ScenarioDef[] = [
  {
    name: "configmap-volume-missing-stuck",
    description: "A ConfigMap mounted as a volume does not exist: the pod stays in ContainerCreating.",
    app: "pricing",
    containers: [waiting(spec("pricing", `${REG}/pricing:4.2.0`, { volumeMounts: [{ name: "rules", mountPath: "/etc/pricing" }] }), "ContainerCreating")],
    podSpec: { volumes: [{ name: "rules", configMap: { name: "pricing-rules" } }] },
    podStatus: withContainer("pricing"),
    events: [
      { reason: "Scheduled", message: "Successfully assigned {ns}/{pod} to worker-1", source: "default-scheduler", minutesAgo: 12 },
      { reason: "FailedMount", message: 'MountVolume.SetUp failed for volume "rules" : configmap "pricing-rules" not found', count: 14, minutesAgo: 0 },
    ],
    expect: { category: "MissingConfiguration", keywords: [["pricing-rules"], ["ConfigMap", "configmap"]] },
  },
  {
    name: "pvc-multi-attach-stuck",
    description: "A rolling update puts the new pod on another node while the old one still holds the ReadWriteOnce volume.",
    app: "ledger",
    containers: [waiting(spec("ledger", `${REG}/ledger:5.0.1`, { volumeMounts: [{ name: "data", mountPath: "/var/lib/ledger" }] }), "ContainerCreating")],
    podSpec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "ledger-data" } }] },
    podStatus: withContainer("ledger"),
    events: [
      { reason: "Scheduled", message: "Successfully assigned {ns}/{pod} to worker-1", source: "default-scheduler", minutesAgo: 12 },
      { reason: "FailedAttachVolume", message: 'Multi-Attach error for volume "pvc-6c1f0e9a-5b7d-4d7e-9a51-0f3c2b8e4a11" Volume is already used by pod(s) ledger-7c5d9b6f4-q2lxw', source: "attachdetach-controller", count: 1, minutesAgo: 11 },
      { reason: "FailedMount", message: "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-7xk2p]: timed out waiting for the condition", count: 5, minutesAgo: 1 },
    ],
    objects: [
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "ledger-data", namespace: "shop", uid: "pvc-ledger" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "standard-rwo", volumeName: "pvc-6c1f0e9a-5b7d-4d7e-9a51-0f3c2b8e4a11" },
        status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "20Gi" } },
      },
    ],
    expect: { category: "StorageFailure", keywords: [["Multi-Attach", "attached to another node"], ["ReadWriteOnce", "volume"]] },
  },
  {
    name: "readiness-wrong-path-never-ready",
    description: "Readiness probe asks for /ready but the app serves /readyz: the pod runs and never becomes Ready.",
    app: "catalog",
    containers: [
      { ...running(spec("catalog", `${REG}/catalog:3.3.0`, { ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 10, failureThreshold: 3 } })), ready: false },
    ],
    events: [
      { reason: "Scheduled", message: "Successfully assigned {ns}/{pod} to worker-1", source: "default-scheduler", minutesAgo: 10 },
      { reason: "Started", message: "Started container catalog", container: "catalog", minutesAgo: 9 },
      { reason: "Unhealthy", message: "Readiness probe failed: HTTP probe failed with statuscode: 404", container: "catalog", count: 54, minutesAgo: 0 },
    ],
    logs: { catalog: { current: '{"level":"info","msg":"listening","addr":":8080"}\n{"level":"info","msg":"request","method":"GET","path":"/ready","status":404,"ua":"kube-probe/1.36"}\n{"level":"info","msg":"request","method":"GET","path":"/api/items","status":200}\n{"level":"info","msg":"request","method":"GET","path":"/ready","status":404,"ua":"kube-probe/1.36"}\n' } },
    expect: { category: "ProbeFailure", keywords: [["/ready"], ["404", "readiness"]] },
  },
];
