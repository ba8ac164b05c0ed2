// Pods shaped like a Deployment's pods in a real cluster: owner references, labels,
// env, probes, resources, volumes, tolerations, and a kubelet-like status.
import type { V1Pod, V1PodStatus } from "@kubernetes/client-node";

export function realisticPod(namespace: string, i: number): V1Pod {
  const app = `svc-${i % 50}`;
  const hash = (0x5f3a9c + (i % 50)).toString(16);
  return {
    metadata: {
      name: `${app}-${hash}-${i.toString(36).padStart(5, "0")}`,
      namespace,
      labels: { app, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "shop", "pod-template-hash": hash, tier: i % 2 ? "backend" : "frontend" },
      annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "kubectl.kubernetes.io/restartedAt": "2026-11-20T10:00:00Z" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${app}-${hash}`, uid: `00000000-0000-4000-8000-${String(i % 50).padStart(12, "0")}`, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      nodeName: `node-${i % 10}`,
      serviceAccountName: "default",
      containers: [
        {
          name: "app",
          image: `registry.example.com/shop/${app}:1.${i % 7}.3`,
          imagePullPolicy: "IfNotPresent",
          args: ["--port=8080", "--metrics-port=9090", "--log-format=json"],
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "metrics", containerPort: 9090, protocol: "TCP" }],
          env: [
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: `${app}-db`, key: "url" } } },
            { name: "REDIS_HOST", value: "redis.shop.svc.cluster.local" },
            { name: "LOG_LEVEL", value: "info" },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          ],
          envFrom: [{ configMapRef: { name: `${app}-config` } }],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
          livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
          readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
          volumeMounts: [{ name: "config", mountPath: "/etc/app" }, { name: "kube-api-access", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true }],
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: `${app}-config` } },
        {
          name: "kube-api-access",
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
          },
        },
      ],
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
    },
  };
}

export function realisticStatus(pod: V1Pod): V1PodStatus {
  const started = new Date("2026-11-27T10:00:00Z");
  const container = pod.spec!.containers[0]!;
  return {
    phase: "Running",
    hostIP: "10.0.0.10",
    podIP: `10.244.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    podIPs: [{ ip: "10.244.1.1" }],
    qosClass: "Burstable",
    startTime: started,
    conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({ type, status: "True", lastTransitionTime: started })),
    containerStatuses: [
      {
        name: container.name,
        image: container.image!,
        imageID: `${container.image!.split(":")[0]}@sha256:${"ab12".repeat(16)}`,
        containerID: `containerd://${"9f".repeat(32)}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: started } },
      },
    ],
  };
}
