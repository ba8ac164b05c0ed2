// The real Prometheus and Alertmanager (Debian packages `prometheus` and
// `prometheus-alertmanager`) on free loopback ports with temp data dirs, killed
// with the test process. Outside CI a missing binary lets callers skip; under
// CI=true it is an error.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { freePort } from "./ports.js";
import { stopProcess, track } from "./processes.js";

export const PROMETHEUS_BINARY = "/usr/bin/prometheus";
export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";

const PACKAGES: Record<string, string> = { [PROMETHEUS_BINARY]: "prometheus", [ALERTMANAGER_BINARY]: "prometheus-alertmanager" };

/**
 * Whether the binaries exist. Under CI=true a missing one throws, naming the
 * Debian package to install (.ci/run installs both).
 */
export function monitoringAvailable(binaries: string[] = [PROMETHEUS_BINARY, ALERTMANAGER_BINARY]): boolean {
  const missing = binaries.filter((b) => !existsSync(b));
  if (missing.length === 0) return true;
  const hint = missing.map((b) => `${b} (apt-get install ${PACKAGES[b] ?? "?"})`).join(", ");
  if (process.env.CI === "true") throw new Error(`missing under CI=true: ${hint}; .ci/run installs them`);
  return false;
}

export interface RunningService {
  url: string;
  port: number;
  dir: string;
  /** The last lines the process wrote (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

interface ServiceSpec {
  name: string;
  binary: string;
  args: (port: number, dir: string) => string[];
  files: Record<string, string>;
  readyTimeoutMs?: number;
  /** Default: a free port. */
  port?: number;
}

async function startService(spec: ServiceSpec): Promise<RunningService> {
  if (!existsSync(spec.binary)) throw new Error(`${spec.binary} is missing: install the Debian package ${PACKAGES[spec.binary] ?? spec.name}`);
  const dir = mkdtempSync(join(tmpdir(), `production-fixer-${spec.name}-`));
  for (const [file, text] of Object.entries(spec.files)) writeFileSync(join(dir, file), text);
  const port = spec.port ?? (await freePort());
  const child = spawn(spec.binary, spec.args(port, dir), { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    url,
    port,
    dir,
    output: () => lines.join("\n"),
    stop: async () => {
      await stopProcess(child, 5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitReady(child, `${url}/-/ready`, spec.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await service.stop();
    throw new Error(`${spec.name} did not become ready on ${url}:\n${service.output()}`, { cause: err });
  }
  return service;
}

async function waitReady(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface PrometheusOptions {
  /** scrape_configs entries. */
  scrapeConfigs?: object[];
  /** Rule groups (the `groups` of a rules file). */
  ruleGroups?: object[];
  /** host:port of an Alertmanager to send alerts to. */
  alertmanager?: string;
  scrapeIntervalSeconds?: number;
  evaluationIntervalSeconds?: number;
  /** Listen here instead of on a free port (when its URL must be known before it starts). */
  port?: number;
}

/** Starts Prometheus with the given scrape configs, rules and Alertmanager. */
export function startPrometheus(opts: PrometheusOptions = {}): Promise<RunningService> {
  const config = {
    global: { scrape_interval: `${opts.scrapeIntervalSeconds ?? 1}s`, evaluation_interval: `${opts.evaluationIntervalSeconds ?? 1}s`, scrape_timeout: "1s" },
    rule_files: ["rules.yml"],
    ...(opts.alertmanager ? { alerting: { alertmanagers: [{ api_version: "v2", static_configs: [{ targets: [opts.alertmanager] }] }] } } : {}),
    scrape_configs: opts.scrapeConfigs ?? [],
  };
  return startService({
    name: "prometheus",
    binary: PROMETHEUS_BINARY,
    ...(opts.port ? { port: opts.port } : {}),
    files: { "prometheus.yml": stringify(config), "rules.yml": stringify({ groups: opts.ruleGroups ?? [] }) },
    args: (port, dir) => [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Alerts sent before the Alertmanager is discovered (SD syncs every 5 s) are
      // dropped; resending every second instead of every minute recovers them.
      "--rules.alert.resend-delay=1s",
      "--log.level=warn",
    ],
  });
}

export interface AlertmanagerOptions {
  /** The whole alertmanager.yml (route, receivers...). */
  config: object;
}

/** Starts Alertmanager alone (no cluster listener). */
export function startAlertmanager(opts: AlertmanagerOptions): Promise<RunningService> {
  return startService({
    name: "alertmanager",
    binary: ALERTMANAGER_BINARY,
    files: { "alertmanager.yml": stringify(opts.config) },
    args: (port, dir) => [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
  });
}

/** A webhook receiver config routing every alert to url with a bearer token, fast grouping and resolved notifications. */
export function webhookRoute(url: string, token: string, opts: { groupBy?: string[] } = {}): object {
  return {
    route: { receiver: "production-fixer", group_by: opts.groupBy ?? ["alertname", "namespace", "pod"], group_wait: "1s", group_interval: "1s", repeat_interval: "4h" },
    receivers: [{ name: "production-fixer", webhook_configs: [{ url, send_resolved: true, http_config: { authorization: { type: "Bearer", credentials: token } } }] }],
  };
}

/** A scrape job for the fake kubelet's cAdvisor endpoint (HTTPS, self-signed). */
export function kubeletScrape(kubeletPort: number): object {
  return { job_name: "kubelet-cadvisor", scheme: "https", metrics_path: "/metrics/cadvisor", tls_config: { insecure_skip_verify: true }, static_configs: [{ targets: [`127.0.0.1:${kubeletPort}`] }] };
}

/** A rule group with one alert: a container's working set above 90% of its memory limit. */
export function memoryNearLimitRules(alert: string, severity: string): object[] {
  return [{
    name: "memory",
    rules: [{
      alert,
      expr: "container_memory_working_set_bytes / container_spec_memory_limit_bytes > 0.9",
      for: "0s",
      labels: { severity },
      annotations: { summary: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses more than 90% of its memory limit" },
    }],
  }];
}
