// The operator's informers in a process of their own, so its RSS is what the
// operator would use: pods, ReplicaSets and Jobs in all namespaces plus our two
// custom resources.
// Prints one JSON line when all are synced.
import type { KubernetesObject, V1Job, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { KubeConfig } from "@kubernetes/client-node";
import { Informer } from "../src/kube/informer.js";
import { slimJob, slimPod, slimReplicaSet, stripMetadata } from "../src/kube/transform.js";
import { createLogger } from "../src/telemetry/logger.js";

const [kubeconfigPath, transformName = "slim"] = process.argv.slice(2);
if (!kubeconfigPath) throw new Error("usage: scale-child.ts KUBECONFIG [slim|strip]");
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const logger = createLogger({ level: "warn", name: "scale-child" });

const started = performance.now();
const pods = new Informer<V1Pod>({ kubeConfig, path: "/api/v1/pods", logger, transform: transformName === "slim" ? slimPod : stripMetadata });
const incidents = new Informer<KubernetesObject>({ kubeConfig, path: "/apis/productionfixer.io/v1alpha1/productionincidents", logger });
const alerts = new Informer<KubernetesObject>({ kubeConfig, path: "/apis/productionfixer.io/v1alpha1/productionalerts", logger });
const slim = transformName === "slim";
const replicaSets = new Informer<V1ReplicaSet>({ kubeConfig, path: "/apis/apps/v1/replicasets", logger, transform: slim ? slimReplicaSet : stripMetadata });
const jobs = new Informer<V1Job>({ kubeConfig, path: "/apis/batch/v1/jobs", logger, transform: slim ? slimJob : stripMetadata });
const informers = [pods, replicaSets, jobs, incidents, alerts] as Informer<KubernetesObject>[];
let events = 0;
pods.on("add", () => events++);
for (const inf of informers) inf.start();
await Promise.all(informers.map((i) => i.synced()));
const syncSeconds = (performance.now() - started) / 1000;
// Settle: let the last pages be collected as the steady state would.
await new Promise((r) => setTimeout(r, 2000));
const mem = process.memoryUsage();
const peakKb = /^VmHWM:\s+(\d+)/m.exec(await import("node:fs").then((fs) => fs.readFileSync("/proc/self/status", "utf8")))?.[1];
console.log(JSON.stringify({
  pods: pods.size,
  replicasets: replicaSets.size,
  jobs: jobs.size,
  events,
  sync_seconds: Number(syncSeconds.toFixed(2)),
  rss_mb: Math.round(mem.rss / 1048576),
  peak_rss_mb: peakKb ? Math.round(Number(peakKb) / 1024) : undefined,
  heap_used_mb: Math.round(mem.heapUsed / 1048576),
}));
await Promise.all(informers.map((i) => i.stop()));
process.exit(0);
