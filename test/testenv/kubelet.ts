// A fake kubelet: an HTTPS server on 127.0.0.1 registered as a Node, so that the
// real apiserver proxies pods/log (and nodes/proxy) to it. It serves container logs
// and cAdvisor metrics that tests set, and answers like a kubelet when a container
// or its previous instance does not exist.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { checkLogRequest, LogStore, renderLog, type LogQuery, type SetLogInput } from "./kubelet-logs.js";
import { MetricsStore, type ContainerMetrics } from "./kubelet-metrics.js";
import { registerNode } from "./node.js";

export type { SetLogInput } from "./kubelet-logs.js";
export type { ContainerMetrics } from "./kubelet-metrics.js";

export interface FakeKubeletOptions {
  /** Admin client: the kubelet reads pods and writes its Node. */
  core: CoreV1Api;
  /** Serving certificate and key (TestCluster.servingTls works; the apiserver does not verify it). */
  tls: { cert: string; key: string };
  nodeName?: string;
  kubeletVersion?: string;
  clock?: () => Date;
}

export class FakeKubelet {
  readonly nodeName: string;
  private readonly logs: LogStore;
  private readonly metrics = new MetricsStore();
  private readonly clock: () => Date;
  private server: Server | undefined;

  constructor(private readonly opts: FakeKubeletOptions) {
    this.nodeName = opts.nodeName ?? "testenv-node";
    this.clock = opts.clock ?? ((): Date => new Date());
    this.logs = new LogStore(this.clock);
  }

  /** Listens on a free port of 127.0.0.1 and registers the Node. Returns the port. */
  async start(): Promise<number> {
    const server = createServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => reply(res, 500, `internal error: ${String(err)}`));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    await registerNode(this.opts.core, {
      name: this.nodeName,
      kubeletPort: port,
      kubeletVersion: this.opts.kubeletVersion ?? "v1.36.3",
      now: this.clock(),
    });
    return port;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  setLog(input: SetLogInput): void {
    this.logs.set(input);
  }

  setMetrics(metrics: ContainerMetrics): void {
    this.metrics.set(metrics);
  }

  /** The body of /metrics/cadvisor. */
  renderMetrics(): string {
    return this.metrics.render();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://kubelet");
    if (req.method !== "GET") return reply(res, 405, "method not allowed");
    if (url.pathname === "/healthz") return reply(res, 200, "ok");
    if (url.pathname === "/metrics/cadvisor") return reply(res, 200, this.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (match) return this.serveLogs(res, match.slice(1).map(decodeURIComponent) as [string, string, string], url.searchParams);
    return reply(res, 404, "404 page not found");
  }

  private async serveLogs(res: ServerResponse, [namespace, podName, container]: [string, string, string], params: URLSearchParams): Promise<void> {
    const pod = await this.readPod(namespace, podName);
    if (!pod || pod.spec?.nodeName !== this.nodeName) return reply(res, 404, `pod "${podName}" does not exist`);
    const previous = params.get("previous") === "true";
    const refusal = checkLogRequest(pod, container, previous);
    if (refusal) return reply(res, refusal.status, refusal.message);
    const entries = this.logs.get(namespace, podName, container, previous);
    reply(res, 200, renderLog(entries, logQuery(params), this.clock()));
  }

  private async readPod(namespace: string, name: string): Promise<V1Pod | undefined> {
    try {
      return await this.opts.core.readNamespacedPod({ namespace, name });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }
}

export function logQuery(params: URLSearchParams): LogQuery {
  const int = (name: string): number | undefined => {
    const v = params.get(name);
    return v === null || v === "" ? undefined : Number.parseInt(v, 10);
  };
  const sinceTime = params.get("sinceTime");
  return {
    tailLines: int("tailLines"),
    limitBytes: int("limitBytes"),
    sinceSeconds: int("sinceSeconds"),
    sinceTime: sinceTime ? new Date(sinceTime) : undefined,
    timestamps: params.get("timestamps") === "true",
  };
}

function reply(res: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Creates and starts a fake kubelet. */
export async function startFakeKubelet(opts: FakeKubeletOptions): Promise<FakeKubelet> {
  const kubelet = new FakeKubelet(opts);
  await kubelet.start();
  return kubelet;
}
