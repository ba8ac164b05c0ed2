// Classify errors of the Kubernetes API by HTTP status (client-node 2.x throws
// ApiException with `.code`; our own watch/list code throws KubeHttpError with `.code`).

/** An HTTP error from the apiserver outside the generated clients (informer list/watch). */
export class KubeHttpError extends Error {
  override name = "KubeHttpError";
  constructor(
    message: string,
    readonly code: number,
    readonly body?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED",
]);

function codeOf(err: unknown): unknown {
  return typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
}

/** The HTTP status of an API error, looking through `cause` chains; undefined for network errors. */
export function statusOf(err: unknown): number | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = codeOf(e);
    if (typeof code === "number" && code >= 100 && code < 600) return code;
    const statusCode = (e as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === "number") return statusCode;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusOf(err) === 409 && reasonOf(err) !== "AlreadyExists";
export const isAlreadyExists = (err: unknown): boolean => statusOf(err) === 409 && reasonOf(err) !== "Conflict";
export const isGone = (err: unknown): boolean => statusOf(err) === 410;

/** True for errors worth retrying with backoff: 429, 5xx, timeouts and network failures. */
export function isRetryable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return status === 429 || status >= 500;
  return isNetworkError(err);
}

/** A connection-level failure (refused, reset, timed out, aborted by timeout). */
export function isNetworkError(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = codeOf(e);
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    const name = (e as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "FetchError") return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The `reason` of a Kubernetes Status in the error body (AlreadyExists, Conflict, Expired...), when there is one. */
export function reasonOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const body = (e as { body?: unknown }).body;
    const parsed = typeof body === "string" ? safeJson(body) : body;
    const reason = (parsed as { reason?: unknown } | undefined)?.reason;
    if (typeof reason === "string") return reason;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
