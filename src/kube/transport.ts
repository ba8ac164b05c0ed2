// Raw list and watch requests to the apiserver over node:https with the KubeConfig's
// TLS and auth options. The informer uses this instead of the generated clients so
// that pages are parsed once as plain JSON (no model classes) and watch lines stream.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeHttpError } from "./errors.js";
import type { RequestCounter } from "./request-counter.js";

export type Query = Record<string, string | number | boolean | undefined>;

export interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

/** What an informer needs from the apiserver; tests pass a fake. */
export interface InformerTransport {
  list<T>(path: string, query: Query, signal: AbortSignal): Promise<ListPage<T>>;
  /** Resolves when the server ends the watch; rejects on errors. onEvent is called per line, in order. */
  watch<T>(path: string, query: Query, signal: AbortSignal, onEvent: (event: WatchEvent<T>) => void): Promise<void>;
}

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export class HttpsTransport implements InformerTransport {
  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly counter?: RequestCounter,
  ) {}

  async list<T>(path: string, query: Query, signal: AbortSignal): Promise<ListPage<T>> {
    const res = await this.open(path, query, signal);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as ListPage<T>;
  }

  async watch<T>(path: string, query: Query, signal: AbortSignal, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    const res = await this.open(path, { ...query, watch: true }, signal);
    res.setEncoding("utf8");
    let buffered = "";
    try {
      for await (const chunk of res) {
        buffered += chunk as string;
        buffered = emitLines(buffered, onEvent);
      }
    } finally {
      res.destroy();
    }
    if (signal.aborted) throw signal.reason;
  }

  private async open(path: string, query: Query, signal: AbortSignal): Promise<IncomingMessage> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    const target = new URL(withQuery(path, query), cluster.server);
    const opts: RequestOptions & Record<string, unknown> = { method: "GET", headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    this.counter?.count("GET", target.pathname + target.search);
    // A watch ends by itself after timeoutSeconds; a connection silent for longer is dead.
    const idleMs = (Number(query.timeoutSeconds ?? 0) + 60) * 1000;
    const res = await send(target, { ...opts, headers: { ...opts.headers, accept: "application/json", "user-agent": "production-fixer" }, signal }, idleMs);
    if (res.statusCode === 200) return res;
    const body = await readText(res);
    this.counter?.error(res.statusCode ?? 0);
    throw new KubeHttpError(`GET ${target.pathname} returned ${res.statusCode}: ${statusMessage(body)}`, res.statusCode ?? 0, body);
  }
}

/** Emits each complete line as a watch event; returns the incomplete rest. */
function emitLines<T>(text: string, onEvent: (event: WatchEvent<T>) => void): string {
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    const line = text.slice(start, nl);
    start = nl + 1;
    if (line.trim() !== "") onEvent(JSON.parse(line) as WatchEvent<T>);
  }
  return text.slice(start);
}

function send(url: URL, opts: RequestOptions, idleMs: number): Promise<IncomingMessage> {
  const request = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, opts, resolve);
    req.once("error", reject);
    req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data from ${url.pathname} for ${idleMs} ms`), { code: "ETIMEDOUT" })));
    req.end();
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").slice(0, 4096);
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    return status.message ?? body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}
