// The typed API clients the operator uses, all sharing one KubeConfig and one
// request counter (every request through them is counted).
import {
  AppsV1Api, BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, EventsV1Api,
  createConfiguration, ServerConfiguration,
  type KubeConfig, type Middleware, type RequestContext, type ResponseContext,
} from "@kubernetes/client-node";
import { RequestCounter } from "./request-counter.js";

export { RequestCounter } from "./request-counter.js";

export interface KubeClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  events: EventsV1Api;
  /** Counts the requests of these clients (the one passed in, or a fresh one). */
  requestCounter: RequestCounter;
}

export const USER_AGENT = "production-fixer";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/**
 * client-node builds a new undici Agent (a new TLS connection) for every request.
 * Requests of one KubeClients share one Agent instead, so connections are kept
 * alive; it is renewed every maxAgeMs so rotated client certificates are picked up.
 */
export class SharedDispatcher {
  private current: Dispatcher | undefined;
  private createdAt = 0;

  constructor(
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  apply(ctx: RequestContext): void {
    const fresh = ctx.getDispatcher();
    if (!fresh) return;
    if (!this.current || this.now() - this.createdAt > this.maxAgeMs) {
      const old = this.current;
      this.current = fresh;
      this.createdAt = this.now();
      // close() lets requests in flight finish.
      old?.close().catch(() => undefined);
    }
    ctx.setDispatcher(this.current);
  }
}

/** A promise middleware counting each request and each failed response, on a shared connection pool. */
export function countingMiddleware(counter: RequestCounter, dispatcher = new SharedDispatcher()): Middleware {
  return {
    pre: async (ctx: RequestContext): Promise<RequestContext> => {
      const url = new URL(ctx.getUrl());
      counter.count(ctx.getHttpMethod(), url.pathname + url.search);
      ctx.setHeaderParam("User-Agent", USER_AGENT);
      dispatcher.apply(ctx);
      return ctx;
    },
    post: async (ctx: ResponseContext): Promise<ResponseContext> => {
      if (ctx.httpStatusCode >= 400) counter.error(ctx.httpStatusCode);
      return ctx;
    },
  };
}

type ApiConstructor<T> = new (config: ReturnType<typeof createConfiguration>) => T;

export function createKubeClients(kubeConfig: KubeConfig, opts: { requestCounter?: RequestCounter } = {}): KubeClients {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster; set a current-context");
  const requestCounter = opts.requestCounter ?? new RequestCounter();
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [countingMiddleware(requestCounter)],
  });
  const make = <T>(api: ApiConstructor<T>): T => new api(configuration);
  return {
    kubeConfig,
    core: make(CoreV1Api),
    apps: make(AppsV1Api),
    batch: make(BatchV1Api),
    custom: make(CustomObjectsApi),
    coordination: make(CoordinationV1Api),
    events: make(EventsV1Api),
    requestCounter,
  };
}
