// Broken Deployments for the agent end-to-end test, each broken the way real
// services break and each carrying credentials in its pod spec and its logs, so
// the test can check that none of them ever reaches the model.
import type { V1Container, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { Category } from "../../src/api/diagnosis.js";
import { createDeploymentChain, markDeploymentReady, rolloutDeployment } from "../testenv/workloads.js";
import { ensureNamespace, type Env } from "./harness.js";

/** Credentials that must never appear in a request to the model. */
export const SECRETS = {
  dbPassword: "Zq7vNw3rTpL9xKc2",
  awsKeyId: "AKIAQ7ZKX4PLM2WN6RTB",
  awsSecret: "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",
} as const;

const SECRET_ENV = [
  { name: "DB_PASSWORD", value: SECRETS.dbPassword },
  { name: "AWS_ACCESS_KEY_ID", value: SECRETS.awsKeyId },
  { name: "AWS_SECRET_ACCESS_KEY", value: SECRETS.awsSecret },
];

/** Log lines a careless application prints at start-up. */
const SECRET_LOG = [
  `config: DB_PASSWORD=${SECRETS.dbPassword}`,
  `aws: using credentials ${SECRETS.awsKeyId} from env`,
  `aws_secret_access_key = ${SECRETS.awsSecret}`,
].join("\n");

export interface BrokenService {
  name: string;
  /** The category the rules (and so the scripted model) name. */
  expect: Category;
  deploy(env: Env, namespace: string): Promise<void>;
}

function template(name: string, container: Partial<V1Container> = {}): V1PodTemplateSpec {
  return {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name, image: `ghcr.io/acme-shop/${name}:1.8.2`, env: SECRET_ENV, ...container }] },
  };
}

async function crashAll(env: Env, input: { namespace: string; pods: string[]; container: string; log: string; oom?: boolean }): Promise<void> {
  for (const pod of input.pods) {
    const ref = { namespace: input.namespace, name: pod };
    env.kubelet.setLog({ namespace: input.namespace, pod, container: input.container, previous: true, text: `${SECRET_LOG}\n${input.log}` });
    env.kubelet.setLog({ namespace: input.namespace, pod, container: input.container, text: `${SECRET_LOG}\n` });
    for (let i = 0; i < 2; i++) {
      await (input.oom ? env.pods.oomKilled(ref, { container: input.container }) : env.pods.crashLoop(ref, { container: input.container, exitCode: 1 }));
    }
  }
}

const names = (pods: { metadata?: { name?: string } }[]): string[] => pods.map((p) => p.metadata!.name!);

const CHECKOUT_LOG = `starting checkout-service 2.14.0
Error: Missing required environment variable PAYMENT_SERVICE_URL
    at required (/app/dist/config.js:27:11)
    at loadConfig (/app/dist/config.js:41:23)
`;

const RECOMMENDATIONS_LOG = `INFO loading embeddings from /models/items-2026-11.npy
INFO loaded 1840000 item vectors (dim=256)
INFO warming similarity cache for 50000 hot items
`;

const ORDERS_LOG = `level=info msg="connecting to database" host=orders-db.shop.svc.cluster.local port=5432
level=fatal msg="cannot start without the database" error="dial tcp: lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: no such host"
`;

export const BROKEN: BrokenService[] = [
  {
    name: "checkout",
    expect: "MissingConfiguration",
    async deploy(env, namespace) {
      const good = template("checkout", { env: [...SECRET_ENV, { name: "PAYMENT_SERVICE_URL", value: "http://payments:8080" }] });
      await createDeploymentChain(env.deps, { namespace, name: "checkout", template: good });
      await markDeploymentReady(env.deps, { namespace, name: "checkout" });
      const chain = await rolloutDeployment(env.deps, { namespace, name: "checkout" }, template("checkout", { image: "ghcr.io/acme-shop/checkout:2.14.0" }));
      await crashAll(env, { namespace, pods: names(chain.pods), container: "checkout", log: CHECKOUT_LOG });
    },
  },
  {
    name: "recommendations",
    expect: "OutOfMemory",
    async deploy(env, namespace) {
      const resources = { limits: { memory: "256Mi" }, requests: { memory: "256Mi" } };
      const chain = await createDeploymentChain(env.deps, { namespace, name: "recommendations", template: template("recommendations", { resources }) });
      await crashAll(env, { namespace, pods: names(chain.pods), container: "recommendations", log: RECOMMENDATIONS_LOG, oom: true });
    },
  },
  {
    name: "payments",
    expect: "ImagePull",
    async deploy(env, namespace) {
      const image = "ghcr.io/acme-shop/payments:2.4.10";
      const chain = await createDeploymentChain(env.deps, { namespace, name: "payments", template: template("payments", { image }) });
      const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
      for (const pod of names(chain.pods)) await env.pods.imagePull({ namespace, name: pod }, { error });
    },
  },
  {
    name: "orders",
    expect: "DependencyFailure",
    async deploy(env, namespace) {
      const container = { env: [...SECRET_ENV, { name: "DATABASE_HOST", value: "orders-db.shop.svc.cluster.local" }] };
      const chain = await createDeploymentChain(env.deps, { namespace, name: "orders", template: template("orders", container) });
      await crashAll(env, { namespace, pods: names(chain.pods), container: "orders", log: ORDERS_LOG });
    },
  },
];

/** Deploys the services into a fresh namespace. */
export async function deployBroken(env: Env, namespace: string, services: BrokenService[] = BROKEN): Promise<void> {
  await ensureNamespace(env.core, namespace);
  for (const s of services) await s.deploy(env, namespace);
}
