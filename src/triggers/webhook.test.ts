import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Metrics } from "../telemetry/metrics.js";
import type { AlertSpec } from "../api/alert.js";
import { NamespaceNotFoundError, stableJson, type AlertUpsert, type AlertWriter, type UpsertResult } from "./alert-writer.js";
import { startWebhookServer, tokenMatches, type WebhookServer, type WebhookServerOptions } from "./webhook.js";

/** An in-memory apiserver for alerts: namespaces that exist, objects by namespace/name. */
class MemoryWriter implements AlertWriter {
  readonly objects = new Map<string, AlertSpec>();
  writes = 0;
  failWith: Error | undefined;
  constructor(readonly namespaces = new Set(["production-fixer", "shop"])) {}
  async upsert(input: AlertUpsert): Promise<UpsertResult> {
    if (this.failWith) throw this.failWith;
    if (!this.namespaces.has(input.namespace)) throw new NamespaceNotFoundError(`namespace ${input.namespace} does not exist`);
    const key = `${input.namespace}/${input.name}`;
    const current = this.objects.get(key);
    if (current && stableJson(current) === stableJson(input.spec)) return "unchanged";
    this.writes++;
    this.objects.set(key, input.spec);
    return current ? "updated" : "created";
  }
}

const TOKEN = "s3cret-token";

function amAlert(fingerprint: string, labels: Record<string, string>, status: "firing" | "resolved" = "firing"): Record<string, unknown> {
  return {
    status,
    labels: { alertname: "MemoryHigh", severity: "critical", ...labels },
    annotations: { summary: "memory high", description: "working set above 90% of the limit" },
    startsAt: "2026-11-27T11:59:00.123456789Z",
    endsAt: status === "resolved" ? "2026-11-27T12:05:00Z" : "0001-01-01T00:00:00Z",
    generatorURL: "http://prom:9090/graph?g0.expr=up&g0.tab=1",
    fingerprint,
  };
}

function payload(alerts: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "4",
    groupKey: '{}:{alertname="MemoryHigh"}',
    truncatedAlerts: 0,
    status: "firing",
    receiver: "production-fixer",
    groupLabels: { alertname: "MemoryHigh" },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
    alerts,
    ...extra,
  };
}

interface Reply {
  status: number;
  body: { status?: string; error?: string; created?: number; updated?: number; unchanged?: number };
  headers: Record<string, string | string[] | undefined>;
}

function send(port: number, opts: { method?: string; path?: string; token?: string | null; body?: string | Buffer; headers?: Record<string, string> }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
    const req = request({ host: "127.0.0.1", port, method: opts.method ?? "POST", path: opts.path ?? "/alertmanager", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Reply["body"], headers: res.headers }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

let server: WebhookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(writer: AlertWriter, opts: Partial<WebhookServerOptions> = {}): Promise<{ port: number; metrics: Metrics }> {
  const metrics = new Metrics();
  server = await startWebhookServer({ port: 0, host: "127.0.0.1", token: TOKEN, maxBodyBytes: 64 * 1024, alerts: writer, logger: pino({ level: "silent" }), metrics, ...opts });
  return { port: server.port, metrics };
}

describe("the Alertmanager webhook", () => {
  it("creates one ProductionAlert per fingerprint in the namespace the labels name, and re-sends change nothing", async () => {
    const writer = new MemoryWriter();
    const { port, metrics } = await start(writer);
    const body = JSON.stringify(payload([amAlert("a1b2c3d4e5f60718", { namespace: "shop", pod: "web-1" }), amAlert("0000000000000001", { namespace: "gone" })]));
    const first = await send(port, { body });
    expect(first).toMatchObject({ status: 200, body: { status: "ok", created: 2, updated: 0, unchanged: 0 } });
    expect([...writer.objects.keys()].sort()).toEqual(["production-fixer/am-0000000000000001", "shop/am-a1b2c3d4e5f60718"]);
    expect(writer.objects.get("shop/am-a1b2c3d4e5f60718")).toEqual({
      source: "alertmanager",
      name: "MemoryHigh",
      severity: "critical",
      summary: "memory high",
      description: "working set above 90% of the limit",
      labels: { alertname: "MemoryHigh", namespace: "shop", pod: "web-1", severity: "critical" },
      annotations: { description: "working set above 90% of the limit", summary: "memory high" },
      state: "firing",
      startsAt: "2026-11-27T11:59:00.123456789Z",
      generatorURL: "http://prom:9090/graph?g0.expr=up&g0.tab=1",
      fingerprint: "a1b2c3d4e5f60718",
    });
    const again = await send(port, { body });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(writer.writes).toBe(2);
    const resolved = await send(port, { body: JSON.stringify(payload([amAlert("a1b2c3d4e5f60718", { namespace: "shop", pod: "web-1" }, "resolved")])) });
    expect(resolved.body).toMatchObject({ updated: 1 });
    expect(writer.objects.get("shop/am-a1b2c3d4e5f60718")).toMatchObject({ state: "resolved", endsAt: "2026-11-27T12:05:00Z" });
    expect((await metrics.registry.getSingleMetric("production_fixer_webhook_requests_total")?.get())?.values).toEqual([expect.objectContaining({ labels: { code: "200" }, value: 3 })]);
  });

  it("keeps alerts of unwatched namespaces in the alert namespace", async () => {
    const writer = new MemoryWriter();
    const { port } = await start(writer, { isWatched: (ns) => ns !== "shop" });
    await send(port, { body: JSON.stringify(payload([amAlert("abc", { namespace: "shop" })])) });
    expect([...writer.objects.keys()]).toEqual(["production-fixer/am-abc"]);
  });

  it("drops label names the CRD would refuse and derives a name from an odd fingerprint", async () => {
    const writer = new MemoryWriter();
    const { port } = await start(writer);
    await send(port, { body: JSON.stringify(payload([amAlert("Not/Hex!", { "bad-name": "x", "utf8.name": "y" })])) });
    const [key, spec] = [...writer.objects][0]!;
    expect(key).toMatch(/^production-fixer\/am-[0-9a-f]{20}$/);
    expect(Object.keys(spec.labels ?? {})).toEqual(["alertname", "severity"]);
  });

  describe("authentication", () => {
    it("refuses a missing or wrong token with 401", async () => {
      const { port } = await start(new MemoryWriter());
      const body = JSON.stringify(payload([]));
      const missing = await send(port, { token: null, body });
      expect(missing).toMatchObject({ status: 401, body: { error: "missing Authorization: Bearer <token> header" } });
      expect(missing.headers["www-authenticate"]).toContain("Bearer");
      expect(await send(port, { token: "s3cret-tokeN", body })).toMatchObject({ status: 401, body: { error: "the bearer token is wrong" } });
      expect(await send(port, { token: "s3cret-token-longer", body })).toMatchObject({ status: 401 });
      expect((await send(port, { body })).status).toBe(200);
    });

    it("refuses everything when no token is configured, and says so", async () => {
      const { port } = await start(new MemoryWriter(), { token: undefined });
      const reply = await send(port, { body: JSON.stringify(payload([])) });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toMatch(/no token configured/);
    });

    it("compares in constant time over equal-length digests", () => {
      expect(tokenMatches("Bearer abc", "abc")).toBe(true);
      expect(tokenMatches("bearer  abc ", "abc")).toBe(true);
      expect(tokenMatches("Basic abc", "abc")).toBe(false);
      expect(tokenMatches("Bearer ab", "abc")).toBe(false);
      expect(tokenMatches(undefined, "abc")).toBe(false);
    });
  });

  describe("bad requests", () => {
    it("names what is wrong in the payload", async () => {
      const { port } = await start(new MemoryWriter());
      const bad = payload([{ ...amAlert("f1", {}), status: "pending", labels: { severity: "x" } }, { ...amAlert("f2", {}), startsAt: "yesterday" }], { version: "3" });
      const reply = await send(port, { body: JSON.stringify(bad) });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toContain('version: must be "4"');
      expect(reply.body.error).toContain("alerts[0].status:");
      expect(reply.body.error).toContain("alerts[0].labels: must include alertname");
      expect(reply.body.error).toContain("alerts[1].startsAt: must be an RFC 3339 timestamp");
    });

    it("says when the body is not JSON", async () => {
      const { port } = await start(new MemoryWriter());
      const reply = await send(port, { body: "{not json" });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatch(/^the body is not JSON/);
    });

    it("answers 413 over the size limit, by Content-Length or by bytes read", async () => {
      const { port } = await start(new MemoryWriter(), { maxBodyBytes: 1024 });
      const big = Buffer.alloc(10 * 1024 * 1024, "a");
      const declared = await send(port, { body: big });
      expect(declared).toMatchObject({ status: 413, body: { error: `the body of ${big.length} bytes exceeds the limit of 1024 bytes` } });
      const chunked = await send(port, { body: Buffer.alloc(4096, "a"), headers: { "transfer-encoding": "chunked" } });
      expect(chunked).toMatchObject({ status: 413, body: { error: "the body exceeds the limit of 1024 bytes" } });
    });

    it("answers 404 elsewhere and 405 for other methods", async () => {
      const { port } = await start(new MemoryWriter());
      expect((await send(port, { path: "/" })).status).toBe(404);
      const get = await send(port, { method: "GET" });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe("POST");
    });
  });

  describe("apiserver failures", () => {
    it("answers 503 when the apiserver is unavailable, so Alertmanager retries", async () => {
      const writer = new MemoryWriter();
      writer.failWith = new Error("could not create ProductionAlert", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      const { port } = await start(writer);
      const reply = await send(port, { body: JSON.stringify(payload([amAlert("abc", {})])) });
      expect(reply.status).toBe(503);
      expect(reply.body.error).toMatch(/Kubernetes API is unavailable; could not store alert MemoryHigh \(fingerprint abc\)/);
    });

    it("answers 400 when the apiserver refuses the alert", async () => {
      const writer = new MemoryWriter();
      writer.failWith = new Error("could not create", { cause: Object.assign(new Error("HTTP-Code: 422"), { code: 422, body: JSON.stringify({ reason: "Invalid", message: "spec.name: Too long" }) }) });
      const { port } = await start(writer);
      const reply = await send(port, { body: JSON.stringify(payload([amAlert("abc", {})])) });
      expect(reply).toMatchObject({ status: 400, body: { error: "the Kubernetes API refused alert MemoryHigh (fingerprint abc): spec.name: Too long" } });
    });
  });
});
