// startTestCluster(): a real kube-apiserver with etcd on free ports and a fresh temp
// dir, with the CRDs of crds/ applied. Everything is stopped by stop(), and killed
// when the process exits even if a test fails before calling it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { ApiServerProcess } from "./apiserver.js";
import { ensureControlPlaneBinary, type BuildOptions } from "./build.js";
import { applyCrdDir } from "./crds.js";
import { ADMIN_USER, RESTRICTED_USER, writeCredentials, type StaticUser } from "./credentials.js";
import { tokenKubeConfig } from "./kubeconfig.js";
import { freePort } from "./ports.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

export interface TestClusterOptions {
  /** Extra static-token users (the user "restricted" always exists). */
  users?: StaticUser[];
  /** Directory of YAML applied after start; default <repo>/crds. Pass null to apply nothing. */
  crdDir?: string | null;
  /** Extra kube-apiserver flags, e.g. "--v=4". */
  extraFlags?: string[];
  build?: BuildOptions;
  readyTimeoutMs?: number;
}

export interface TestClusterStats {
  kubernetesVersion: string;
  /** Spawn to /readyz of the last (re)start. */
  apiServerStartMs: number;
  /** startTestCluster() total, build check and CRDs included. */
  totalStartMs: number;
  /** RSS of the control plane process (etcd and apiserver share it). */
  rssBytes: number | undefined;
}

export interface TestCluster {
  server: string;
  /** Admin (system:masters). */
  kubeConfig: KubeConfig;
  /** The admin kubeconfig as a file. */
  kubeconfigPath: string;
  caPem: string;
  /** Temp dir of this cluster (removed by stop()). */
  dir: string;
  /** CRD names applied from crdDir. */
  crds: string[];
  /** Certificate and key a fake kubelet can serve with (self-signed, valid for 127.0.0.1). */
  servingTls: { cert: string; key: string };
  /** KubeConfig of a static-token user ("restricted", or one of opts.users). */
  kubeConfigForUser(user: string): KubeConfig;
  /** KubeConfig for any bearer token, e.g. of a ServiceAccount. */
  kubeConfigForToken(token: string, user?: string): KubeConfig;
  /** A TokenRequest token of a ServiceAccount (created if absent). */
  serviceAccountToken(namespace: string, name: string): Promise<string>;
  /** Writes a kubeconfig file (admin unless kc is given) and returns its path. */
  writeKubeconfig(path: string, kc?: KubeConfig): string;
  /** Stops the apiserver and etcd process, keeping the data. */
  stopApiServer(): Promise<void>;
  /** Starts it again on the same ports and data. */
  startApiServer(): Promise<void>;
  stats(): Promise<TestClusterStats>;
  stop(): Promise<void>;
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const started = performance.now();
  const binary = await ensureControlPlaneBinary(opts.build);
  const dir = mkdtempSync(join(tmpdir(), "production-fixer-testenv-"));
  const creds = writeCredentials(dir, [{ name: RESTRICTED_USER }, ...(opts.users ?? [])]);
  const adminToken = creds.tokens.get(ADMIN_USER) ?? "";
  const [etcdClientPort, etcdPeerPort, securePort] = [await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${securePort}`;
  const apiServer = new ApiServerProcess({
    binary: binary.path,
    dir,
    etcdClientPort,
    etcdPeerPort,
    securePort,
    readyToken: adminToken,
    readyTimeoutMs: opts.readyTimeoutMs,
    flags: [
      ...apiServerFlags({ dir, securePort, certDir: join(dir, "certs"), creds }),
      ...(opts.extraFlags ?? []),
    ],
  });
  try {
    await apiServer.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start the test control plane (${binary.path})`, { cause: err });
  }
  const caPem = apiServer.caPem();
  const forToken = (token: string, user = "user"): KubeConfig => tokenKubeConfig({ server, caPem, user, token });
  const kubeConfig = forToken(adminToken, ADMIN_USER);
  const kubeconfigPath = join(dir, "kubeconfig");
  writeFileSync(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });

  const stop = async (): Promise<void> => {
    await apiServer.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  let crds: string[];
  try {
    await ensureNamespace(kubeConfig, "default");
    crds = opts.crdDir === null ? [] : await applyCrdDir(kubeConfig, { server, caPem, token: adminToken }, opts.crdDir ?? join(REPO_ROOT, "crds"));
  } catch (err) {
    await stop();
    throw new Error("the test control plane started but could not be prepared (default namespace, crds/)", { cause: err });
  }
  const totalStartMs = performance.now() - started;

  return {
    server,
    kubeConfig,
    kubeconfigPath,
    caPem,
    dir,
    crds,
    servingTls: {
      cert: readFileSync(join(apiServer.certDir, "apiserver.crt"), "utf8"),
      key: readFileSync(join(apiServer.certDir, "apiserver.key"), "utf8"),
    },
    kubeConfigForUser: (user) => {
      const token = creds.tokens.get(user);
      if (token === undefined) throw new Error(`no static-token user "${user}"; pass it in startTestCluster({ users })`);
      return forToken(token, user);
    },
    kubeConfigForToken: forToken,
    serviceAccountToken: (namespace, name) => serviceAccountToken(kubeConfig, namespace, name),
    writeKubeconfig: (path, kc = kubeConfig) => {
      writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
      return path;
    },
    stopApiServer: () => apiServer.stop(),
    startApiServer: () => apiServer.start(),
    stats: async () => ({
      kubernetesVersion: binary.kubernetesVersion,
      apiServerStartMs: apiServer.lastStartMs,
      totalStartMs,
      rssBytes: await apiServer.rssBytes(),
    }),
    stop,
  };
}

interface FlagInput {
  dir: string;
  securePort: number;
  certDir: string;
  creds: ReturnType<typeof writeCredentials>;
}

/** The kube-apiserver flags, close to what envtest passes. */
export function apiServerFlags(input: FlagInput): string[] {
  return [
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${input.securePort}`,
    `--cert-dir=${input.certDir}`,
    `--service-account-key-file=${input.creds.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${input.creds.serviceAccountSigningKeyFile}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--token-auth-file=${input.creds.tokenFile}`,
    "--authorization-mode=RBAC",
    "--kubelet-preferred-address-types=InternalIP",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--allow-privileged=true",
    "--disable-admission-plugins=ServiceAccount",
  ];
}

async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.readNamespace({ name });
  } catch {
    await core.createNamespace({ body: { metadata: { name } } });
  }
}

async function serviceAccountToken(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, namespace } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw new Error(`could not create ServiceAccount ${namespace}/${name}`, { cause: err });
  }
  const res = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [SERVICE_ACCOUNT_ISSUER], expirationSeconds: 3600 } },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`the TokenRequest for ServiceAccount ${namespace}/${name} returned no token`);
  return token;
}
