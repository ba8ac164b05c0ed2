// The operator's probe and metrics server: /healthz, /readyz, /metrics.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "./listen.js";
import type { Logger } from "./telemetry/logger.js";
import type { Metrics } from "./telemetry/metrics.js";

export interface ServerOptions {
  port: number;
  /** Default: every address. */
  host?: string;
  metrics: Metrics;
  healthy: () => boolean;
  /** true when ready; a string is the reason it is not ready. */
  ready: () => boolean | string;
  logger: Logger;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      opts.logger.error({ err, path: req.url }, "probe server request failed");
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const listening = await listen(server, { port: opts.port, ...(opts.host ? { host: opts.host } : {}), what: "/healthz, /readyz and /metrics" });
  opts.logger.info({ port: listening.port }, "serving /healthz, /readyz and /metrics");
  return listening;
}

async function handle(opts: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n");
  switch (path) {
    case "/healthz":
    case "/livez":
      return opts.healthy() ? send(res, 200, "ok\n") : send(res, 503, "unhealthy\n");
    case "/readyz": {
      const ready = opts.ready();
      return ready === true ? send(res, 200, "ok\n") : send(res, 503, `not ready: ${ready === false ? "starting" : ready}\n`);
    }
    case "/metrics": {
      const text = await opts.metrics.text();
      return send(res, 200, text, opts.metrics.contentType);
    }
    default:
      return send(res, 404, "not found\n");
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}
