// Counts every HTTP request the operator makes to the apiserver, by Kubernetes verb
// and resource, so benchmarks and metrics can tell how chatty the operator is.

export interface RequestCounterHooks {
  /** Called once per request, with the Kubernetes verb (get, list, watch, create, update, patch, delete). */
  onRequest?: (verb: string, path: string) => void;
  /** Called once per failed request with the HTTP status, or "network" when no response came. */
  onError?: (code: string) => void;
}

export class RequestCounter {
  private readonly counts = new Map<string, number>();
  private sum = 0;

  constructor(private readonly hooks: RequestCounterHooks = {}) {}

  /**
   * Counts one request. `verb` is a Kubernetes verb or an HTTP method (mapped with
   * the query), `path` the URL path with or without query and host.
   */
  count(verb: string, path: string): void {
    const kubeVerb = kubeVerbOf(verb, path);
    const key = `${kubeVerb} ${resourceOf(path)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.sum++;
    this.hooks.onRequest?.(kubeVerb, path);
  }

  /** Records a failed request (does not count it again). */
  error(code: number | string): void {
    this.hooks.onError?.(String(code));
  }

  total(): number {
    return this.sum;
  }

  /** Counts by "verb resource", e.g. {"list pods": 1, "watch pods": 3, "update productionincidents/status": 7}. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
    this.sum = 0;
  }
}

const METHOD_VERBS: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** The Kubernetes verb of a request: GET is get, list or watch depending on the path and query. */
export function kubeVerbOf(method: string, path: string): string {
  const upper = method.toUpperCase();
  if (upper !== "GET") return METHOD_VERBS[upper] ?? method.toLowerCase();
  const url = new URL(path, "http://x");
  if (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1") return "watch";
  const segments = resourceSegments(url.pathname);
  // Collection: [resource] or [resource] under a namespace; an object adds its name.
  return segments.length === 1 ? "list" : "get";
}

/** "pods", "pods/log", "productionincidents/status", "leases"... ("" for discovery paths). */
export function resourceOf(path: string): string {
  const segments = resourceSegments(new URL(path, "http://x").pathname);
  const [resource, , sub] = segments;
  if (!resource) return "";
  return sub ? `${resource}/${sub}` : resource;
}

function resourceSegments(pathname: string): string[] {
  const parts = pathname.split("/").filter(Boolean);
  // /api/v1/... or /apis/group/version/...
  let rest = parts[0] === "api" ? parts.slice(2) : parts[0] === "apis" ? parts.slice(3) : [];
  if (rest[0] === "namespaces" && rest.length > 2) rest = rest.slice(2);
  return rest;
}
