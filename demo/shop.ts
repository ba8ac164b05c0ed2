// The demo's shop: a few healthy services and six broken ones, each broken the way
// real services break, driven the way a kubelet and a scheduler would report it.
import type { CoreV1Api, V1Container, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { Category } from "../src/api/diagnosis.js";
import type { FakeKubelet } from "../test/testenv/kubelet.js";
import type { PodDriver } from "../test/testenv/drivers.js";
import { createDeploymentChain, markDeploymentReady, rolloutDeployment, type WorkloadDeps } from "../test/testenv/workloads.js";

export const NAMESPACE = "shop";

export interface ShopDeps extends WorkloadDeps {
  core: CoreV1Api;
  kubelet: FakeKubelet;
  pods: PodDriver;
}

export interface Service {
  name: string;
  /** What a person would say is wrong; undefined for healthy services. */
  broken?: string;
  /** The category the responder should name. */
  expect?: Category;
  deploy(deps: ShopDeps): Promise<void>;
}

function template(name: string, container: Partial<V1Container>): V1PodTemplateSpec {
  return {
    metadata: { labels: { app: name } },
    spec: {
      containers: [{ name, image: `ghcr.io/acme-shop/${name}:1.8.2`, ports: [{ containerPort: 8080, name: "http" }], ...container }],
    },
  };
}

function healthy(name: string): Service {
  return {
    name,
    async deploy(deps: ShopDeps): Promise<void> {
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name, template: template(name, {}), replicas: 2 });
      for (const pod of chain.pods) {
        await deps.pods.running({ namespace: NAMESPACE, name: pod.metadata!.name! });
        deps.kubelet.setLog({ namespace: NAMESPACE, pod: pod.metadata!.name!, container: name, text: `{"level":"info","msg":"listening","addr":":8080","service":"${name}"}\n` });
      }
      await markDeploymentReady(deps, { namespace: NAMESPACE, name });
    },
  };
}

/** Runs `crashes` crash-loop cycles on every pod of the chain, with the given previous log. */
async function crashAll(deps: ShopDeps, pods: string[], container: string, opts: { log: string; exitCode?: number; reason?: "Error" | "OOMKilled" }): Promise<void> {
  for (const pod of pods) {
    deps.kubelet.setLog({ namespace: NAMESPACE, pod, container, previous: true, text: opts.log });
    deps.kubelet.setLog({ namespace: NAMESPACE, pod, container, text: opts.log.split("\n").slice(0, 2).join("\n") + "\n" });
    for (let i = 0; i < 3; i++) {
      await deps.pods.crashLoop({ namespace: NAMESPACE, name: pod }, { container, exitCode: opts.exitCode ?? 1, reason: opts.reason ?? "Error" });
    }
  }
}

const names = (pods: { metadata?: { name?: string } }[]): string[] => pods.map((p) => p.metadata!.name!);

const CHECKOUT_LOG = `{"level":"info","time":"2026-11-27T11:58:01.112Z","msg":"starting checkout-service","version":"2.14.0"}
{"level":"info","time":"2026-11-27T11:58:01.140Z","msg":"loading configuration from environment"}
/app/dist/config.js:27
    throw new Error(\`Missing required environment variable \${name}\`);
    ^

Error: Missing required environment variable PAYMENT_SERVICE_URL
    at required (/app/dist/config.js:27:11)
    at loadConfig (/app/dist/config.js:41:23)
    at Object.<anonymous> (/app/dist/server.js:9:16)
    at Module._compile (node:internal/modules/cjs/loader:1730:14)
    at Object..js (node:internal/modules/cjs/loader:1895:10)
    at Module.load (node:internal/modules/cjs/loader:1465:32)

Node.js v22.21.1
`;

const RECOMMENDATIONS_LOG = `2026-11-27 11:57:40,201 INFO  recommendations.server: starting worker pid=1
2026-11-27 11:57:40,388 INFO  recommendations.model: loading embeddings from /models/items-2026-11.npy
2026-11-27 11:57:52,912 INFO  recommendations.model: loaded 1840000 item vectors (dim=256)
2026-11-27 11:57:53,020 INFO  recommendations.cache: warming similarity cache for 50000 hot items
2026-11-27 11:58:06,771 INFO  recommendations.cache: warmed 31000/50000
`;

const ORDERS_LOG = `time="2026-11-27T11:58:10Z" level=info msg="orders-service starting" version=3.2.1
time="2026-11-27T11:58:10Z" level=info msg="connecting to database" host=orders-db.shop.svc.cluster.local port=5432
time="2026-11-27T11:58:15Z" level=error msg="database connection failed" error="dial tcp: lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: no such host"
time="2026-11-27T11:58:15Z" level=fatal msg="cannot start without the database" error="dial tcp: lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: no such host"
`;

const SEARCH_LOG = `[2026-11-27T11:57:30.004Z] INFO  search: index opened (412k documents)
[2026-11-27T11:57:30.019Z] INFO  search: HTTP server listening on 0.0.0.0:8080
[2026-11-27T11:57:41.332Z] INFO  search: GET /search?q=lamp 200 12ms
[2026-11-27T11:58:02.871Z] INFO  search: received SIGTERM, shutting down
`;

export const SHOP: Service[] = [
  healthy("frontend"),
  healthy("cart"),
  healthy("catalog"),
  {
    name: "checkout",
    broken: "the last rollout dropped an environment variable",
    expect: "MissingConfiguration",
    async deploy(deps: ShopDeps): Promise<void> {
      const env = [{ name: "PAYMENT_SERVICE_URL", value: "http://payments.shop.svc:8080" }, { name: "LOG_LEVEL", value: "info" }];
      await createDeploymentChain(deps, { namespace: NAMESPACE, name: "checkout", template: template("checkout", { env }), replicas: 2 });
      await markDeploymentReady(deps, { namespace: NAMESPACE, name: "checkout" });
      const next = template("checkout", { image: "ghcr.io/acme-shop/checkout:2.14.0", env: [{ name: "PAYMENTS_URL", value: "http://payments.shop.svc:8080" }, { name: "LOG_LEVEL", value: "info" }] });
      const chain = await rolloutDeployment(deps, { namespace: NAMESPACE, name: "checkout" }, next);
      await crashAll(deps, names(chain.pods), "checkout", { log: CHECKOUT_LOG });
    },
  },
  {
    name: "recommendations",
    broken: "the process needs more memory than its limit",
    expect: "OutOfMemory",
    async deploy(deps: ShopDeps): Promise<void> {
      const resources = { limits: { memory: "256Mi", cpu: "500m" }, requests: { memory: "256Mi", cpu: "100m" } };
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name: "recommendations", template: template("recommendations", { resources }), replicas: 2 });
      await crashAll(deps, names(chain.pods), "recommendations", { log: RECOMMENDATIONS_LOG, exitCode: 137, reason: "OOMKilled" });
    },
  },
  {
    name: "payments",
    broken: "the image tag does not exist",
    expect: "ImagePull",
    async deploy(deps: ShopDeps): Promise<void> {
      const image = "ghcr.io/acme-shop/payments:2.4.10";
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name: "payments", template: template("payments", { image }), replicas: 2 });
      const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
      for (const pod of names(chain.pods)) await deps.pods.imagePull({ namespace: NAMESPACE, name: pod }, { error });
    },
  },
  {
    name: "shipping",
    broken: "a ConfigMap key the pod needs is missing",
    expect: "MissingConfiguration",
    async deploy(deps: ShopDeps): Promise<void> {
      await deps.core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: "shipping-config" }, data: { CARRIER: "parcelnet", REGION: "eu-west" } } });
      const env = [{ name: "CARRIER_API_URL", valueFrom: { configMapKeyRef: { name: "shipping-config", key: "CARRIER_API_URL" } } }];
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name: "shipping", template: template("shipping", { env }), replicas: 1 });
      for (const pod of names(chain.pods)) {
        await deps.pods.createContainerConfigError({ namespace: NAMESPACE, name: pod }, { message: "couldn't find key CARRIER_API_URL in ConfigMap shop/shipping-config" });
      }
    },
  },
  {
    name: "orders",
    broken: "its database host does not resolve",
    expect: "DependencyFailure",
    async deploy(deps: ShopDeps): Promise<void> {
      const env = [{ name: "DATABASE_HOST", value: "orders-db.shop.svc.cluster.local" }];
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name: "orders", template: template("orders", { env }), replicas: 2 });
      await crashAll(deps, names(chain.pods), "orders", { log: ORDERS_LOG });
    },
  },
  {
    name: "search",
    broken: "its liveness probe checks the wrong port",
    expect: "ProbeFailure",
    async deploy(deps: ShopDeps): Promise<void> {
      const livenessProbe = { httpGet: { path: "/healthz", port: 8081 }, periodSeconds: 10, failureThreshold: 3 };
      const chain = await createDeploymentChain(deps, { namespace: NAMESPACE, name: "search", template: template("search", { livenessProbe }), replicas: 1 });
      for (const pod of names(chain.pods)) {
        const ref = { namespace: NAMESPACE, name: pod };
        await deps.pods.running(ref);
        const ip = (await deps.core.readNamespacedPod({ namespace: NAMESPACE, name: pod })).status?.podIP ?? "10.244.1.7";
        const probeMessage = `Get "http://${ip}:8081/healthz": dial tcp ${ip}:8081: connect: connection refused`;
        deps.kubelet.setLog({ namespace: NAMESPACE, pod, container: "search", previous: true, text: SEARCH_LOG });
        deps.kubelet.setLog({ namespace: NAMESPACE, pod, container: "search", text: SEARCH_LOG.split("\n").slice(0, 2).join("\n") + "\n" });
        await deps.pods.livenessFailure(ref, { probeMessage });
        await deps.pods.livenessFailure(ref, { probeMessage });
        await deps.pods.crashLoop(ref, { exitCode: 137, reason: "Error" });
      }
    },
  },
];
