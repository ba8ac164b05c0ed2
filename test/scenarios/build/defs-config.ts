// Configuration and command failures: missing objects, keys and env vars, bad values, bad commands.
import { crash, crashEvents, REG, running, spec, waiting } from "./helpers.js";
import type { ScenarioDef } from "./scenario.js";

const web = (extra = {}) => spec("web", `${REG}/web:3.4.1`, { ports: [{ name: "http", containerPort: 8080 }], ...extra });
const pulled = (c: string, image: string) => [
  { reason: "Scheduled", message: "Successfully assigned {ns}/{pod} to worker-1", source: "default-scheduler", minutesAgo: 10 },
  { reason: "Pulled", message: `Container image "${image}" already present on machine`, container: c, count: 40, minutesAgo: 0 },
];

export const CONFIG_SCENARIOS: ScenarioDef[] = [
  {
    name: "configmap-missing",
    description: "envFrom references a ConfigMap that was never created.",
    containers: [waiting(web({ envFrom: [{ configMapRef: { name: "web-settings" } }] }), "CreateContainerConfigError", 'configmap "web-settings" not found')],
    events: [...pulled("web", `${REG}/web:3.4.1`), { reason: "Failed", message: 'Error: configmap "web-settings" not found', container: "web", count: 40, minutesAgo: 0 }],
    expect: { category: "MissingConfiguration", keywords: [["web-settings"], ["configmap"]] },
  },
  {
    name: "configmap-key-missing",
    description: "configMapKeyRef names a key the ConfigMap does not have.",
    containers: [waiting(web({ env: [{ name: "FEATURE_FLAGS_URL", valueFrom: { configMapKeyRef: { name: "web-config", key: "flags_url" } } }] }), "CreateContainerConfigError", "couldn't find key flags_url in ConfigMap shop/web-config")],
    events: [...pulled("web", `${REG}/web:3.4.1`), { reason: "Failed", message: "Error: couldn't find key flags_url in ConfigMap shop/web-config", container: "web", count: 31, minutesAgo: 0 }],
    expect: { category: "MissingConfiguration", keywords: [["flags_url"], ["web-config"]] },
  },
  {
    name: "secret-missing",
    description: "secretKeyRef points at a Secret that does not exist in the namespace.",
    app: "payments",
    containers: [waiting(spec("payments", `${REG}/payments:2.0.0`, { env: [{ name: "STRIPE_API_KEY", valueFrom: { secretKeyRef: { name: "stripe-credentials", key: "api-key" } } }] }), "CreateContainerConfigError", 'secret "stripe-credentials" not found')],
    events: [...pulled("payments", `${REG}/payments:2.0.0`), { reason: "Failed", message: 'Error: secret "stripe-credentials" not found', container: "payments", count: 22, minutesAgo: 0 }],
    expect: { category: "MissingConfiguration", keywords: [["stripe-credentials"], ["secret"]] },
  },
  {
    name: "secret-key-missing",
    description: "The Secret exists but lacks the referenced key.",
    app: "orders-db-migrate",
    containers: [waiting(spec("migrate", `${REG}/orders-migrate:5.3.0`, { env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "orders-db", key: "password" } } }] }), "CreateContainerConfigError", "couldn't find key password in Secret shop/orders-db")],
    events: [{ reason: "Failed", message: "Error: couldn't find key password in Secret shop/orders-db", container: "migrate", count: 12, minutesAgo: 0 }],
    expect: { category: "MissingConfiguration", keywords: [["password"], ["orders-db"]] },
  },
  {
    name: "env-missing-go",
    description: "Go service refuses to start: DATABASE_URL is not set.",
    app: "accounts",
    containers: [crash(spec("accounts", `${REG}/accounts:1.9.0`, { env: [{ name: "LOG_LEVEL", value: "info" }] }), 1)],
    events: crashEvents("accounts", `${REG}/accounts:1.9.0`),
    logs: { accounts: { previous: `time="2026-11-27T11:58:44Z" level=info msg="accounts 1.9.0 starting"\ntime="2026-11-27T11:58:44Z" level=fatal msg="config: required environment variable \\"DATABASE_URL\\" is not set"\n` } },
    expect: { category: "MissingConfiguration", keywords: [["DATABASE_URL"]] },
  },
  {
    name: "env-missing-python-keyerror",
    description: "Python app reads os.environ['REDIS_URL'] directly and dies with KeyError.",
    app: "sessions",
    containers: [crash(spec("sessions", `${REG}/sessions:0.8.0`), 1)],
    events: crashEvents("sessions", `${REG}/sessions:0.8.0`),
    logs: {
      sessions: {
        previous: `Traceback (most recent call last):
  File "/app/sessions/main.py", line 6, in <module>
    from sessions.settings import settings
  File "/app/sessions/settings.py", line 12, in <module>
    REDIS_URL = os.environ["REDIS_URL"]
                ~~~~~~~~~~^^^^^^^^^^^^^
  File "<frozen os>", line 714, in __getitem__
KeyError: 'REDIS_URL'
`,
      },
    },
    expect: { category: "MissingConfiguration", keywords: [["REDIS_URL"]] },
  },
  {
    name: "env-removed-by-rollout",
    description: "The last rollout renamed SMTP_HOST to MAIL_HOST; the app still needs SMTP_HOST.",
    app: "notifier",
    containers: [crash(spec("notifier", `${REG}/notifier:2.3.0`, { env: [{ name: "MAIL_HOST", value: "smtp.mail.svc.cluster.local" }, { name: "NODE_ENV", value: "production" }] }), 1)],
    previous: [{ env: [{ name: "SMTP_HOST", value: "smtp.mail.svc.cluster.local" }, { name: "NODE_ENV", value: "production" }] }],
    events: crashEvents("notifier", `${REG}/notifier:2.3.0`),
    logs: {
      notifier: {
        previous: `{"level":"info","time":"2026-11-27T11:58:50.001Z","msg":"notifier 2.3.0 booting"}
/app/dist/config.js:18
    throw new Error(\`Missing required environment variable: \${name}\`);
    ^

Error: Missing required environment variable: SMTP_HOST
    at required (/app/dist/config.js:18:11)
    at Object.<anonymous> (/app/dist/config.js:25:13)
    at Module._compile (node:internal/modules/cjs/loader:1546:14)

Node.js v22.11.0
`,
      },
    },
    expect: { category: "MissingConfiguration", keywords: [["SMTP_HOST"], ["rollout", "rollback", "removed"]] },
  },
  {
    name: "spring-placeholder-unresolved",
    description: "Spring cannot resolve ${PAYMENT_GATEWAY_URL}.",
    app: "payments-api",
    containers: [crash(spec("api", `${REG}/payments-api:4.0.0`), 1, { ranSeconds: 15 })],
    events: crashEvents("api", `${REG}/payments-api:4.0.0`),
    logs: {
      api: {
        previous: `2026-11-27T11:58:31.770Z  INFO 1 --- [           main] c.e.payments.PaymentsApplication         : Starting PaymentsApplication v4.0.0 using Java 21.0.5
2026-11-27T11:58:35.118Z  WARN 1 --- [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'gatewayClient': Injection of autowired dependencies failed
2026-11-27T11:58:35.201Z ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed

org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'gatewayClient': Injection of autowired dependencies failed
	at org.springframework.beans.factory.annotation.AutowiredAnnotationBeanPostProcessor.postProcessProperties(AutowiredAnnotationBeanPostProcessor.java:515)
	at com.example.payments.PaymentsApplication.main(PaymentsApplication.java:12)
Caused by: java.lang.IllegalArgumentException: Could not resolve placeholder 'PAYMENT_GATEWAY_URL' in value "\${PAYMENT_GATEWAY_URL}"
	at org.springframework.util.PropertyPlaceholderHelper.parseStringValue(PropertyPlaceholderHelper.java:180)
	... 42 common frames omitted
`,
      },
    },
    expect: { category: "MissingConfiguration", keywords: [["PAYMENT_GATEWAY_URL"]] },
  },
  {
    name: "config-file-missing",
    description: "App expects /etc/app/config.yaml but the ConfigMap volume is mounted elsewhere.",
    app: "router",
    containers: [crash(spec("router", `${REG}/router:1.1.0`, { volumeMounts: [{ name: "config", mountPath: "/etc/router" }] }), 1)],
    podSpec: { volumes: [{ name: "config", configMap: { name: "router-config" } }] },
    objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "router-config", namespace: "shop", uid: "cm-router-config" }, data: { "config.yaml": "listen: :8080\nupstreams:\n  - http://orders:8080\n" } }],
    events: crashEvents("router", `${REG}/router:1.1.0`),
    logs: { router: { previous: `2026/11/27 11:58:52 router 1.1.0\n2026/11/27 11:58:52 error: open /etc/app/config.yaml: no such file or directory\n` } },
    expect: { category: "MissingConfiguration", keywords: [["/etc/app/config.yaml", "config.yaml"]] },
  },
  {
    name: "two-containers-one-missing-env",
    description: "App container needs JWT_ISSUER; the sidecar is healthy and chatty.",
    app: "auth",
    containers: [crash(spec("auth", `${REG}/auth:3.1.0`), 1), running(spec("oauth2-proxy", "quay.io/oauth2-proxy/oauth2-proxy:v7.7.1"))],
    events: crashEvents("auth", `${REG}/auth:3.1.0`),
    logs: {
      auth: { previous: "2026-11-27T11:58:40Z INFO auth 3.1.0 starting\n2026-11-27T11:58:40Z FATAL JWT_ISSUER must be set\n" },
      "oauth2-proxy": { current: "[2026/11/27 11:59:10] [proxy.go:89] ERROR: Error proxying to upstream server: dial tcp 127.0.0.1:8080: connect: connection refused\n[2026/11/27 11:59:12] [proxy.go:89] ERROR: Error proxying to upstream server: dial tcp 127.0.0.1:8080: connect: connection refused\n" },
    },
    expect: { category: "MissingConfiguration", keywords: [["JWT_ISSUER"]] },
  },
  {
    name: "bad-value-invalid-port",
    description: "A flag value is not a number.",
    app: "metrics-gw",
    containers: [crash(spec("gw", `${REG}/metrics-gw:0.6.0`, { args: ["--listen-port=80a", "--upstream=http://prometheus:9090"] }), 2)],
    events: crashEvents("gw", `${REG}/metrics-gw:0.6.0`),
    logs: { gw: { previous: 'invalid value "80a" for flag -listen-port: parse error\nUsage of /usr/local/bin/metrics-gw:\n  -listen-port int\n    \tport to listen on (default 8080)\n  -upstream string\n    \tupstream URL\n' } },
    expect: { category: "ApplicationConfiguration", keywords: [["80a", "listen-port"]] },
  },
  {
    name: "db-password-wrong",
    description: "The configured database password is wrong: authentication fails.",
    app: "orders",
    containers: [crash(spec("orders", `${REG}/orders-py:2.2.0`), 1)],
    events: crashEvents("orders", `${REG}/orders-py:2.2.0`),
    logs: {
      orders: {
        previous: `[2026-11-27 11:58:47 +0000] [1] [INFO] Starting gunicorn 23.0.0
[2026-11-27 11:58:48 +0000] [7] [ERROR] Exception in worker process
Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/psycopg/connection.py", line 119, in connect
    raise last_ex.with_traceback(None)
psycopg.OperationalError: connection failed: connection to server at "10.96.41.7", port 5432 failed: FATAL:  password authentication failed for user "orders"
`,
      },
    },
    expect: { category: "ApplicationConfiguration", keywords: [["password authentication failed", "password"], ["orders"]] },
  },
  {
    name: "rollout-changed-env-value",
    description: "The last rollout changed LOG_FORMAT to an unsupported value.",
    app: "ingest",
    containers: [crash(spec("ingest", `${REG}/ingest:1.6.0`, { env: [{ name: "LOG_FORMAT", value: "jsonl" }] }), 1)],
    previous: [{ env: [{ name: "LOG_FORMAT", value: "json" }] }],
    events: crashEvents("ingest", `${REG}/ingest:1.6.0`),
    logs: { ingest: { previous: '2026-11-27T11:58:50Z ingest 1.6.0\n2026-11-27T11:58:50Z error: invalid configuration: LOG_FORMAT "jsonl" is not one of [json, text]\n' } },
    expect: { category: "ApplicationConfiguration", keywords: [["LOG_FORMAT", "jsonl"], ["rollout"]] },
  },
  {
    name: "node-invalid-url",
    description: "Node.js service gets a malformed URL from its env.",
    app: "webhooks",
    containers: [crash(spec("webhooks", `${REG}/webhooks:2.0.1`, { env: [{ name: "UPSTREAM_URL", value: "orders.shop.svc:8080/api" }] }), 1)],
    events: crashEvents("webhooks", `${REG}/webhooks:2.0.1`),
    logs: {
      webhooks: {
        previous: `node:internal/url:816
      href = bindingUrl.parse(input, base, true);
                        ^

TypeError: Invalid URL
    at new URL (node:internal/url:816:25)
    at Object.<anonymous> (/app/dist/upstream.js:9:17) {
  code: 'ERR_INVALID_URL',
  input: 'orders.shop.svc:8080/api'
}

Node.js v22.11.0
`,
      },
    },
    expect: { category: "ApplicationConfiguration", keywords: [["Invalid URL", "ERR_INVALID_URL"]] },
  },
  {
    name: "command-not-found-starterror",
    description: "The command names a binary that is not in the image (typo).",
    app: "api",
    containers: [crash(spec("api", `${REG}/api-py:1.0.0`, { command: ["gunicron", "app:app", "-b", "0.0.0.0:8000"] }), 128, { reason: "StartError", message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "gunicron": executable file not found in $PATH: unknown', ranSeconds: 0 })],
    events: [{ reason: "Failed", message: 'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "gunicron": executable file not found in $PATH: unknown', container: "api", count: 7 }],
    expect: { category: "BadCommand", keywords: [["gunicron"]] },
  },
  {
    name: "shell-command-not-found-127",
    description: "Entrypoint script calls a tool the slim image does not ship.",
    app: "frontend",
    containers: [crash(spec("frontend", `${REG}/frontend:9.0.0`, { command: ["/docker-entrypoint.sh"] }), 127)],
    events: crashEvents("frontend", `${REG}/frontend:9.0.0`),
    logs: { frontend: { previous: "/docker-entrypoint.sh: rendering /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: line 14: envsubst: command not found\n" } },
    expect: { category: "BadCommand", keywords: [["envsubst"]] },
  },
  {
    name: "shell-syntax-error",
    description: "A quoting mistake in args makes sh fail with a syntax error.",
    app: "cache-warmer",
    containers: [crash(spec("warmer", "busybox:1.37", { command: ["sh", "-c"], args: ["for u in $(cat /urls); do wget -q -O- $u > /dev/null; done)"] }), 2)],
    events: crashEvents("warmer", "busybox:1.37"),
    logs: { warmer: { previous: 'sh: syntax error: unexpected ")"\n' } },
    expect: { category: "BadCommand", keywords: [["syntax error"]] },
  },
  {
    name: "exec-format-error-arm64",
    description: "An arm64-only image scheduled on an amd64 node.",
    app: "edge-agent",
    containers: [crash(spec("agent", `${REG}/edge-agent:0.2.0-arm64`), 1)],
    events: crashEvents("agent", `${REG}/edge-agent:0.2.0-arm64`),
    logs: { agent: { previous: "exec /usr/local/bin/edge-agent: exec format error\n" } },
    expect: { category: "BadCommand", keywords: [["exec format error"], ["architecture", "arm64", "amd64"]] },
  },
  {
    name: "exit-zero-completed-crashloop",
    description: "A one-shot command in a Deployment exits 0 and is restarted forever.",
    app: "seed",
    containers: [crash(spec("seed", `${REG}/seed-data:1.0.0`, { command: ["python", "-m", "seed.load"] }), 0, { reason: "Completed", ranSeconds: 3 })],
    events: crashEvents("seed", `${REG}/seed-data:1.0.0`),
    logs: { seed: { previous: "Loaded 120 categories\nLoaded 4301 products\nDone.\n" } },
    expect: { category: "BadCommand", keywords: [["exit 0", "exits 0", "Completed"]] },
  },
  {
    name: "unknown-flag",
    description: "A renamed flag in args: the binary rejects it.",
    app: "exporter",
    containers: [crash(spec("exporter", `${REG}/queue-exporter:2.0.0`, { args: ["--web.listen-adress=:9102"] }), 2)],
    events: crashEvents("exporter", `${REG}/queue-exporter:2.0.0`),
    logs: { exporter: { previous: "flag provided but not defined: -web.listen-adress\nUsage of queue-exporter:\n  -web.listen-address string\n    \tAddress to listen on (default \":9102\")\n" } },
    expect: { category: "BadCommand", keywords: [["web.listen-adress"]] },
  },
  {
    name: "entrypoint-not-executable-126",
    description: "The entrypoint script lacks the executable bit.",
    app: "worker",
    containers: [crash(spec("worker", `${REG}/worker:3.0.0`, { command: ["/bin/sh", "-c", "/app/run.sh"] }), 126)],
    events: crashEvents("worker", `${REG}/worker:3.0.0`),
    logs: { worker: { previous: "/bin/sh: 1: /app/run.sh: Permission denied\n" } },
    expect: { category: "BadCommand", keywords: [["/app/run.sh"], ["executable", "permission"]] },
  },
];
