// The Alertmanager webhook: POST /alertmanager with a bearer token. Each alert of
// the payload becomes (or updates) one ProductionAlert named after its
// fingerprint, so re-sends change nothing. Answers: 200 done, 400 bad payload,
// 401 no or wrong token, 404/405 elsewhere, 413 too big, 503 when the apiserver
// is unavailable (Alertmanager retries 5xx, never 4xx). See docs/adr/0030-webhook-replicas.md.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "../listen.js";
import type { AlertSpec } from "../api/alert.js";
import { isRetryable } from "../kube/errors.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { NamespaceNotFoundError, type AlertWriter, type UpsertResult } from "./alert-writer.js";
import { alertObjectName, alertSpecOf, labelNamespace } from "./webhook-alerts.js";
import { parseWebhookPayload, type WebhookAlert } from "./webhook-payload.js";

export const WEBHOOK_PATH = "/alertmanager";
const WRITE_CONCURRENCY = 8;

export interface WebhookServerOptions {
  port: number;
  host?: string;
  /** Bearer token Alertmanager must send; without one every request gets 401. */
  token?: string;
  maxBodyBytes: number;
  alerts: AlertWriter;
  logger: Logger;
  metrics?: Metrics;
  /** Namespace of alerts whose labels name no existing, watched namespace; default "production-fixer". */
  alertNamespace?: string;
  /** Whether a namespace is watched (config.namespaces / excludeNamespaces); default: all are. */
  isWatched?: (namespace: string) => boolean;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Constant-time token check: both sides hashed to 32 bytes, so neither content nor length leaks. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  const given = createHash("sha256").update(match?.[1]?.trim() ?? "").digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

/** Reads the body, failing with 413 as soon as it is known to be too big (Content-Length or bytes read). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new HttpError(413, `the body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop reading; the connection is closed once the 413 is sent.
      req.off("data", onData);
      req.pause();
      reject(new HttpError(413, `the body exceeds the limit of ${maxBytes} bytes`));
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", (err) => reject(new HttpError(400, "the request body could not be read", { cause: err })));
  });
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

class WebhookHandler {
  private readonly alertNamespace: string;

  constructor(private readonly opts: WebhookServerOptions) {
    this.alertNamespace = opts.alertNamespace ?? "production-fixer";
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 200;
    try {
      const counts = await this.serve(req);
      reply(res, 200, { status: "ok", ...counts });
    } catch (err) {
      status = err instanceof HttpError ? err.status : 500;
      this.failed(req, res, status, err);
    } finally {
      this.opts.metrics?.webhookRequests.inc({ code: String(status) });
    }
  }

  private failed(req: IncomingMessage, res: ServerResponse, status: number, err: unknown): void {
    const message = err instanceof HttpError ? err.message : "internal error";
    const log = status >= 500 ? this.opts.logger.warn.bind(this.opts.logger) : this.opts.logger.info.bind(this.opts.logger);
    log({ err, status, method: req.method, path: req.url }, `webhook request refused: ${message.split("\n")[0]}`);
    const headers: Record<string, string> = {};
    if (status === 405) headers.allow = "POST";
    if (status === 401) headers["www-authenticate"] = 'Bearer realm="production-fixer"';
    if (status === 413) headers.connection = "close";
    reply(res, status, { status: "error", error: message }, headers);
    // Stop reading an oversized body: the connection is closed after the answer. (Node discards
    // the unread rest of a small body by itself.)
    if (status === 413) res.once("finish", () => req.destroy());
  }

  private async serve(req: IncomingMessage): Promise<Counts> {
    const path = new URL(req.url ?? "/", "http://webhook").pathname;
    if (path !== WEBHOOK_PATH) throw new HttpError(404, `not found: the webhook listens on POST ${WEBHOOK_PATH}`);
    if (req.method !== "POST") throw new HttpError(405, `method ${req.method} not allowed: use POST ${WEBHOOK_PATH}`);
    this.authenticate(req);
    const parsed = parseWebhookPayload(await readBody(req, this.opts.maxBodyBytes));
    if (!parsed.ok) throw new HttpError(400, parsed.message);
    return this.write(parsed.payload.alerts);
  }

  private authenticate(req: IncomingMessage): void {
    const token = this.opts.token;
    if (!token) throw new HttpError(401, "the webhook has no token configured (webhook.token, PF_WEBHOOK_TOKEN), so it refuses every request");
    const header = req.headers.authorization;
    if (!header) throw new HttpError(401, "missing Authorization: Bearer <token> header");
    if (!tokenMatches(header, token)) throw new HttpError(401, "the bearer token is wrong");
  }

  private async write(alerts: WebhookAlert[]): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < alerts.length) {
        const alert = alerts[next++]!;
        counts[await this.writeOne(alert)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, alerts.length) }, worker));
    return counts;
  }

  private async writeOne(alert: WebhookAlert): Promise<UpsertResult> {
    const name = alertObjectName(alert.fingerprint);
    const spec = alertSpecOf(alert);
    const wanted = labelNamespace(alert.labels);
    const watched = wanted !== undefined && (this.opts.isWatched?.(wanted) ?? true);
    try {
      const inTarget = watched && wanted !== this.alertNamespace ? await this.upsertIfNamespaceExists(wanted, name, spec) : undefined;
      return inTarget ?? (await this.opts.alerts.upsert({ namespace: this.alertNamespace, name, spec }));
    } catch (err) {
      throw classify(err, `${spec.name} (fingerprint ${alert.fingerprint})`);
    }
  }

  /** Undefined when the namespace does not exist. */
  private async upsertIfNamespaceExists(namespace: string, name: string, spec: AlertSpec): Promise<UpsertResult | undefined> {
    try {
      return await this.opts.alerts.upsert({ namespace, name, spec });
    } catch (err) {
      if (err instanceof NamespaceNotFoundError) return undefined;
      throw err;
    }
  }
}

/** 503 when retrying can help (apiserver down, 429, 5xx); 400 when the apiserver refused the alert. */
function classify(err: unknown, what: string): HttpError {
  if (err instanceof NamespaceNotFoundError) return new HttpError(503, `could not store alert ${what}: ${err.message}`, { cause: err });
  if (isRetryable(err)) return new HttpError(503, `the Kubernetes API is unavailable; could not store alert ${what}`, { cause: err });
  const detail = apiMessage(err);
  return new HttpError(400, `the Kubernetes API refused alert ${what}${detail ? `: ${detail}` : ""}`, { cause: err });
}

/** The apiserver's Status message in an error's body, looking through causes. */
function apiMessage(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const message = statusMessage((e as { body?: unknown }).body);
    if (message) return message;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts the webhook server; resolves once it listens. */
export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  if (!Number.isInteger(opts.maxBodyBytes) || opts.maxBodyBytes < 1) throw new Error(`webhook maxBodyBytes must be a positive integer, got ${opts.maxBodyBytes}`);
  const handler = new WebhookHandler(opts);
  const server = createServer((req, res) => void handler.handle(req, res));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const listening = await listen(server, { port: opts.port, ...(opts.host ? { host: opts.host } : {}), what: "the Alertmanager webhook" });
  if (!opts.token) opts.logger.warn("the Alertmanager webhook has no token (webhook.token); it refuses every request with 401");
  opts.logger.info({ port: listening.port, path: WEBHOOK_PATH }, "Alertmanager webhook listening");
  return listening;
}
