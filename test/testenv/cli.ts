// npm run testenv — a real kube-apiserver + etcd and a fake kubelet for a person,
// with the kubeconfig at .testenv/kubeconfig, until Ctrl-C.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { REPO_ROOT, startTestCluster } from "./cluster.js";
import { startFakeKubelet } from "./kubelet.js";

const cluster = await startTestCluster();
const kubelet = await startFakeKubelet({ core: cluster.kubeConfig.makeApiClient(CoreV1Api), tls: cluster.servingTls });
mkdirSync(join(REPO_ROOT, ".testenv"), { recursive: true });
const path = cluster.writeKubeconfig(join(REPO_ROOT, ".testenv", "kubeconfig"));
const stats = await cluster.stats();
console.log(`
test control plane ${stats.kubernetesVersion} ready in ${(stats.totalStartMs / 1000).toFixed(1)} s at ${cluster.server}
fake kubelet: node ${kubelet.nodeName} on https://127.0.0.1:${kubelet.port}
CRDs: ${cluster.crds.join(", ") || "(none in crds/)"}
kubeconfig (admin): ${path}

  export KUBECONFIG=${path}
  npm run kubectl -- get nodes
  npm run kubectl -- get productionincidents -A
  npm run helm -- list -A

Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log("stopping…");
  await kubelet.close();
  await cluster.stop();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown());
