import { redact } from "./redact.js";

/**
 * The redaction corpus: secret shapes as they appear in logs, configs and
 * headers, and harmless look-alikes that must survive untouched. Secret values
 * are generated from a fixed seed (same corpus every run) and assembled from
 * parts, so the file itself holds no string a secret scanner would flag.
 */
export interface CorpusCase {
  name: string;
  text: string;
  /** Substrings that must not survive redaction; empty for a harmless case. */
  secrets: string[];
}

let seed = 0x2f6b1d;
/** mulberry32: small, seeded, good enough to make random-looking tokens. */
function next(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = `${ALNUM}+/`;
const HEX = "0123456789abcdef";
const UPPER_NUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function rand(alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[next() % alphabet.length];
  return s;
}
const b64url = (n: number): string => rand(`${ALNUM}-_`, n);
const jwt = (): string => `eyJhbGciOiJSUzI1NiIsImtpZCI6Ij${b64url(10)}.eyJzdWIiOiJ${b64url(60)}.${b64url(86)}`;
const pemBody = (lines: number): string => Array.from({ length: lines }, () => rand(B64, 64)).join("\n");

function secretCase(name: string, build: (s: string) => string, secret: string): CorpusCase {
  return { name, text: build(secret), secrets: [secret] };
}
const BEGIN = "-----BEGIN";
const END = "-----END";

export const SECRET_CASES: CorpusCase[] = [
  secretCase("postgres url password", (s) => `connecting to postgres://app:${s}@db.shop.svc:5432/orders`, `Pg${rand(ALNUM, 14)}`),
  secretCase("mysql url password", (s) => `DSN mysql://root:${s}@tcp(mysql:3306)/app`, `hunter2-${rand(ALNUM, 6)}`),
  secretCase("redis url empty user", (s) => `redis: dial redis://:${s}@redis-master:6379/0 failed`, rand(ALNUM, 24)),
  secretCase("amqp url", (s) => `amqp://guest:${s}@rabbitmq.messaging:5672/`, `rabbit${rand(ALNUM, 8)}`),
  secretCase("mongodb srv url", (s) => `MONGO_URL=mongodb+srv://svc:${s}@cluster0.abcde.mongodb.net/prod`, rand(ALNUM, 16)),
  secretCase("https basic auth url", (s) => `GET https://deploy:${s}@nexus.internal/repository/npm/`, `Nx!${rand(ALNUM, 10)}`),
  secretCase("logfmt password", (s) => `level=error msg="login failed" user=admin password=${s}`, `Summer2026${rand(ALNUM, 3)}`),
  secretCase("json password", (s) => `{"user":"app","password":"${s}","host":"db"}`, `p@ss ${rand(ALNUM, 8)}`),
  secretCase("yaml db_password", (s) => `db_password: ${s}`, `correct-horse-${rand(ALNUM, 5)}`),
  secretCase("env DB_PASSWORD", (s) => `DB_PASSWORD=${s}`, `changeme${rand(ALNUM, 4)}`),
  secretCase("flag --password=", (s) => `exec /app/migrate --host=db --password=${s}`, rand(ALNUM, 12)),
  secretCase("flag --db-password space", (s) => `args: ["--db-password", "x"] ran as --db-password ${s} --verbose`, `Tr0ub4dor${rand(ALNUM, 3)}`),
  secretCase("bearer opaque", (s) => `Authorization: Bearer ${s}`, `${rand(ALNUM, 20)}.${rand(ALNUM, 12)}`),
  secretCase("basic auth header", (s) => `Authorization: Basic ${s}`, `YWRtaW46${rand(B64, 16)}==`),
  secretCase("jwt in log", (s) => `auth: verifying ${s} for user 42`, jwt()),
  secretCase("jwt in cookie", (s) => `Cookie: theme=dark; access=${s}`, jwt()),
  secretCase("aws access key id", (s) => `using credentials ${s} from env`, `AKIA${rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`),
  secretCase("aws secret key in credentials", (s) => `aws_secret_access_key = ${s}`, rand(B64, 40)),
  secretCase("aws secret key bare", (s) => `S3 client configured with ${s} region eu-west-1`, rand(B64, 40)),
  secretCase("aws session key id", (s) => `AWS_ACCESS_KEY_ID=${s}`, `ASIA${rand(UPPER_NUM, 16)}`),
  secretCase(
    "gcp service account private_key",
    (s) => `{"type":"service_account","private_key_id":"${rand(HEX, 40)}","private_key":"${s}","client_email":"x@p.iam.gserviceaccount.com"}`,
    `${BEGIN} PRIVATE KEY-----\\n${rand(B64, 64)}\\n${rand(B64, 64)}\\n${END} PRIVATE KEY-----\\n`,
  ),
  secretCase("gcp api key", (s) => `maps request failed key=${s}`, `AIza${b64url(35)}`),
  secretCase("gcp oauth token", (s) => `token refreshed: ${s}`, `ya29.${b64url(60)}`),
  secretCase(
    "azure storage connection string",
    (s) => `DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey=${s};EndpointSuffix=core.windows.net`,
    `${rand(B64, 86)}==`,
  ),
  secretCase(
    "azure sas url",
    (s) => `PUT https://prodlogs.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2026-12-01T00:00:00Z&sig=${s}`,
    `${rand(ALNUM, 30)}%2B${rand(ALNUM, 10)}%3D`,
  ),
  secretCase(
    "azure service bus key",
    (s) => `Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${s}`,
    `${rand(B64, 43)}=`,
  ),
  secretCase("pem rsa private key", (s) => `key file contents:\n${s}\nloaded`, `${BEGIN} RSA PRIVATE KEY-----\n${pemBody(4)}\n${END} RSA PRIVATE KEY-----`),
  secretCase("pem ec private key", (s) => s, `${BEGIN} EC PRIVATE KEY-----\n${pemBody(2)}\n${END} EC PRIVATE KEY-----`),
  secretCase("openssh private key", (s) => `id_ed25519:\n${s}`, `${BEGIN} OPENSSH PRIVATE KEY-----\n${pemBody(3)}\n${END} OPENSSH PRIVATE KEY-----`),
  secretCase("pem truncated", (s) => `tls: ${s}`, `${BEGIN} PRIVATE KEY-----\n${pemBody(2)}`),
  secretCase("github classic token", (s) => `git clone https://x-access-token@github.com/org/repo (token ${s})`, `ghp_${rand(ALNUM, 36)}`),
  secretCase("github fine-grained token", (s) => `GITHUB_TOKEN is ${s}`, `github_pat_${rand(ALNUM, 22)}_${rand(ALNUM, 59)}`),
  secretCase("github oauth token", (s) => `oauth ok ${s}`, `gho_${rand(ALNUM, 36)}`),
  secretCase("slack bot token", (s) => `slack client init ${s}`, `xoxb-${rand("0123456789", 12)}-${rand("0123456789", 13)}-${rand(ALNUM, 24)}`),
  secretCase("slack user token", (s) => `posting with ${s}`, `xoxp-${rand("0123456789", 12)}-${rand("0123456789", 12)}-${rand(HEX, 32)}`),
  secretCase("slack webhook url", (s) => `notify: POST https://hooks.slack.com/services/${s}`, `T${rand(UPPER_NUM, 8)}/B${rand(UPPER_NUM, 10)}/${rand(ALNUM, 24)}`),
  secretCase("stripe live secret", (s) => `stripe: using ${s}`, `sk_live_${rand(ALNUM, 24)}`),
  secretCase("stripe restricted key", (s) => `STRIPE_KEY=${s}`, `rk_live_${rand(ALNUM, 24)}`),
  secretCase("stripe test secret", (s) => `charge failed (key ${s})`, `sk_test_${rand(ALNUM, 24)}`),
  secretCase("anthropic key", (s) => `x-api-key: ${s}`, `sk-ant-api03-${b64url(80)}`),
  secretCase("openai project key", (s) => `OPENAI ${s}`, `sk-proj-${b64url(48)}`),
  secretCase("npm token", (s) => `//registry.npmjs.org/:_authToken=${s}`, `npm_${rand(ALNUM, 36)}`),
  secretCase("gitlab token", (s) => `PRIVATE-TOKEN: ${s}`, `glpat-${b64url(20)}`),
  secretCase("sendgrid key", (s) => `mail: ${s}`, `SG.${b64url(22)}.${b64url(43)}`),
  secretCase("hex api_key", (s) => `datadog: api_key=${s} site=datadoghq.eu`, rand(HEX, 32)),
  secretCase("x-api-key header", (s) => `X-Api-Key: ${s}`, rand(HEX, 40)),
  secretCase("json client_secret", (s) => `{"client_id":"web","client_secret":"${s}"}`, b64url(32)),
  secretCase("high entropy bare token", (s) => `registering runner with ${s}`, rand(ALNUM, 32)),
  secretCase("set-cookie session", (s) => `Set-Cookie: sessionid=${s}; Path=/; HttpOnly`, rand(ALNUM, 26)),
  secretCase("django secret key", (s) => `SECRET_KEY = '${s}'`, `django-insecure-${rand("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*", 30)}`),
  secretCase("yaml token", (s) => `token: ${s}`, rand(HEX, 48)),
  secretCase("sql server connection string", (s) => `Server=tcp:sql.prod,1433;Database=orders;User Id=app;Password=${s};`, `Q${rand(ALNUM, 11)}!`),
  secretCase("docker config auth", (s) => `{"auths":{"registry.example.com":{"auth":"${s}"}}}`, `ZGVwbG95OnM${rand(B64, 20)}=`),
  secretCase("jdbc password param", (s) => `jdbc:postgresql://db:5432/app?user=app&password=${s}&ssl=true`, rand(ALNUM, 14)),
  secretCase("twilio auth token", (s) => `TWILIO_AUTH_TOKEN=${s}`, rand(HEX, 32)),
  secretCase("kubeconfig token", (s) => `users:\n- name: ci\n  user:\n    token: ${s}`, jwt()),
  secretCase("passphrase", (s) => `gpg --batch passphrase=${s}`, `purple monkey ${rand(ALNUM, 4)}`.replace(/ /g, "-")),
  secretCase("webhook url token param", (s) => `calling https://hooks.example.com/deploy?token=${s}&env=prod`, rand(ALNUM, 28)),
  secretCase("redis AUTH password env", (s) => `REDIS_PASS=${s}`, rand(ALNUM, 18)),
  secretCase("sentry dsn", (s) => `SENTRY_DSN=${s}`, `https://${rand(HEX, 32)}@o12345.ingest.sentry.io/67890`),
];

const harmless = (name: string, text: string): CorpusCase => ({ name, text, secrets: [] });

export const HARMLESS_CASES: CorpusCase[] = [
  harmless("uuid", "request 3f2b9c1e-8d4a-4b6f-9e21-7c5d0a1b2c3d completed in 12ms"),
  harmless("uuid upper", "X-Correlation-ID: 550E8400-E29B-41D4-A716-446655440000"),
  harmless("image digest", "image: ghcr.io/acme/web@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
  harmless("imageID", "imageID: docker-pullable://nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac"),
  harmless("commit sha", "built from commit 1f4c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39 on main"),
  harmless("short sha", "version v2.14.3-1f4c2a9 (dirty=false)"),
  harmless("pod name", "Back-off restarting failed container web in pod web-7d9f8b6c5d-x2k9p_shop(0b6f3d2e-1c4a-4e5b-9a8d-7f6e5d4c3b2a)"),
  harmless("replicaset name", "Scaled up replica set payments-api-6c8f9d7b54 to 3"),
  harmless("ipv4 port", "dial tcp 10.96.143.27:5432: connect: connection refused"),
  harmless("ipv6", "listening on [fd00:10:244::1a2b]:8080"),
  harmless("rfc3339", "2026-11-27T12:00:03.123456789Z INFO server started"),
  harmless("container id", "containerID: containerd://7a3c9e1f5b2d4c6e8a0f1b3d5e7c9a2b4d6f8e0a1c3b5d7f9e2a4c6b8d0f1e3a"),
  harmless("java stack frame", "\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.createBean(AbstractAutowireCapableBeanFactory.java:517)"),
  harmless("java exception", "Caused by: java.net.ConnectException: Connection refused (Connection refused)"),
  harmless("go panic", "goroutine 1 [running]:\nmain.(*Server).handle(0xc0001a2b3c, {0x7f3a2c1d, 0xc000123456})\n\t/go/src/github.com/acme/api/server.go:88 +0x1f4"),
  harmless("python traceback", '  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 145, in __init__'),
  harmless("node stack", "    at Module._compile (node:internal/modules/cjs/loader:1364:14)"),
  harmless("dotnet exception", "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'Acme.Orders.IOrderRepository'"),
  harmless("postgres auth error", 'FATAL:  password authentication failed for user "orders"'),
  harmless("invalid token", "Error: invalid token: expired"),
  harmless("missing secret event", 'Error: secret "db-credentials" not found'),
  harmless("secretKeyRef yaml", "valueFrom:\n  secretKeyRef:\n    name: db-credentials\n    key: password"),
  harmless("configmap key missing", "Error: couldn't find key DB_PASSWORD in ConfigMap shop/web-config"),
  harmless("plain url", "GET https://api.example.com/v1/users?page=2&per_page=50 200"),
  harmless("ssh git url", "cloning ssh://git@github.com:22/acme/platform.git"),
  harmless("prometheus sample", 'container_memory_working_set_bytes{namespace="shop",pod="web-1",container="web"} 1.048576e+08'),
  harmless("image ref", "Pulling image \"registry.example.com/team/payments-api:v2.14.3\""),
  harmless("node name", "Node ip-10-0-12-34.eu-west-1.compute.internal status is now: NodeNotReady"),
  harmless("trace id", "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7"),
  harmless("traceparent", "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
  harmless("go module", "go: downloading github.com/jackc/pgx/v5 v5.5.1"),
  harmless("k8s uid yaml", "uid: 0b6f3d2e-1c4a-4e5b-9a8d-7f6e5d4c3b2a\nresourceVersion: \"184467\""),
  harmless("token ttl", "token_ttl=3600 refresh_interval=300s"),
  harmless("token url", "TOKEN_URL=https://auth.example.com/oauth/token"),
  harmless("password file", "password_file=/run/secrets/db_password"),
  harmless("secret name", "secretName: tls-web-cert"),
  harmless("max tokens", "max_tokens=4096 temperature=0.2"),
  harmless("json log", '{"level":"error","ts":1764244803.12,"msg":"dial failed","addr":"10.96.0.12:5432","error":"connection refused"}'),
  harmless("mac address", "eth0: link up, hwaddr 02:42:ac:11:00:02"),
  harmless("x509 expired", "x509: certificate has expired or is not yet valid: current time 2026-11-27T12:00:00Z is after 2026-11-01T00:00:00Z"),
  harmless("semver build", "Kubelet Version: v1.29.3+k3s1"),
  harmless("dns nxdomain", "lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: no such host"),
  harmless("exec format error", "exec /app/server: exec format error"),
  harmless("quota message", "exceeded quota: compute-quota, requested: limits.memory=512Mi, used: limits.memory=1536Mi, limited: limits.memory=2Gi"),
  harmless("ruby error", "ActiveRecord::ConnectionNotEstablished: could not connect to server: No such file or directory"),
  harmless("rust panic", "thread 'main' panicked at src/main.rs:42:5:\ncalled `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound }"),
  harmless("authorization missing", "401 Unauthorized: Authorization header missing"),
  harmless("bearer word", "Bearer authentication required for /admin"),
  harmless("sha512", "sha512sum: 3c9909afec25354d551dae21590bb26e38d53f2173b8d3dc3eee4c047e7ab1c1eb8b85103e3be7ba613b31bb5c9c36214dc9f14a42fd7a2fdb84856bca5c44c2 app.tar"),
  harmless("helm release secret", "sh.helm.release.v1.payments.v12"),
  harmless("kafka partition", "Resetting offset for partition __consumer_offsets-17 to position FetchPosition{offset=1842}"),
  harmless("etag", 'ETag: "33a64df551425fcc55e4d42a148795d9f25f89d4"'),
  harmless("aws arn", "assumed role arn:aws:iam::123456789012:role/web-prod-irsa"),
  harmless("s3 url", "uploading s3://acme-backups/2026/11/27/orders.sql.gz"),
  harmless(
    "azure resource id",
    "/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/prodlogs",
  ),
  harmless("camel class name", "io.netty.channel.AbstractChannel$AnnotatedConnectException: finishConnect(..) failed"),
  harmless("oom message", "Memory cgroup out of memory: Killed process 4123 (java) total-vm:4194304kB, anon-rss:524288kB"),
  harmless("scheduler message", "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory."),
  harmless("probe failure", 'Liveness probe failed: Get "http://10.244.1.7:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'),
  harmless("env reference", "DATABASE_PASSWORD=${DB_PASSWORD} envsubst < config.tmpl"),
  harmless("password placeholder", "password: ********"),
  harmless("pwd path", "PWD=/home/app HOME=/home/app"),
  harmless("base64 short", "payload=aGVsbG8= len=5"),
  harmless("pod template hash", "pod-template-hash=5d8f7c6b9d app.kubernetes.io/instance=web-prod-eu1"),
];

export const CORPUS: CorpusCase[] = [...SECRET_CASES, ...HARMLESS_CASES];

export interface RedactionScore {
  secretCases: number;
  harmlessCases: number;
  truePositives: number;
  falseNegatives: string[];
  falsePositives: string[];
  precision: number;
  recall: number;
}

/** Recall: secret cases whose every secret is gone. Precision: among cases redacted, those that held a secret. */
export function scoreRedaction(cases: CorpusCase[] = CORPUS): RedactionScore {
  let tp = 0;
  const falseNegatives: string[] = [];
  const falsePositives: string[] = [];
  for (const c of cases) {
    const r = redact(c.text);
    if (c.secrets.length === 0) {
      if (r.count > 0) falsePositives.push(`${c.name}: ${r.text}`);
    } else if (r.count > 0 && c.secrets.every((s) => !r.text.includes(s))) {
      tp++;
    } else {
      falseNegatives.push(`${c.name}: ${r.text}`);
    }
  }
  const secretCases = cases.filter((c) => c.secrets.length > 0).length;
  return {
    secretCases,
    harmlessCases: cases.length - secretCases,
    truePositives: tp,
    falseNegatives,
    falsePositives,
    precision: tp + falsePositives.length === 0 ? 1 : tp / (tp + falsePositives.length),
    recall: secretCases === 0 ? 1 : tp / secretCases,
  };
}
