// The Alertmanager webhook under a burst: 1,000 alerts in 100 groups (payloads of
// 10 alerts), sent with Alertmanager-like parallelism to the webhook backed by the
// real control plane; then the same burst again to the same replica (which
// remembers what it stored) and to another replica (which does not): Alertmanager
// re-sends. Every alert must become exactly one ProductionAlert (checked by listing).
//   npm run bench -- webhook [--quick]
import { request } from "node:http";
import { CoreV1Api } from "@kubernetes/client-node";
import { pino } from "pino";
import { GROUP, VERSION } from "../src/api/common.js";
import type { ProductionAlert } from "../src/api/alert.js";
import { createKubeClients } from "../src/kube/clients.js";
import { KubeAlertWriter } from "../src/triggers/alert-writer.js";
import { startWebhookServer } from "../src/triggers/webhook.js";
import { startTestCluster } from "../test/testenv/cluster.js";
import { percentile, table } from "./operator-env.js";

const TOKEN = "bench-token";
const NAMESPACES = 10;
const PER_GROUP = 10;
/** Groups in flight at once (Alertmanager notifies groups concurrently). */
const PARALLEL = 10;

interface Burst {
  ms: number;
  latencies: number[];
  requests: number;
  statuses: Record<string, number>;
}

function payload(group: number): string {
  const alerts = Array.from({ length: PER_GROUP }, (_, i) => {
    const n = group * PER_GROUP + i;
    return {
      status: "firing",
      labels: { alertname: `BenchAlert${group}`, namespace: `bench-${group % NAMESPACES}`, pod: `web-${n}`, container: "web", severity: "warning" },
      annotations: { summary: `web-${n} is slow`, description: "p99 latency above 2s for 5m" },
      startsAt: "2026-11-27T12:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph?g0.expr=histogram_quantile%280.99%2C+rate%28http_request_duration_seconds_bucket%5B5m%5D%29%29+%3E+2&g0.tab=1",
      fingerprint: n.toString(16).padStart(16, "0"),
    };
  });
  return JSON.stringify({
    version: "4", groupKey: `{}:{alertname="BenchAlert${group}"}`, truncatedAlerts: 0, status: "firing", receiver: "production-fixer",
    groupLabels: { alertname: `BenchAlert${group}` }, commonLabels: {}, commonAnnotations: {}, externalURL: "http://alertmanager:9093", alerts,
  });
}

function post(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/alertmanager", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function burst(port: number, bodies: string[]): Promise<Burst> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const started = performance.now();
      const status = await post(port, body);
      latencies.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { ms: performance.now() - t0, latencies: latencies.sort((a, b) => a - b), requests: bodies.length, statuses };
}

export async function main(args: string[]): Promise<void> {
  const groups = args.includes("--quick") ? 20 : 100;
  const alerts = groups * PER_GROUP;
  const cluster = await startTestCluster();
  try {
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    for (let i = 0; i < NAMESPACES; i++) await core.createNamespace({ body: { metadata: { name: `bench-${i}` } } });
    await core.createNamespace({ body: { metadata: { name: "production-fixer" } } });
    const clients = createKubeClients(cluster.kubeConfig);
    const server = await startWebhookServer({
      port: 0, host: "127.0.0.1", token: TOKEN, maxBodyBytes: 1 << 20, alerts: new KubeAlertWriter(clients.custom),
      logger: pino({ level: "silent" }), alertNamespace: "production-fixer",
    });
    const bodies = Array.from({ length: groups }, (_, g) => payload(g));
    clients.requestCounter.reset();
    const first = await burst(server.port, bodies);
    const firstRequests = clients.requestCounter.snapshot();
    const firstTotal = clients.requestCounter.total();
    clients.requestCounter.reset();
    const again = await burst(server.port, bodies);
    const againTotal = clients.requestCounter.total();
    await server.close();
    const otherClients = createKubeClients(cluster.kubeConfig);
    const replica = await startWebhookServer({
      port: 0, host: "127.0.0.1", token: TOKEN, maxBodyBytes: 1 << 20, alerts: new KubeAlertWriter(otherClients.custom),
      logger: pino({ level: "silent" }), alertNamespace: "production-fixer",
    });
    const elsewhere = await burst(replica.port, bodies);
    const elsewhereRequests = otherClients.requestCounter.snapshot();
    const elsewhereTotal = otherClients.requestCounter.total();
    await replica.close();

    const list = (await clients.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: "productionalerts" })) as { items: ProductionAlert[] };
    const names = list.items.map((a) => `${a.metadata.namespace}/${a.metadata.name}`);
    const unique = new Set(names).size;
    const generations = list.items.filter((a) => a.metadata.generation !== 1).length;
    const exactlyOnce = names.length === alerts && unique === alerts && generations === 0;

    const result = {
      bench: "webhook",
      alerts,
      groups,
      alerts_per_request: PER_GROUP,
      parallel_requests: PARALLEL,
      burst_ms: Math.round(first.ms),
      alerts_per_second: Math.round((alerts / first.ms) * 1000),
      p50_ms: Math.round(percentile(first.latencies, 50)),
      p99_ms: Math.round(percentile(first.latencies, 99)),
      statuses: first.statuses,
      apiserver_requests: firstTotal,
      apiserver_requests_by_kind: firstRequests,
      resend_ms: Math.round(again.ms),
      resend_p50_ms: Math.round(percentile(again.latencies, 50)),
      resend_p99_ms: Math.round(percentile(again.latencies, 99)),
      resend_statuses: again.statuses,
      resend_apiserver_requests: againTotal,
      other_replica_ms: Math.round(elsewhere.ms),
      other_replica_p50_ms: Math.round(percentile(elsewhere.latencies, 50)),
      other_replica_p99_ms: Math.round(percentile(elsewhere.latencies, 99)),
      other_replica_statuses: elsewhere.statuses,
      other_replica_apiserver_requests: elsewhereTotal,
      other_replica_apiserver_requests_by_kind: elsewhereRequests,
      production_alerts: names.length,
      exactly_once: exactlyOnce,
    };
    table([
      ["alerts (groups x alerts)", `${alerts} (${groups} x ${PER_GROUP}), ${PARALLEL} requests in flight`],
      ["burst time", `${result.burst_ms} ms`],
      ["alerts/s", result.alerts_per_second],
      ["request latency p50 / p99", `${result.p50_ms} / ${result.p99_ms} ms`],
      ["HTTP statuses", JSON.stringify(first.statuses)],
      ["apiserver requests", `${firstTotal} (${(firstTotal / alerts).toFixed(2)} per alert)`],
      ...Object.entries(firstRequests).map(([k, v]): [string, number] => [`  ${k}`, v]),
      ["re-send, same replica: time", `${result.resend_ms} ms`],
      ["  latency p50 / p99", `${result.resend_p50_ms} / ${result.resend_p99_ms} ms`],
      ["  apiserver requests", `${againTotal} (specs remembered)`],
      ["re-send, other replica: time", `${result.other_replica_ms} ms`],
      ["  latency p50 / p99", `${result.other_replica_p50_ms} / ${result.other_replica_p99_ms} ms`],
      ["  apiserver requests", `${elsewhereTotal} ${JSON.stringify(elsewhereRequests)} (no update)`],
      ["ProductionAlerts listed", `${names.length} (${unique} distinct, ${generations} updated)`],
      ["exactly once", exactlyOnce ? "yes" : "NO"],
    ]);
    console.log(JSON.stringify(result));
    if (!exactlyOnce) process.exitCode = 1;
  } finally {
    await cluster.stop();
  }
}
