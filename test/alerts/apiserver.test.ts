// Against the real kube-apiserver: the ProductionAlert CRD refuses invalid alerts
// with clear messages, and the webhook writes exactly one ProductionAlert per
// fingerprint however often Alertmanager re-sends.
import { request } from "node:http";
import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { API_VERSION, GROUP, VERSION } from "../../src/api/common.js";
import type { ProductionAlert } from "../../src/api/alert.js";
import { createKubeClients } from "../../src/kube/clients.js";
import { KubeAlertWriter } from "../../src/triggers/alert-writer.js";
import { startWebhookServer, type WebhookServer } from "../../src/triggers/webhook.js";
import { useTestCluster } from "../testenv/vitest.js";

const env = useTestCluster();
const base = { group: GROUP, version: VERSION, plural: "productionalerts" };
const TOKEN = "apiserver-test-token";

function custom(): CustomObjectsApi {
  return env().kubeConfig.makeApiClient(CustomObjectsApi);
}

async function createAlert(namespace: string, name: string, spec: Record<string, unknown>): Promise<string> {
  try {
    await custom().createNamespacedCustomObject({ ...base, namespace, body: { apiVersion: API_VERSION, kind: "ProductionAlert", metadata: { name }, spec } });
    return "created";
  } catch (err) {
    return (JSON.parse(String((err as { body?: unknown }).body)) as { message: string }).message;
  }
}

async function listAlerts(namespace: string): Promise<ProductionAlert[]> {
  return ((await custom().listNamespacedCustomObject({ ...base, namespace })) as { items: ProductionAlert[] }).items;
}

beforeAll(async () => {
  const core = env().kubeConfig.makeApiClient(CoreV1Api);
  for (const name of ["shop", "production-fixer"]) await core.createNamespace({ body: { metadata: { name } } });
});

describe("the ProductionAlert CRD", () => {
  it("accepts a minimal alert and fills the defaults", async () => {
    expect(await createAlert("shop", "minimal", { source: "manual", name: "HighLatency" })).toBe("created");
    const stored = (await custom().getNamespacedCustomObject({ ...base, namespace: "shop", name: "minimal" })) as ProductionAlert;
    expect(stored.spec).toEqual({ source: "manual", name: "HighLatency", severity: "warning", state: "firing" });
  });

  it.each([
    ["a missing name", { source: "manual" }, /spec\.name: Required value/],
    ["an unknown severity", { source: "manual", name: "A", severity: "urgent" }, /spec\.severity: Unsupported value: "urgent": supported values: "critical", "error", "warning", "info", "none"/],
    ["a state other than firing or resolved", { source: "manual", name: "A", state: "pending" }, /spec\.state: Unsupported value: "pending"/],
    ["a timestamp that is not RFC 3339", { source: "manual", name: "A", startsAt: "yesterday" }, /spec\.startsAt: Invalid value: "yesterday": spec\.startsAt in body must be of type date-time/],
    ["a label name Prometheus would refuse", { source: "manual", name: "A", labels: { "app.kubernetes.io/name": "web" } }, /spec\.labels: Invalid value: label name "app.kubernetes.io\/name" must match \[a-zA-Z_\]\[a-zA-Z0-9_\]\*/],
    ["a target namespace that is not a DNS label", { source: "manual", name: "A", target: { kind: "Deployment", namespace: "Shop_1", name: "web" } }, /spec\.target\.namespace: Invalid value: "Shop_1": spec\.target\.namespace in body should match/],
    ["a target kind that does not exist", { source: "manual", name: "A", target: { kind: "Service", namespace: "shop", name: "web" } }, /spec\.target\.kind: Unsupported value: "Service"/],
    ["a source with spaces", { source: "my tool", name: "A" }, /spec\.source: Invalid value: "my tool"/],
  ])("refuses %s with a message naming the field", async (_what, spec, message) => {
    const result = await createAlert("shop", "invalid", spec);
    expect(result).toMatch(/^ProductionAlert\.productionfixer\.io "invalid" is invalid: /);
    expect(result).toMatch(message);
  });
});

describe("the webhook against the apiserver", () => {
  let server: WebhookServer;
  let clients: ReturnType<typeof createKubeClients>;

  beforeAll(async () => {
    clients = createKubeClients(env().kubeConfig);
    server = await startWebhookServer({
      port: 0, host: "127.0.0.1", token: TOKEN, maxBodyBytes: 1 << 20,
      alerts: new KubeAlertWriter(clients.custom), logger: pino({ level: "silent" }), alertNamespace: "production-fixer",
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  function post(body: unknown, port = server.port): Promise<{ status: number; body: Record<string, unknown> }> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/alertmanager", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
      });
      req.on("error", reject);
      req.end(text);
    });
  }

  const alerts = (status: "firing" | "resolved", namespace: string): Record<string, unknown>[] =>
    Array.from({ length: 10 }, (_, i) => ({
      status,
      labels: { alertname: "KubePodCrashLooping", namespace, pod: `web-${i}`, container: "web", severity: "warning" },
      annotations: { summary: `web-${i} is crash looping` },
      startsAt: "2026-11-27T12:00:00Z",
      endsAt: status === "resolved" ? "2026-11-27T12:10:00Z" : "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph?g0.expr=rate%28kube_pod_container_status_restarts_total%5B5m%5D%29+%3E+0&g0.tab=1",
      fingerprint: `00000000000000${String(i).padStart(2, "0")}`,
    }));
  const payload = (list: Record<string, unknown>[]): Record<string, unknown> => ({
    version: "4", groupKey: "{}:{alertname=\"KubePodCrashLooping\"}", truncatedAlerts: 0, status: "firing", receiver: "pf",
    groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: "http://alertmanager:9093", alerts: list,
  });

  it("creates exactly one ProductionAlert per fingerprint under re-sends and updates only what changed", async () => {
    const first = await post(payload(alerts("firing", "shop")));
    expect(first).toMatchObject({ status: 200, body: { created: 10, updated: 0, unchanged: 0 } });
    const before = (await listAlerts("shop")).filter((a) => a.metadata.name?.startsWith("am-"));
    expect(before.map((a) => a.metadata.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `am-00000000000000${String(i).padStart(2, "0")}`));
    clients.requestCounter.reset();
    const resends = await Promise.all([post(payload(alerts("firing", "shop"))), post(payload(alerts("firing", "shop"))), post(payload(alerts("firing", "shop")))]);
    for (const r of resends) expect(r).toMatchObject({ status: 200, body: { created: 0, updated: 0, unchanged: 10 } });
    // This replica remembers what it stored: re-sends cost no request.
    expect(clients.requestCounter.snapshot()).toEqual({});

    // Another replica (a writer that remembers nothing) finds each object and leaves it alone.
    const other = createKubeClients(env().kubeConfig);
    const replica = await startWebhookServer({ port: 0, host: "127.0.0.1", token: TOKEN, maxBodyBytes: 1 << 20, alerts: new KubeAlertWriter(other.custom), logger: pino({ level: "silent" }) });
    try {
      expect(await post(payload(alerts("firing", "shop")), replica.port)).toMatchObject({ status: 200, body: { created: 0, updated: 0, unchanged: 10 } });
    } finally {
      await replica.close();
    }
    expect(other.requestCounter.snapshot()).toEqual({ "create productionalerts": 10, "get productionalerts": 10 });
    const after = (await listAlerts("shop")).filter((a) => a.metadata.name?.startsWith("am-"));
    expect(after.map((a) => a.metadata.resourceVersion)).toEqual(before.map((a) => a.metadata.resourceVersion));

    const resolved = await post(payload(alerts("resolved", "shop").slice(0, 3)));
    expect(resolved).toMatchObject({ status: 200, body: { created: 0, updated: 3, unchanged: 0 } });
    const stored = (await custom().getNamespacedCustomObject({ ...base, namespace: "shop", name: "am-0000000000000001" })) as ProductionAlert;
    expect(stored.spec).toMatchObject({ state: "resolved", endsAt: "2026-11-27T12:10:00Z", name: "KubePodCrashLooping", source: "alertmanager", fingerprint: "0000000000000001" });
    expect(stored.metadata.generation).toBe(2);
  });

  it("puts alerts whose namespace does not exist in the alert namespace", async () => {
    const list = alerts("firing", "no-such-namespace").slice(0, 1).map((a) => ({ ...a, fingerprint: "ffffffffffffffff" }));
    expect(await post(payload(list))).toMatchObject({ status: 200, body: { created: 1 } });
    expect((await listAlerts("production-fixer")).map((a) => a.metadata.name)).toEqual(["am-ffffffffffffffff"]);
  });

  it("answers 503 while the apiserver is down, so Alertmanager retries", async () => {
    await env().stopApiServer();
    try {
      const reply = await post(payload(alerts("firing", "shop").slice(0, 1)));
      expect(reply.status).toBe(503);
      expect(String(reply.body.error)).toMatch(/the Kubernetes API is unavailable; could not store alert KubePodCrashLooping/);
    } finally {
      await env().startApiServer();
    }
    expect((await post(payload(alerts("firing", "shop").slice(0, 1)))).status).toBe(200);
  });
});
