// Memory, images, probes, dependencies and network policies.
import { st } from "./k8s.js";
import { crash, crashEvents, REG, running, spec, waiting } from "./helpers.js";
import type { ScenarioDef } from "./scenario.js";

const T0 = 1795777500; // 2026-11-27T11:05:00Z
const mib = (n: number): string => String(n * 1024 * 1024);

function series(pod: string, container: string, points: number[]): { metric: Record<string, string>; values: [number, string][] } {
  return { metric: { __name__: "container_memory_working_set_bytes", namespace: "shop", pod, container }, values: points.map((v, i): [number, string] => [T0 + i * 300, mib(v)]) };
}

const oomRun = (s: ReturnType<typeof spec>, restarts = 5) => ({
  spec: s,
  state: st.crashLoop(s.name),
  lastState: { terminated: st.terminated(137, "OOMKilled", { ranSeconds: 95 }) },
  restartCount: restarts,
  ready: false,
});

const pullEvents = (c: string, image: string, detail: string) => [
  { reason: "Scheduled", message: "Successfully assigned {ns}/{pod} to worker-1", source: "default-scheduler", minutesAgo: 6 },
  { reason: "Pulling", message: `Pulling image "${image}"`, container: c, count: 5, minutesAgo: 1 },
  { reason: "Failed", message: `Failed to pull image "${image}": ${detail}`, container: c, count: 5, minutesAgo: 1 },
  { reason: "Failed", message: "Error: ErrImagePull", container: c, count: 5, minutesAgo: 1 },
  { reason: "BackOff", message: `Back-off pulling image "${image}"`, container: c, count: 19, minutesAgo: 0 },
  { reason: "Failed", message: "Error: ImagePullBackOff", container: c, count: 19, minutesAgo: 0 },
];

const probeKill = (c: string, kind = "liveness") => ({ reason: "Killing", message: `Container ${c} failed ${kind} probe, will be restarted`, container: c, count: 5, minutesAgo: 1 });

export const RUNTIME_SCENARIOS: ScenarioDef[] = [
  {
    name: "oom-basic",
    description: "JVM service killed at its 512Mi limit.",
    app: "orders",
    containers: [oomRun(spec("orders", `${REG}/orders:5.2.0`, { resources: { limits: { memory: "512Mi" }, requests: { memory: "512Mi", cpu: "250m" } } }))],
    events: crashEvents("orders", `${REG}/orders:5.2.0`),
    logs: { orders: { previous: "2026-11-27T11:57:01.330Z  INFO 1 --- [main] c.e.orders.OrdersApplication : Started OrdersApplication in 9.1 seconds\n2026-11-27T11:58:30.004Z  INFO 1 --- [nio-8080-exec-3] c.e.orders.api.ExportController : export requested for 2024-2026\n" } },
    expect: { category: "OutOfMemory", keywords: [["OOMKilled", "out of memory", "memory limit"], ["512Mi"]] },
  },
  {
    name: "oom-leak-with-metrics",
    description: "Memory climbs steadily to the limit between restarts: a leak.",
    app: "feed",
    containers: [oomRun(spec("feed", `${REG}/feed:2.0.4`, { resources: { limits: { memory: "1Gi" }, requests: { memory: "512Mi" } } }), 3)],
    events: crashEvents("feed", `${REG}/feed:2.0.4`, 3),
    logs: { feed: { previous: "feed 2.0.4 listening on :8080\ncache size 182311 entries\ncache size 391822 entries\n" } },
    metrics: [series("{pod}", "feed", [310, 420, 530, 640, 760, 880, 990, 1020, 300, 410, 520])],
    expect: { category: "OutOfMemory", keywords: [["OOMKilled", "memory limit"], ["1Gi"], ["leak", "climbed", "steadily"]] },
  },
  {
    name: "oom-limit-lowered-by-rollout",
    description: "The last rollout cut the memory limit from 1Gi to 256Mi.",
    app: "thumbnails",
    containers: [oomRun(spec("thumbs", `${REG}/thumbs:4.4.0`, { resources: { limits: { memory: "256Mi" }, requests: { memory: "256Mi" } } }))],
    previous: [{ resources: { limits: { memory: "1Gi" }, requests: { memory: "256Mi" } } }],
    events: crashEvents("thumbs", `${REG}/thumbs:4.4.0`),
    logs: { thumbs: { previous: "thumbs ready\nresize 4032x3024 -> 1024x768 (heic)\n" } },
    expect: { category: "OutOfMemory", keywords: [["256Mi"], ["OOMKilled", "memory limit"]] },
  },
  {
    name: "oom-last-line-red-herring",
    description: "OOMKilled while the last log line blames a dependency.",
    app: "analytics",
    containers: [oomRun(spec("analytics", `${REG}/analytics:0.9.0`, { resources: { limits: { memory: "768Mi" } } }))],
    events: crashEvents("analytics", `${REG}/analytics:0.9.0`),
    logs: { analytics: { previous: "2026-11-27T11:58:01Z INFO loading 2.1M events into memory\n2026-11-27T11:58:40Z ERROR clickhouse: read tcp 10.244.1.31:51122->10.96.7.7:9000: read: connection reset by peer\n" } },
    expect: { category: "OutOfMemory", keywords: [["OOMKilled", "memory limit"], ["768Mi"]] },
  },
  {
    name: "oom-sidecar-only",
    description: "Two containers; the log-shipping sidecar is OOMKilled, the app is fine.",
    app: "api",
    containers: [running(spec("api", `${REG}/api:8.0.0`)), oomRun(spec("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.2.2", { resources: { limits: { memory: "64Mi" } } }), 4)],
    events: crashEvents("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.2.2", 4),
    logs: { "fluent-bit": { previous: "[2026/11/27 11:58:01] [ info] [input:tail:tail.0] inotify_fs_add(): inode=2231 name=/var/log/app/api.log\n[2026/11/27 11:58:44] [ warn] [input] tail.0 paused (mem buf overlimit)\n" } },
    expect: { category: "OutOfMemory", keywords: [["fluent-bit"], ["64Mi"]] },
  },
  {
    name: "image-tag-not-found",
    description: "The image tag does not exist in the registry.",
    app: "web",
    containers: [waiting(spec("web", `${REG}/web:3.4.2`), "ImagePullBackOff", `Back-off pulling image "${REG}/web:3.4.2"`)],
    events: pullEvents("web", `${REG}/web:3.4.2`, `rpc error: code = NotFound desc = failed to pull and unpack image "${REG}/web:3.4.2": failed to resolve reference "${REG}/web:3.4.2": ${REG}/web:3.4.2: not found`),
    expect: { category: "ImagePull", keywords: [["web:3.4.2"], ["not found", "tag", "does not exist"]] },
  },
  {
    name: "image-unauthorized",
    description: "Private registry without imagePullSecrets.",
    app: "ledger",
    containers: [waiting(spec("ledger", "ghcr.io/example-corp/ledger:1.0.0"), "ErrImagePull", 'failed to pull and unpack image "ghcr.io/example-corp/ledger:1.0.0": failed to resolve reference "ghcr.io/example-corp/ledger:1.0.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aexample-corp%2Fledger%3Apull&service=ghcr.io: 401 Unauthorized')],
    events: pullEvents("ledger", "ghcr.io/example-corp/ledger:1.0.0", 'rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/example-corp/ledger:1.0.0": failed to resolve reference "ghcr.io/example-corp/ledger:1.0.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aexample-corp%2Fledger%3Apull&service=ghcr.io: 401 Unauthorized'),
    expect: { category: "ImagePull", keywords: [["ghcr.io/example-corp/ledger"], ["imagePullSecrets", "credentials", "unauthorized"]] },
  },
  {
    name: "image-registry-no-such-host",
    description: "The registry host name is misspelled.",
    app: "search",
    containers: [waiting(spec("search", "registry.exmaple.com/shop/search:7.0.3"), "ImagePullBackOff", 'Back-off pulling image "registry.exmaple.com/shop/search:7.0.3"')],
    events: pullEvents("search", "registry.exmaple.com/shop/search:7.0.3", 'rpc error: code = Unavailable desc = failed to pull and unpack image "registry.exmaple.com/shop/search:7.0.3": failed to resolve reference "registry.exmaple.com/shop/search:7.0.3": failed to do request: Head "https://registry.exmaple.com/v2/shop/search/manifests/7.0.3": dial tcp: lookup registry.exmaple.com on 10.0.0.2:53: no such host'),
    expect: { category: "ImagePull", keywords: [["registry.exmaple.com"], ["unreachable", "cannot be reached", "resolve"]] },
  },
  {
    name: "image-invalid-name",
    description: "Uppercase letters in the repository make the reference invalid.",
    app: "docs",
    containers: [waiting(spec("docs", `${REG}/Docs-Site:latest`), "InvalidImageName", `Failed to apply default image tag "${REG}/Docs-Site:latest": couldn't parse image name "${REG}/Docs-Site:latest": invalid reference format: repository name (shop/Docs-Site) must be lowercase`)],
    events: [{ reason: "InspectFailed", message: `Failed to apply default image tag "${REG}/Docs-Site:latest": couldn't parse image name "${REG}/Docs-Site:latest": invalid reference format: repository name (shop/Docs-Site) must be lowercase`, container: "docs", count: 9 }],
    expect: { category: "ImagePull", keywords: [["Docs-Site"], ["invalid", "reference format"]] },
  },
  {
    name: "image-typo-in-rollout",
    description: "The last rollout set a tag that does not exist; old pods still run.",
    app: "cart",
    containers: [waiting(spec("cart", `${REG}/cart:2.10`), "ImagePullBackOff", `Back-off pulling image "${REG}/cart:2.10"`)],
    previous: [{ image: `${REG}/cart:2.9.4` }],
    events: pullEvents("cart", `${REG}/cart:2.10`, `rpc error: code = NotFound desc = failed to pull and unpack image "${REG}/cart:2.10": failed to resolve reference "${REG}/cart:2.10": ${REG}/cart:2.10: not found`),
    expect: { category: "ImagePull", keywords: [["cart:2.10"], ["rollout", "roll back", "2.9.4"]] },
  },
  {
    name: "liveness-wrong-port",
    description: "Liveness probe on 8081 while the app listens on 8080: killed with 137.",
    app: "profile",
    containers: [crash(spec("profile", `${REG}/profile:1.3.0`, { ports: [{ name: "http", containerPort: 8080 }], livenessProbe: { httpGet: { path: "/healthz", port: 8081, scheme: "HTTP" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 } }), 137, { ranSeconds: 41 })],
    events: [
      ...crashEvents("profile", `${REG}/profile:1.3.0`),
      { reason: "Unhealthy", message: 'Liveness probe failed: Get "http://10.244.1.30:8081/healthz": dial tcp 10.244.1.30:8081: connect: connection refused', container: "profile", count: 18, minutesAgo: 1 },
      probeKill("profile"),
    ],
    logs: { profile: { previous: "2026-11-27T11:58:10Z INFO profile 1.3.0 listening on :8080\n2026-11-27T11:58:21Z INFO GET /v1/profile/88123 200 4ms\n" } },
    expect: { category: "ProbeFailure", keywords: [["8081"], ["port"]] },
  },
  {
    name: "liveness-wrong-path-404",
    description: "Liveness probe requests /health but the app serves /healthz.",
    app: "quotes",
    containers: [crash(spec("quotes", `${REG}/quotes:2.1.0`, { ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10, failureThreshold: 3 } }), 143, { ranSeconds: 35 })],
    events: [
      ...crashEvents("quotes", `${REG}/quotes:2.1.0`),
      { reason: "Unhealthy", message: "Liveness probe failed: HTTP probe failed with statuscode: 404", container: "quotes", count: 15, minutesAgo: 1 },
      probeKill("quotes"),
    ],
    logs: { quotes: { previous: '{"level":"info","msg":"listening","port":8080}\n{"level":"info","msg":"request","path":"/health","status":404}\n{"level":"info","msg":"shutting down on SIGTERM"}\n' } },
    expect: { category: "ProbeFailure", keywords: [["/health"], ["404", "path"]] },
  },
  {
    name: "liveness-timeout-too-strict",
    description: "Liveness probe with a 1s timeout on a slow endpoint under load.",
    app: "reports-api",
    containers: [crash(spec("api", `${REG}/reports-api:3.0.0`, { ports: [{ containerPort: 8000 }], livenessProbe: { httpGet: { path: "/status", port: 8000 }, timeoutSeconds: 1, periodSeconds: 5, failureThreshold: 3 } }), 137, { ranSeconds: 300 })],
    events: [
      ...crashEvents("api", `${REG}/reports-api:3.0.0`),
      { reason: "Unhealthy", message: 'Liveness probe failed: Get "http://10.244.1.30:8000/status": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', container: "api", count: 27, minutesAgo: 1 },
      probeKill("api"),
    ],
    logs: { api: { previous: "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\nINFO:     10.244.1.1:40122 - \"GET /reports/quarterly HTTP/1.1\" 200 OK\n" } },
    expect: { category: "ProbeFailure", keywords: [["timeout", "timed out", "too strict"], ["timeoutSeconds", "1s"]] },
  },
  {
    name: "liveness-kills-slow-starter",
    description: "A JVM needs 90s to start; liveness starts probing at 10s: 137 without OOM.",
    app: "catalog-jvm",
    containers: [crash(spec("catalog", `${REG}/catalog-jvm:11.0.0`, { ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { path: "/actuator/health/liveness", port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 } }), 137, { ranSeconds: 42 })],
    events: [
      ...crashEvents("catalog", `${REG}/catalog-jvm:11.0.0`),
      { reason: "Unhealthy", message: 'Liveness probe failed: Get "http://10.244.1.30:8080/actuator/health/liveness": dial tcp 10.244.1.30:8080: connect: connection refused', container: "catalog", count: 21, minutesAgo: 1 },
      probeKill("catalog"),
    ],
    logs: { catalog: { previous: "2026-11-27T11:58:01.100Z  INFO 1 --- [main] c.e.catalog.CatalogApplication : Starting CatalogApplication v11.0.0\n2026-11-27T11:58:38.410Z  INFO 1 --- [main] c.e.catalog.index.IndexLoader : loading search index (3.1 GB)\n" } },
    expect: { category: "ProbeFailure", keywords: [["startup", "starting", "initialDelaySeconds"]] },
  },
  {
    name: "postgres-refused-python",
    description: "Django cannot connect to Postgres: connection refused.",
    app: "backoffice",
    containers: [crash(spec("backoffice", `${REG}/backoffice:6.0.0`), 1)],
    events: crashEvents("backoffice", `${REG}/backoffice:6.0.0`),
    logs: {
      backoffice: {
        previous: `Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/django/db/backends/base/base.py", line 279, in ensure_connection
    self.connect()
  File "/usr/local/lib/python3.12/site-packages/psycopg/connection.py", line 119, in connect
    raise last_ex.with_traceback(None)
psycopg.OperationalError: connection failed: connection to server at "10.96.88.14", port 5432 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?
`,
      },
    },
    objects: [{ apiVersion: "v1", kind: "Service", metadata: { name: "postgres", namespace: "shop", uid: "svc-pg" }, spec: { clusterIP: "10.96.88.14", ports: [{ port: 5432, targetPort: 5432 }], selector: { app: "postgres" } } }],
    expect: { category: "DependencyFailure", keywords: [["10.96.88.14", "postgres"], ["refused"]] },
  },
  {
    name: "redis-econnrefused-node",
    description: "Node.js app exits on ECONNREFUSED to Redis.",
    app: "rate-limiter",
    containers: [crash(spec("limiter", `${REG}/rate-limiter:1.2.0`), 1)],
    events: crashEvents("limiter", `${REG}/rate-limiter:1.2.0`),
    logs: {
      limiter: {
        previous: `{"level":30,"msg":"connecting to redis://redis-master.cache.svc.cluster.local:6379"}
node:internal/process/promises:394
    triggerUncaughtException(err, true /* fromPromise */);
    ^

Error: connect ECONNREFUSED 10.96.12.40:6379
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {
  errno: -111,
  code: 'ECONNREFUSED',
  syscall: 'connect',
  address: '10.96.12.40',
  port: 6379
}

Node.js v22.11.0
`,
      },
    },
    expect: { category: "DependencyFailure", keywords: [["10.96.12.40:6379", "redis"]] },
  },
  {
    name: "dns-nxdomain-go",
    description: "Go service looks up a Service name that does not exist.",
    app: "shipping",
    containers: [crash(spec("shipping", `${REG}/shipping:3.2.0`), 1)],
    events: crashEvents("shipping", `${REG}/shipping:3.2.0`),
    logs: { shipping: { previous: `2026/11/27 11:58:50 shipping 3.2.0 starting\n2026/11/27 11:58:50 connecting to rates service\n2026/11/27 11:58:50 fatal: rates client: dial tcp: lookup rates-api.logistics.svc.cluster.local on 10.96.0.10:53: no such host\n` } },
    expect: { category: "DependencyFailure", keywords: [["rates-api.logistics.svc.cluster.local", "rates-api"]] },
  },
  {
    name: "java-connect-refused-caused-by",
    description: "Kafka consumer can't reach the broker; the cause is at the bottom of the trace.",
    app: "events-consumer",
    containers: [crash(spec("consumer", `${REG}/events-consumer:2.4.0`), 1, { ranSeconds: 12 })],
    events: crashEvents("consumer", `${REG}/events-consumer:2.4.0`),
    logs: {
      consumer: {
        previous: `2026-11-27T11:58:40.001Z  INFO 1 --- [main] c.e.events.ConsumerApplication : Starting ConsumerApplication v2.4.0
2026-11-27T11:58:51.330Z ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
org.springframework.context.ApplicationContextException: Failed to start bean 'ledgerDataSource'
	at org.springframework.context.support.DefaultLifecycleProcessor.doStart(DefaultLifecycleProcessor.java:288)
	at com.example.events.ConsumerApplication.main(ConsumerApplication.java:14)
Caused by: org.postgresql.util.PSQLException: Connection to ledger-db.finance.svc.cluster.local:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:352)
Caused by: java.net.ConnectException: Connection refused
	at java.base/sun.nio.ch.Net.pollConnect(Native Method)
`,
      },
    },
    expect: { category: "DependencyFailure", keywords: [["ledger-db"]] },
  },
  {
    name: "tls-certificate-expired",
    description: "The upstream's certificate expired; TLS handshake fails.",
    app: "partner-sync",
    containers: [crash(spec("sync", `${REG}/partner-sync:1.0.3`), 1)],
    events: crashEvents("sync", `${REG}/partner-sync:1.0.3`),
    logs: { sync: { previous: `level=info msg="partner-sync starting" partner=acme\nlevel=error msg="initial sync failed" err="Get \\"https://api.partner-acme.example.net/v2/catalog\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-27T11:58:51Z is after 2026-11-20T23:59:59Z"\n` } },
    expect: { category: "DependencyFailure", keywords: [["api.partner-acme.example.net"], ["expired", "certificate"]] },
  },
  {
    name: "dependency-timeout",
    description: "The payments API times out (no network policy involved).",
    app: "checkout",
    containers: [crash(spec("checkout", `${REG}/checkout:6.2.0`), 1)],
    events: crashEvents("checkout", `${REG}/checkout:6.2.0`),
    logs: { checkout: { previous: `2026-11-27T11:58:20Z INFO checkout 6.2.0\n2026-11-27T11:58:50Z FATAL cannot initialise payment client: dial tcp 10.96.140.9:8443: i/o timeout\n` } },
    expect: { category: "DependencyFailure", keywords: [["10.96.140.9:8443", "10.96.140.9"], ["time out", "timeout", "unreachable"]] },
  },
  {
    name: "init-container-waits-for-db",
    description: "The migration init container cannot reach the database; app never starts.",
    app: "accounts",
    initContainers: [crash(spec("migrate", `${REG}/accounts-migrate:1.9.0`, { command: ["/app/migrate", "up"] }), 1)],
    containers: [{ spec: spec("accounts", `${REG}/accounts:1.9.0`), state: st.waiting("PodInitializing"), restartCount: 0, ready: false }],
    podStatus: { phase: "Pending" },
    events: crashEvents("migrate", `${REG}/accounts-migrate:1.9.0`),
    logs: { migrate: { previous: `2026/11/27 11:58:55 migrate: applying 3 pending migrations\n2026/11/27 11:58:55 error: failed to connect to \`host=accounts-db.shop.svc.cluster.local user=accounts database=accounts\`: dial error (dial tcp 10.96.51.3:5432: connect: connection refused)\n` } },
    expect: { category: "DependencyFailure", keywords: [["accounts-db", "10.96.51.3"]] },
  },
  {
    name: "netpol-blocks-dns",
    description: "A default-deny egress policy without a DNS rule: lookups time out.",
    app: "orders",
    containers: [crash(spec("orders", `${REG}/orders:5.3.1`), 1)],
    events: crashEvents("orders", `${REG}/orders:5.3.1`),
    logs: { orders: { previous: `2026/11/27 11:58:40 orders 5.3.1 starting\n2026/11/27 11:58:50 fatal: connect db: dial tcp: lookup postgres.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.244.1.30:41234->10.96.0.10:53: i/o timeout\n` } },
    objects: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "orders-egress", namespace: "shop", uid: "np-1" }, spec: { podSelector: { matchLabels: { app: "orders" } }, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: { app: "postgres" } } }], ports: [{ protocol: "TCP", port: 5432 }] }] } }],
    expect: { category: "NetworkPolicy", keywords: [["orders-egress"], ["DNS", "53"]] },
  },
  {
    name: "netpol-blocks-db-port",
    description: "Egress allows DNS and 443 only; the app needs MySQL on 3306.",
    app: "wordpress",
    containers: [crash(spec("wordpress", "wordpress:6.7-apache"), 1)],
    events: crashEvents("wordpress", "wordpress:6.7-apache"),
    logs: { wordpress: { previous: `[27-Nov-2026 11:58:21 UTC] PHP Warning:  mysqli::__construct(): (HY000/2002): Connection timed out in /var/www/html/wp-includes/class-wpdb.php on line 1987\n[27-Nov-2026 11:58:21 UTC] Error establishing a database connection: timeout connecting to mysql.shop.svc.cluster.local:3306\n` } },
    objects: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "web-egress-allowlist", namespace: "shop", uid: "np-2" }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }, { ports: [{ protocol: "TCP", port: 443 }] }] } }],
    expect: { category: "NetworkPolicy", keywords: [["web-egress-allowlist"], ["3306", "mysql"]] },
  },
  {
    name: "netpol-default-deny-all",
    description: "deny-all egress policy: Node.js app gets EAI_AGAIN for every lookup.",
    app: "notifications",
    containers: [crash(spec("notifications", `${REG}/notifications:1.0.0`), 1)],
    events: crashEvents("notifications", `${REG}/notifications:1.0.0`),
    logs: { notifications: { previous: `{"level":50,"msg":"startup failed","err":{"type":"Error","message":"getaddrinfo EAI_AGAIN nats.messaging.svc.cluster.local","code":"EAI_AGAIN"}}\n` } },
    objects: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "shop", uid: "np-3" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }],
    expect: { category: "NetworkPolicy", keywords: [["default-deny"], ["DNS", "egress"]] },
  },
];
