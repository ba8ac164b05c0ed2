// Application crashes in each runtime, exit-code readings, and Unknowns.
import { crash, crashEvents, REG, running, spec } from "./helpers.js";
import type { ScenarioDef } from "./scenario.js";

const goApi = spec("api", `${REG}/cart-api:2.7.1`, { ports: [{ name: "http", containerPort: 8080 }] });

export const APP_SCENARIOS: ScenarioDef[] = [
  {
    name: "go-nil-pointer-panic",
    description: "Go service dereferences a nil pointer on the first request after start.",
    app: "cart-api",
    containers: [crash(goApi, 2)],
    events: crashEvents("api", goApi.image),
    logs: {
      api: {
        previous: `{"level":"info","ts":"2026-11-27T11:58:40.112Z","msg":"starting cart-api","version":"2.7.1","commit":"9f3c2ab"}
{"level":"info","ts":"2026-11-27T11:58:40.131Z","msg":"connected to redis","addr":"redis.shop.svc.cluster.local:6379"}
{"level":"info","ts":"2026-11-27T11:58:40.140Z","msg":"listening","addr":":8080"}
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8b5e2d]

goroutine 41 [running]:
github.com/example/cart-api/internal/pricing.(*Calculator).Total(0x0, {0xc0001a6000, 0x3, 0x4})
	/src/internal/pricing/calculator.go:57 +0x2d
github.com/example/cart-api/internal/http.(*Handler).checkout(0xc00012c0a0, {0xa7c1e0, 0xc0002c8000}, 0xc0002be100)
	/src/internal/http/checkout.go:88 +0x1c5
net/http.HandlerFunc.ServeHTTP(0xc000190060, {0xa7c1e0, 0xc0002c8000}, 0xc0002be100)
	/usr/local/go/src/net/http/server.go:2294 +0x29
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["panic", "nil pointer"], ["calculator.go", "nil pointer dereference"]] },
  },
  {
    name: "go-concurrent-map-writes",
    description: "Go fatal error from unsynchronised map access.",
    app: "inventory",
    containers: [crash(spec("inventory", `${REG}/inventory:1.12.0`), 2)],
    events: crashEvents("inventory", `${REG}/inventory:1.12.0`),
    logs: {
      inventory: {
        previous: `time="2026-11-27T11:57:02Z" level=info msg="inventory sync started" workers=8
time="2026-11-27T11:57:09Z" level=info msg="synced 1200 skus" batch=1
fatal error: concurrent map writes

goroutine 77 [running]:
github.com/example/inventory/internal/cache.(*Store).Put(...)
	/src/internal/cache/store.go:41
github.com/example/inventory/internal/sync.(*Worker).run(0xc000214000)
	/src/internal/sync/worker.go:103 +0x2f4
created by github.com/example/inventory/internal/sync.Start in goroutine 1
	/src/internal/sync/start.go:22 +0x85
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["concurrent map writes"]] },
  },
  {
    name: "java-null-pointer",
    description: "Spring Boot service throws a NullPointerException at startup.",
    app: "orders",
    containers: [crash(spec("orders", `${REG}/orders:5.3.0`, { resources: { limits: { memory: "1Gi" }, requests: { memory: "768Mi", cpu: "250m" } } }), 1, { ranSeconds: 19 })],
    events: crashEvents("orders", `${REG}/orders:5.3.0`),
    logs: {
      orders: {
        previous: `  .   ____          _            __ _ _
 /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\
  '  |____| .__|_| |_|_| |_\\__, | / / / /
 =========|_|==============|___/=/_/_/_/
 :: Spring Boot ::                (v3.3.5)

2026-11-27T11:58:21.402Z  INFO 1 --- [           main] c.e.orders.OrdersApplication             : Starting OrdersApplication v5.3.0 using Java 21.0.5 with PID 1
2026-11-27T11:58:24.918Z  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)
2026-11-27T11:58:27.330Z ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed

java.lang.NullPointerException: Cannot invoke "com.example.orders.tax.TaxTable.rateFor(String)" because "this.table" is null
	at com.example.orders.tax.TaxService.warmUp(TaxService.java:64)
	at com.example.orders.OrdersApplication.lambda$runner$0(OrdersApplication.java:38)
	at org.springframework.boot.SpringApplication.lambda$callRunner$5(SpringApplication.java:790)
	at org.springframework.boot.SpringApplication.run(SpringApplication.java:335)
	at com.example.orders.OrdersApplication.main(OrdersApplication.java:21)
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["NullPointerException"], ["TaxService", "table"]] },
  },
  {
    name: "java-exception-in-main",
    description: "Plain Java batch job dies on an uncaught IllegalStateException in main.",
    app: "ledger-export",
    kind: "Job",
    containers: [{ spec: spec("export", `${REG}/ledger-export:0.9.4`), state: { terminated: { exitCode: 1, reason: "Error", startedAt: "2026-11-27T11:55:00Z", finishedAt: "2026-11-27T11:55:07Z" } }, restartCount: 0, ready: false }],
    podStatus: { phase: "Failed" },
    events: [{ reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", on: "job", source: "job-controller" }],
    logs: {
      export: {
        current: `[main] INFO com.example.ledger.Export - exporting ledger for 2026-11-26
[main] INFO com.example.ledger.Export - 48211 entries read
Exception in thread "main" java.lang.IllegalStateException: ledger is unbalanced: debit 1842211.09 != credit 1842210.99
	at com.example.ledger.Balance.check(Balance.java:52)
	at com.example.ledger.Export.run(Export.java:88)
	at com.example.ledger.Export.main(Export.java:31)
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["IllegalStateException"], ["unbalanced", "Balance.java"]] },
  },
  {
    name: "node-typeerror-undefined",
    description: "Node.js service crashes with a TypeError reading a property of undefined.",
    app: "storefront",
    containers: [crash(spec("storefront", `${REG}/storefront:4.1.0`, { ports: [{ containerPort: 3000 }] }), 1)],
    events: crashEvents("storefront", `${REG}/storefront:4.1.0`),
    logs: {
      storefront: {
        previous: `> storefront@4.1.0 start
> node dist/server.js

{"level":30,"time":1795780721000,"pid":1,"hostname":"storefront","msg":"server listening on http://0.0.0.0:3000"}
/app/dist/catalog/featured.js:27
    return banner.items.map((i) => i.sku);
                  ^

TypeError: Cannot read properties of undefined (reading 'items')
    at featuredSkus (/app/dist/catalog/featured.js:27:19)
    at async warmCache (/app/dist/catalog/cache.js:14:5)
    at async Promise.all (index 1)
    at async start (/app/dist/server.js:44:3)

Node.js v22.11.0
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["TypeError"], ["items", "featured.js"]] },
  },
  {
    name: "node-unhandled-rejection",
    description: "Unhandled promise rejection ends a Node.js worker.",
    app: "mailer",
    containers: [crash(spec("mailer", `${REG}/mailer:1.4.2`), 1)],
    events: crashEvents("mailer", `${REG}/mailer:1.4.2`),
    logs: {
      mailer: {
        previous: `2026-11-27T11:58:50.101Z info: mailer worker started (queue=outbound, concurrency=4)
node:internal/process/promises:394
    triggerUncaughtException(err, true /* fromPromise */);
    ^

RangeError: Invalid time value
    at Date.toISOString (<anonymous>)
    at renderDigest (/srv/app/templates/digest.js:61:42)
    at processJob (/srv/app/worker.js:118:21)

Node.js v20.18.1
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["RangeError", "Invalid time value"]] },
  },
  {
    name: "python-traceback-zerodivision",
    description: "Python worker divides by zero while computing a report.",
    app: "reports",
    containers: [crash(spec("worker", `${REG}/reports:3.0.2`), 1)],
    events: crashEvents("worker", `${REG}/reports:3.0.2`),
    logs: {
      worker: {
        previous: `INFO:reports.worker:Starting report worker pid=1
INFO:reports.worker:Processing report id=8812 (weekly-conversion)
Traceback (most recent call last):
  File "/app/reports/worker.py", line 88, in <module>
    main()
  File "/app/reports/worker.py", line 81, in main
    run(job)
  File "/app/reports/conversion.py", line 34, in run
    rate = orders / visits
           ~~~~~~~^~~~~~~~
ZeroDivisionError: division by zero
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["ZeroDivisionError", "division by zero"]] },
  },
  {
    name: "rust-unwrap-panic",
    description: "Rust service panics on unwrap of None.",
    app: "pricing",
    containers: [crash(spec("pricing", `${REG}/pricing:0.14.0`), 101)],
    events: crashEvents("pricing", `${REG}/pricing:0.14.0`),
    logs: {
      pricing: {
        previous: `2026-11-27T11:58:31.004211Z  INFO pricing: starting pricing service version=0.14.0
2026-11-27T11:58:31.010932Z  INFO pricing::rules: loaded 214 price rules
thread 'main' panicked at src/rules/currency.rs:112:38:
called \`Option::unwrap()\` on a \`None\` value
note: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["panic"], ["currency.rs", "unwrap"]] },
  },
  {
    name: "dotnet-unhandled-exception",
    description: ".NET service throws an unhandled InvalidOperationException at startup.",
    app: "billing",
    containers: [crash(spec("billing", `${REG}/billing:8.2.0`), 134, { reason: "Error" })],
    events: crashEvents("billing", `${REG}/billing:8.2.0`),
    logs: {
      billing: {
        previous: `info: Microsoft.Hosting.Lifetime[14]
      Now listening on: http://[::]:8080
Unhandled exception. System.InvalidOperationException: Sequence contains no matching element
   at System.Linq.ThrowHelper.ThrowNoMatchException()
   at System.Linq.Enumerable.First[TSource](IEnumerable\`1 source, Func\`2 predicate)
   at Billing.Invoices.TaxRegionResolver.Resolve(String country) in /src/Billing/Invoices/TaxRegionResolver.cs:line 27
   at Billing.Program.<Main>$(String[] args) in /src/Billing/Program.cs:line 41
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["InvalidOperationException"], ["TaxRegionResolver", "no matching element"]] },
  },
  {
    name: "native-segfault-139",
    description: "A native image-processing service segfaults (exit 139).",
    app: "thumbnailer",
    containers: [crash(spec("thumbnailer", `${REG}/thumbnailer:2.2.0`), 139)],
    events: crashEvents("thumbnailer", `${REG}/thumbnailer:2.2.0`),
    logs: { thumbnailer: { previous: "thumbnailer 2.2.0 ready, 4 workers\nprocessing upload 77ab1e.heic\n" } },
    expect: { category: "ApplicationError", keywords: [["139", "SIGSEGV", "segmentation"]] },
  },
  {
    name: "red-herring-last-line",
    description: "Python crash whose last log line is an unrelated shutdown error: the first error is the cause.",
    app: "recommender",
    containers: [crash(spec("recommender", `${REG}/recommender:1.8.0`), 1)],
    events: crashEvents("recommender", `${REG}/recommender:1.8.0`),
    logs: {
      recommender: {
        previous: `2026-11-27 11:58:12,004 INFO recommender.app: loading model artifacts from /models/v31
2026-11-27 11:58:14,771 ERROR recommender.app: model load failed
Traceback (most recent call last):
  File "/app/recommender/app.py", line 52, in load
    weights = artifacts["embeddings"]["user"]
              ~~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^
KeyError: 'user'
2026-11-27 11:58:14,802 INFO recommender.app: shutting down
2026-11-27 11:58:14,913 ERROR recommender.telemetry: flush failed: HTTPConnectionPool(host='otel-collector.observability', port=4318): Max retries exceeded with url: /v1/traces (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f2c>: Failed to establish a new connection: [Errno 111] Connection refused'))
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["KeyError"], ["user", "app.py"]] },
  },
  {
    name: "exit-1-no-signature",
    description: "A container exits 1 with an unspecific message: Unknown with the evidence, not a guess.",
    app: "legacy-sync",
    containers: [crash(spec("sync", `${REG}/legacy-sync:0.3.1`), 1)],
    events: crashEvents("sync", `${REG}/legacy-sync:0.3.1`),
    logs: { sync: { previous: "sync: starting run 4411\nsync: step 3/7 returned status 17\nsync: aborting run\n" } },
    expect: { category: "Unknown", keywords: [["exit", "code 1"]] },
  },
  {
    name: "exit-137-no-oom-no-probe",
    description: "SIGKILL without OOMKilled, no probe failures, node healthy: Unknown, naming what 137 means.",
    app: "crawler",
    containers: [crash(spec("crawler", `${REG}/crawler:5.0.0`), 137)],
    events: crashEvents("crawler", `${REG}/crawler:5.0.0`),
    logs: { crawler: { previous: "crawler 5.0.0 starting\nqueue depth 1931\n" } },
    expect: { category: "Unknown", keywords: [["137", "SIGKILL"]] },
  },
  {
    name: "many-replicas-one-incident",
    description: "Five replicas of one Deployment crash the same way: one incident.",
    app: "search",
    replicas: 5,
    containers: [crash(spec("search", `${REG}/search:7.0.3`), 2)],
    events: crashEvents("search", `${REG}/search:7.0.3`),
    logs: {
      search: {
        previous: `2026/11/27 11:58:40 search 7.0.3 starting
panic: index "products-v7" has no mapping for field "price_cents"

goroutine 1 [running]:
main.mustLoadMapping(...)
	/src/cmd/search/main.go:64
main.main()
	/src/cmd/search/main.go:29 +0x3b4
`,
      },
    },
    expect: { category: "ApplicationError", keywords: [["panic"], ["price_cents", "mapping"]] },
  },
  {
    name: "healthy-deployment",
    description: "Healthy control: running, ready, no restarts.",
    app: "catalog",
    containers: [running(spec("catalog", `${REG}/catalog:3.3.3`, { ports: [{ containerPort: 8080 }] }))],
    logs: { catalog: { current: "2026-11-27T11:50:00Z INFO catalog ready on :8080\n2026-11-27T11:59:00Z WARN slow query took 1.2s (products by tag)\n" } },
    expect: { category: "Unknown", keywords: [], incidents: 0 },
  },
  {
    name: "healthy-with-old-restarts",
    description: "Healthy control: two restarts long ago, running for hours since.",
    app: "gateway",
    containers: [{ spec: spec("gateway", `${REG}/gateway:1.0.9`), state: { running: { startedAt: "2026-11-27T06:00:00Z" } }, lastState: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: "2026-11-27T05:00:00Z", finishedAt: "2026-11-27T05:59:58Z" } }, restartCount: 2, ready: true }],
    expect: { category: "Unknown", keywords: [], incidents: 0 },
  },
  {
    name: "healthy-job-completed",
    description: "Healthy control: a Job whose pod completed successfully.",
    app: "nightly-backup",
    kind: "Job",
    containers: [{ spec: spec("backup", `${REG}/backup:2.0.0`), state: { terminated: { exitCode: 0, reason: "Completed", startedAt: "2026-11-27T11:40:00Z", finishedAt: "2026-11-27T11:44:00Z" } }, restartCount: 0, ready: false }],
    podStatus: { phase: "Succeeded" },
    expect: { category: "Unknown", keywords: [], incidents: 0 },
  },
  {
    name: "healthy-sidecar-warnings",
    description: "Healthy control: two containers, warnings in logs, nothing failing.",
    app: "checkout",
    containers: [running(spec("checkout", `${REG}/checkout:6.1.0`)), running(spec("envoy", "envoyproxy/envoy:v1.32.1"))],
    logs: { envoy: { current: "[2026-11-27 11:59:01.221][1][warning][config] gRPC config stream to xds-cluster closed: 13, \n[2026-11-27 11:59:02.004][1][info][upstream] cds: add 4 cluster(s)\n" } },
    expect: { category: "Unknown", keywords: [], incidents: 0 },
  },
];
