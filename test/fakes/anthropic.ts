// A fake of the Anthropic Messages API that speaks the wire protocol the SDK
// sees: POST /v1/messages (JSON, no streaming) and POST
// /v1/messages/count_tokens, the message envelope with usage, tool_use blocks
// and stop_reason, error bodies {type:"error", error:{type, message}} with the
// real status codes, and a request-id header on every response.
//
// It is scripted per test — a queue of replies, or a function of the request —
// and records every request. Tokens are estimated from request size and
// prompt caching is modelled; see anthropic-tokens.ts for both.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PromptCache, estimateTokens, type PromptUsage } from "./anthropic-tokens.js";
import { checkMessagesBody } from "./anthropic-validate.js";

export type FakeBlock = { type: "text"; text: string } | { type: "tool_use"; name: string; input: unknown; id?: string };

export interface FakeMessageReply {
  content: FakeBlock[];
  /** Defaults to "tool_use" when a tool_use block is present, else "end_turn". */
  stop_reason?: "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal";
}

export interface FakeErrorReply {
  error: { status: number; type?: string; message?: string };
  /** Value of the retry-after header (seconds; fractions are honoured by the SDK). */
  retryAfter?: string;
}

export type FakeReply = FakeMessageReply | FakeErrorReply;

export interface RecordedRequest {
  /** 0-based position among all requests to /v1/messages (retries included). */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw request body as received. */
  raw: string;
  body: Record<string, unknown> | undefined;
  status: number;
  requestId: string;
  usage?: PromptUsage & { output_tokens: number };
}

export type FakeScript = FakeReply[] | ((req: RecordedRequest) => FakeReply | Promise<FakeReply>);

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`. */
  url: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeOptions {
  apiKey?: string;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

// ---- reply builders -------------------------------------------------------

export const text = (t: string): FakeBlock => ({ type: "text", text: t });
export const toolUse = (name: string, input: unknown, id?: string): FakeBlock => ({ type: "tool_use", name, input, ...(id ? { id } : {}) });
export const reply = (...content: FakeBlock[]): FakeMessageReply => ({ content });
export const apiError = (status: number, message = "", retryAfter?: string): FakeErrorReply => ({
  error: { status, message: message || `fake ${ERROR_TYPES[status] ?? "error"}` },
  ...(retryAfter !== undefined ? { retryAfter } : {}),
});
export const overloaded = (retryAfter = "0.01"): FakeErrorReply => apiError(529, "Overloaded", retryAfter);
export const rateLimited = (retryAfter = "0.01"): FakeErrorReply => apiError(429, "Number of request tokens has exceeded your per-minute rate limit", retryAfter);

// ---- server ---------------------------------------------------------------

export async function startFakeAnthropic(script: FakeScript, opts: FakeOptions = {}): Promise<FakeAnthropic> {
  const apiKey = opts.apiKey ?? "sk-ant-fake-key";
  const state = { requests: [] as RecordedRequest[], cache: new PromptCache(), queue: Array.isArray(script) ? [...script] : undefined, messages: 0 };
  const next = async (rec: RecordedRequest): Promise<FakeReply> => {
    if (typeof script === "function") return script(rec);
    return state.queue?.shift() ?? apiError(400, `the fake's script has no reply for request #${rec.index}`);
  };
  const server = createServer((req, res) => {
    handle(req, res, { apiKey, state, next }).catch((cause: unknown) => {
      sendError(res, "req_fake_internal", { status: 500, message: `fake failed: ${String(cause)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests: state.requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

interface Ctx {
  apiKey: string;
  state: { requests: RecordedRequest[]; cache: PromptCache; messages: number };
  next: (rec: RecordedRequest) => Promise<FakeReply>;
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const raw = await readBody(req);
  const path = (req.url ?? "/").split("?")[0]!;
  const rec: RecordedRequest = { index: -1, method: req.method ?? "", path, headers: req.headers, raw, body: parseJson(raw), status: 0, requestId: `req_${randomId()}` };
  ctx.state.requests.push(rec);
  const fail = (status: number, message: string): void => {
    rec.status = status;
    sendError(res, rec.requestId, { status, message });
  };
  if (req.method !== "POST" || (path !== "/v1/messages" && path !== "/v1/messages/count_tokens")) return fail(404, `no route ${req.method} ${path}`);
  if (!authorised(req, ctx.apiKey)) return fail(401, "invalid x-api-key");
  if (!req.headers["anthropic-version"]) return fail(400, "anthropic-version: header is required");
  if (!rec.body) return fail(400, "request body is not valid JSON");
  const invalid = checkMessagesBody(rec.body, path === "/v1/messages/count_tokens");
  if (invalid) return fail(400, invalid);
  if (path === "/v1/messages/count_tokens") {
    const usage = new PromptCache().account(String(rec.body.model), rec.body);
    rec.status = 200;
    return sendJson(res, rec.requestId, { status: 200, body: { input_tokens: usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens } });
  }
  if (rec.body.stream === true) return fail(400, "stream: the fake serves non-streaming requests only");
  rec.index = ctx.state.messages++;
  const scripted = await ctx.next(rec);
  if ("error" in scripted) {
    rec.status = scripted.error.status;
    return sendError(res, rec.requestId, { status: scripted.error.status, message: scripted.error.message ?? "", retryAfter: scripted.retryAfter, type: scripted.error.type });
  }
  rec.status = 200;
  sendJson(res, rec.requestId, { status: 200, body: messageEnvelope(rec, scripted, ctx.state.cache) });
}

function messageEnvelope(rec: RecordedRequest, scripted: FakeMessageReply, cache: PromptCache): Record<string, unknown> {
  const body = rec.body!;
  const model = String(body.model);
  const content = scripted.content.map((b) => (b.type === "tool_use" ? { type: "tool_use", id: b.id ?? `toolu_${randomId()}`, name: b.name, input: b.input, caller: { type: "direct" } } : { type: "text", text: b.text, citations: null }));
  const prompt = cache.account(model, body);
  const output = Math.min(Number(body.max_tokens), estimateTokens(JSON.stringify(content)));
  rec.usage = { ...prompt, output_tokens: output };
  const stop = scripted.stop_reason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
  return {
    id: `msg_${randomId()}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      ...prompt,
      output_tokens: output,
      cache_creation: { ephemeral_5m_input_tokens: prompt.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
      service_tier: "standard",
      server_tool_use: null,
    },
  };
}

function authorised(req: IncomingMessage, key: string): boolean {
  return req.headers["x-api-key"] === key || req.headers.authorization === `Bearer ${key}`;
}

interface Outgoing {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function sendJson(res: ServerResponse, requestId: string, out: Outgoing): void {
  res.writeHead(out.status, { "content-type": "application/json", "request-id": requestId, ...out.headers });
  res.end(JSON.stringify(out.body));
}

interface ErrorOut {
  status: number;
  message: string;
  retryAfter?: string | undefined;
  type?: string | undefined;
}

function sendError(res: ServerResponse, requestId: string, e: ErrorOut): void {
  const headers: Record<string, string> = e.retryAfter !== undefined ? { "retry-after": e.retryAfter } : {};
  const errorType = e.type ?? ERROR_TYPES[e.status] ?? (e.status >= 500 ? "api_error" : "invalid_request_error");
  sendJson(res, requestId, { status: e.status, body: { type: "error", error: { type: errorType, message: e.message }, request_id: requestId }, headers });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function randomId(): string {
  return randomBytes(12).toString("base64url");
}
