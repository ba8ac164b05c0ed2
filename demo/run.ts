// `npm run demo`: a local control plane, a small shop with six realistic failures,
// and the operator running in this process against it, printing what it does.
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { ProductionIncident } from "../src/api/incident.js";
import { loadConfig } from "../src/config.js";
import { startOperator, type OperatorEvent, type OperatorHandle } from "../src/operator.js";
import { describeIncident, incidentTable } from "../src/render/incidents.js";
import { styleFor, type Style } from "../src/render/style.js";
import { createLogger } from "../src/telemetry/logger.js";
import { startTestCluster, type TestCluster } from "../test/testenv/cluster.js";
import { PodDriver } from "../test/testenv/drivers.js";
import { startFakeKubelet, type FakeKubelet } from "../test/testenv/kubelet.js";
import { NAMESPACE, SHOP, type ShopDeps } from "./shop.js";

const HELP = `Usage: npm run demo -- [--exit] [--json]

Starts a local Kubernetes control plane (kube-apiserver + etcd, built from Go
modules on first use), deploys a small shop with healthy and broken services,
and runs production-fixer against it in this process.

  --exit   stop after the summary instead of leaving the cluster running
  --json   print the incidents as JSON on stdout (progress goes to stderr)
`;

interface Out {
  say(line: string): void;
  style: Style;
}

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { exit: { type: "boolean" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const stream = values.json ? process.stderr : process.stdout;
  const out: Out = { say: (l) => stream.write(`${l}\n`), style: styleFor(stream, env) };
  const s = out.style;
  out.say(s.bold("production-fixer demo"));
  out.say(env.ANTHROPIC_API_KEY
    ? `Claude investigates (model ${env.PF_MODEL ?? "claude-sonnet-5-5"}); the built-in rules give it a head start.`
    : `No ANTHROPIC_API_KEY: diagnosing with the built-in rules. Set ANTHROPIC_API_KEY to let Claude investigate.`);
  out.say("Starting a local control plane (kube-apiserver + etcd; the first run builds it from Go modules, which takes a few minutes)…");

  const cluster = await startTestCluster();
  const stack: Array<() => Promise<void>> = [() => cluster.stop()];
  try {
    const kubelet = await startFakeKubelet({ core: cluster.kubeConfig.makeApiClient(CoreV1Api), tls: cluster.servingTls, nodeName: "demo-node-1" });
    stack.unshift(() => kubelet.close());
    out.say(`Control plane ready at ${cluster.server}; fake kubelet registered as node ${kubelet.nodeName}.`);
    const operator = await startDemoOperator(cluster, env, out);
    stack.unshift(() => operator.stop());
    await deployShop(cluster, kubelet, out);
    const incidents = await waitForDiagnoses(cluster, out);
    printSummary(incidents, out);
    if (values.json) process.stdout.write(`${JSON.stringify({ incidents }, null, 2)}\n`);
    if (!values.exit) await stayUp(cluster, out);
    return 0;
  } finally {
    for (const stop of stack) await stop().catch(() => undefined);
  }
}

async function startDemoOperator(cluster: TestCluster, env: Record<string, string | undefined>, out: Out): Promise<OperatorHandle> {
  const config = loadConfig({
    env,
    overrides: {
      namespaces: [NAMESPACE],
      leaderElection: { enabled: false },
      server: { port: 0 },
      webhook: { enabled: false },
      resolution: { healthySeconds: 3600 },
      logLevel: "warn",
    },
  });
  const operator = await startOperator({
    config,
    kubeConfig: cluster.kubeConfig,
    logger: createLogger({ level: "warn", destination: process.stderr }),
    onEvent: (e) => printEvent(e, out),
  });
  out.say(`Operator running (metrics: http://127.0.0.1:${operator.port}/metrics).`);
  return operator;
}

async function deployShop(cluster: TestCluster, kubelet: FakeKubelet, out: Out): Promise<void> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const pods = new PodDriver({ core, nodeName: kubelet.nodeName });
  const deps: ShopDeps = { core, kubelet, pods, apps: cluster.kubeConfig.makeApiClient(AppsV1Api), batch: cluster.kubeConfig.makeApiClient(BatchV1Api) };
  out.say(`\nDeploying the shop into namespace "${NAMESPACE}":`);
  for (const service of SHOP) {
    out.say(`  ${service.name.padEnd(16)} ${service.broken ? out.style.red(`broken: ${service.broken}`) : out.style.green("healthy")}`);
    await service.deploy(deps);
  }
  out.say("");
}

function printEvent(e: OperatorEvent, out: Out): void {
  const s = out.style;
  const time = new Date().toISOString().slice(11, 19);
  if (!("incident" in e)) return;
  const who = `${e.target.kind}/${e.target.name}`.padEnd(26);
  const line: Partial<Record<OperatorEvent["type"], () => string>> = {
    opened: () => e.type === "opened" ? `${s.red("opened       ")} ${who} ${e.reason} (pod ${e.pod})` : "",
    reopened: () => `${s.red("reopened     ")} ${who}`,
    investigating: () => e.type === "investigating" ? `${s.yellow("investigating")} ${who} by ${e.mode}` : "",
    diagnosed: () => e.type === "diagnosed" ? `${s.cyan("diagnosed    ")} ${who} ${s.bold(e.category)} (${e.confidence.toFixed(2)}, ${e.durationMs} ms): ${e.summary}` : "",
    failed: () => e.type === "failed" ? `${s.red("failed       ")} ${who} ${e.reason}` : "",
    resolved: () => `${s.green("resolved     ")} ${who}`,
  };
  const text = line[e.type]?.();
  if (text) out.say(`${s.dim(time)}  ${text}`);
}

const BROKEN = SHOP.filter((x) => x.broken).map((x) => x.name);

async function listIncidents(cluster: TestCluster): Promise<ProductionIncident[]> {
  const custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await custom.listNamespacedCustomObject({ group: "productionfixer.io", version: "v1alpha1", namespace: NAMESPACE, plural: "productionincidents" })) as { items: ProductionIncident[] };
  return list.items.sort((a, b) => a.spec.target.name.localeCompare(b.spec.target.name));
}

async function waitForDiagnoses(cluster: TestCluster, out: Out, timeoutMs = 180_000): Promise<ProductionIncident[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const incidents = await listIncidents(cluster);
    const done = new Set(incidents.filter((i) => ["Diagnosed", "Failed"].includes(i.status?.phase ?? "")).map((i) => i.spec.target.name));
    if (BROKEN.every((n) => done.has(n))) return incidents;
    if (Date.now() > deadline) {
      out.say(out.style.red(`Timed out waiting for: ${BROKEN.filter((n) => !done.has(n)).join(", ")}`));
      return incidents;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function printSummary(incidents: ProductionIncident[], out: Out): void {
  const s = out.style;
  out.say(`\n${s.bold("$ kubectl get productionincidents -A")}`);
  out.say(incidentTable(incidents, new Date(), s));
  const featured = incidents.find((i) => i.spec.target.name === "checkout") ?? incidents[0];
  if (!featured) return;
  out.say(`\n${s.bold(`$ kubectl describe productionincident ${featured.metadata.name} -n ${NAMESPACE}`)}   (abridged)`);
  out.say(describeIncident(featured, s));
}

async function stayUp(cluster: TestCluster, out: Out): Promise<void> {
  mkdirSync(".testenv", { recursive: true });
  const path = cluster.writeKubeconfig(".testenv/kubeconfig");
  const s = out.style;
  out.say(`\nThe cluster keeps running. Kubeconfig: ${path}`);
  out.say("Try, in another terminal:");
  out.say(`  ${s.cyan("npm run kubectl -- get pinc -A")}`);
  out.say(`  ${s.cyan("npm run kubectl -- get pinc -n shop -o yaml")}`);
  out.say(`  ${s.cyan("npm run kubectl -- get events -n shop --field-selector reason=Diagnosed")}`);
  out.say("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  out.say("\nStopping…");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
