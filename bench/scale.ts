// Scale: N pods (10,000; --quick 1,000) in the control plane, with specs, statuses
// and managedFields as a real cluster has them; the operator's informers sync them
// in a child process whose RSS is reported.
//   npm run bench -- scale [--quick] [--transform slim|strip]
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKubeClients, type KubeClients } from "../src/kube/clients.js";
import { startTestCluster } from "../test/testenv/cluster.js";
import { realisticPod, realisticStatus } from "./pods.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/**
 * Node flags the operator should run with: V8 otherwise grows the young generation
 * to 64 MB semispaces (128 MB RSS) while a large first list is parsed.
 * Override with --node-flags "..." (empty for Node's defaults).
 */
export const OPERATOR_NODE_FLAGS = ["--max-semi-space-size=8"];
const ROOT = join(HERE, "..");
// Compiled output lives under node_modules so its imports resolve like the operator's.
const BUILD_DIR = join(ROOT, "node_modules", ".cache", "production-fixer-bench");

/** Compiles the child with tsc so it runs on plain node, as the operator does (no tsx loader in the measurement). */
function compileChild(): string {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [
    tsc, "--outDir", BUILD_DIR, "--rootDir", ROOT, "--module", "nodenext", "--moduleResolution", "nodenext",
    "--target", "es2024", "--skipLibCheck", "--types", "node", "--verbatimModuleSyntax", "--ignoreConfig", join(HERE, "scale-child.ts"),
  ], { stdio: "inherit" });
  writeFileSync(join(BUILD_DIR, "package.json"), '{"type":"module"}\n');
  return join(BUILD_DIR, "bench", "scale-child.js");
}

export async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const transform = args[args.indexOf("--transform") + 1] === "strip" ? "strip" : "slim";
  const flagsAt = args.indexOf("--node-flags");
  const nodeFlags = flagsAt >= 0 ? (args[flagsAt + 1] ?? "").split(" ").filter(Boolean) : OPERATOR_NODE_FLAGS;
  const total = quick ? 1_000 : 10_000;
  const childScript = compileChild();
  const cluster = await startTestCluster();
  try {
    const clients = createKubeClients(cluster.kubeConfig);
    const createStarted = performance.now();
    await createPods(clients, total);
    const owners = await createOwners(clients, total);
    const createSeconds = (performance.now() - createStarted) / 1000;
    const child = await runChild([...nodeFlags, childScript], cluster.kubeconfigPath, transform);
    const stats = await cluster.stats();
    const rows: [string, string][] = [
      ["pods", String(child.pods)],
      ["replicasets / jobs", `${child.replicasets ?? 0} / ${child.jobs ?? 0} (created ${owners.replicaSets} / ${owners.jobs})`],
      ["create seconds", createSeconds.toFixed(1)],
      ["sync seconds", String(child.sync_seconds)],
      [`operator RSS (MB, transform ${transform})`, String(child.rss_mb)],
      ["operator peak RSS (MB)", String(child.peak_rss_mb)],
      ["operator heap used (MB)", String(child.heap_used_mb)],
      ["operator node flags", nodeFlags.join(" ") || "(none)"],
      ["control plane RSS (MB)", String(Math.round((stats.rssBytes ?? 0) / 1048576))],
      ["target", "RSS <= 200 MB"],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(40)} ${v}`);
    console.log(JSON.stringify({ pods: child.pods, rss_mb: child.rss_mb, sync_seconds: child.sync_seconds }));
  } finally {
    await cluster.stop();
  }
}

const NAMESPACES = 20;
const CONCURRENCY = 24;

async function createPods(clients: KubeClients, total: number): Promise<void> {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `scale-${i}`);
  for (const name of namespaces) await clients.core.createNamespace({ body: { metadata: { name } } });
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const namespace = namespaces[i % NAMESPACES]!;
      const created = await clients.core.createNamespacedPod({ namespace, body: realisticPod(namespace, i), fieldManager: "kube-controller-manager" });
      await clients.core.replaceNamespacedPodStatus({ namespace, name: created.metadata!.name!, body: { ...created, status: realisticStatus(created) }, fieldManager: "kubelet" });
      if (++done % 1000 === 0) process.stderr.write(`created ${done}/${total} pods\n`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/**
 * The ReplicaSets and Jobs the operator also watches: three revisions per app and
 * namespace (two scaled to 0, as a Deployment's history keeps them) with the pods'
 * template, and one Job per 100 pods; each written with managedFields like the real ones.
 */
async function createOwners(clients: KubeClients, total: number): Promise<{ replicaSets: number; jobs: number }> {
  const apps = Math.min(100, total);
  let replicaSets = 0;
  let jobs = 0;
  for (let i = 0; i < apps; i++) {
    const namespace = `scale-${i % NAMESPACES}`;
    const pod = realisticPod(namespace, i);
    const labels = pod.metadata!.labels!;
    for (let revision = 1; revision <= 3; revision++) {
      const name = `${labels.app}-r${revision}-${i}`;
      const template = { metadata: { labels: { ...labels, "pod-template-hash": `r${revision}` } }, spec: pod.spec! };
      await clients.apps.createNamespacedReplicaSet({
        namespace, fieldManager: "kube-controller-manager",
        body: { metadata: { name, namespace, labels: template.metadata.labels, annotations: { "deployment.kubernetes.io/revision": String(revision), "deployment.kubernetes.io/desired-replicas": "10" } }, spec: { replicas: revision === 3 ? 10 : 0, selector: { matchLabels: template.metadata.labels }, template } },
      });
      replicaSets++;
    }
  }
  for (let i = 0; i < Math.ceil(total / 100); i++) {
    const namespace = `scale-${i % NAMESPACES}`;
    const pod = realisticPod(namespace, i);
    await clients.batch.createNamespacedJob({
      namespace, fieldManager: "kube-controller-manager",
      body: { metadata: { name: `export-${i}`, namespace }, spec: { template: { metadata: { labels: { job: `export-${i}` } }, spec: { ...pod.spec!, restartPolicy: "Never" } } } },
    });
    jobs++;
  }
  return { replicaSets, jobs };
}

interface ChildResult {
  pods: number;
  replicasets?: number;
  jobs?: number;
  sync_seconds: number;
  rss_mb: number;
  peak_rss_mb?: number;
  heap_used_mb: number;
}

function runChild(nodeArgs: string[], kubeconfigPath: string, transform: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, kubeconfigPath, transform], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`the informer process exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch (err) {
        reject(new Error(`the informer process printed no result: ${out}`, { cause: err }));
      }
    });
  });
}
