// The API clients behind LiveView, one set per KubeConfig: every view of the same
// KubeConfig (one per investigation) shares them, so investigations reuse
// keep-alive connections instead of a TLS handshake per request, and kinds are
// resolved from the table LiveView already has instead of API discovery (which
// costs a request per API group on every new client).
import {
  CoreV1Api, createConfiguration, KubernetesObjectApi, ServerConfiguration,
  type Configuration, type KubeConfig, type Middleware, type RequestContext, type ResponseContext, type V1APIResource,
} from "@kubernetes/client-node";
import { SharedDispatcher, USER_AGENT } from "../kube/clients.js";

export interface KnownKind {
  plural: string;
  namespaced: boolean;
}

/** Finds a kind's resource in a table; a kind it does not know falls back to discovery. */
export class KnownKindsObjectApi extends KubernetesObjectApi {
  constructor(
    configuration: Configuration,
    private readonly known: (apiVersion: string, kind: string) => KnownKind | undefined,
  ) {
    super(configuration);
  }

  protected override async resource(apiVersion: string, kind: string, options?: Configuration): Promise<V1APIResource | undefined> {
    const k = this.known(apiVersion, kind);
    if (!k) return super.resource(apiVersion, kind, options);
    return { kind, name: k.plural, namespaced: k.namespaced, singularName: "", verbs: ["get", "list"] };
  }
}

export interface LiveClients {
  objects: KubernetesObjectApi;
  core: CoreV1Api;
}

function pooled(dispatcher: SharedDispatcher): Middleware {
  return {
    pre: async (ctx: RequestContext): Promise<RequestContext> => {
      ctx.setHeaderParam("User-Agent", USER_AGENT);
      dispatcher.apply(ctx);
      return ctx;
    },
    post: async (ctx: ResponseContext): Promise<ResponseContext> => ctx,
  };
}

const shared = new WeakMap<KubeConfig, LiveClients>();

/** The clients of a KubeConfig, made on first use and shared afterwards. */
export function liveClients(kubeConfig: KubeConfig, known: (apiVersion: string, kind: string) => KnownKind | undefined): LiveClients {
  const existing = shared.get(kubeConfig);
  if (existing) return existing;
  const made = makeClients(kubeConfig, known);
  shared.set(kubeConfig, made);
  return made;
}

function makeClients(kubeConfig: KubeConfig, known: (apiVersion: string, kind: string) => KnownKind | undefined): LiveClients {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster; set a current-context");
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [pooled(new SharedDispatcher())],
  });
  return { objects: new KnownKindsObjectApi(configuration, known), core: new CoreV1Api(configuration) };
}
