import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** Price per million tokens, USD. */
const Price = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0),
  cacheWrite: z.number().min(0),
});

const DEFAULT_PRICES: Record<string, z.infer<typeof Price>> = {
  "claude-sonnet-5-5": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-opus-5-5": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  "claude-haiku-5-5": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
};

/**
 * The whole configuration, parsed once at start. Every field has an env
 * variable (see ENV below) and may also come from a YAML/JSON config file
 * (PF_CONFIG_FILE); env wins over the file.
 */
export const Config = z.object({
  namespaces: z.array(z.string().min(1)).default([]).describe("Namespaces to watch; empty means all"),
  excludeNamespaces: z.array(z.string().min(1)).default([]).describe("Namespaces never watched"),
  labelSelector: z.string().default("").describe("Only pods matching this label selector are watched"),
  detection: z
    .object({
      minRestarts: z.number().int().min(0).default(1).describe("Restarts before a CrashLoopBackOff counts as a failure"),
      unschedulableGraceSeconds: z.number().int().min(0).default(120).describe("How long a pod may stay Unschedulable before it is a failure"),
      stuckGraceSeconds: z.number().int().min(0).default(300).describe("How long a pod may stay in ContainerCreating/PodInitializing, or Running but not Ready, before it is a failure"),
    })
    .prefault({}),
  resolution: z
    .object({
      healthySeconds: z.number().int().min(0).default(300).describe("How long a workload must be healthy before its incident is Resolved"),
      retentionHours: z.number().min(0).default(168).describe("Resolved incidents are deleted after this many hours (0 keeps them)"),
    })
    .prefault({}),
  queue: z
    .object({
      concurrency: z.number().int().min(1).max(64).default(4).describe("Investigations running at once"),
      investigationsPerHour: z.number().int().min(0).default(120).describe("Agent investigations per hour; beyond it, rules only"),
      maxAffectedPods: z.number().int().min(1).max(20).default(20).describe("Affected pods listed on an incident"),
    })
    .prefault({}),
  agent: z
    .object({
      apiKey: z.string().optional().describe("Anthropic API key; without it incidents are diagnosed by the rules alone"),
      baseURL: z.string().url().optional().describe("Anthropic API base URL"),
      model: z.string().default("claude-sonnet-5-5").describe("Claude model"),
      maxSteps: z.number().int().min(1).max(50).default(12).describe("Tool-use steps per investigation"),
      maxTokensPerInvestigation: z.number().int().min(1000).default(80_000).describe("Input+output tokens per investigation"),
      maxOutputTokens: z.number().int().min(256).default(4096).describe("max_tokens per request"),
      timeoutSeconds: z.number().min(1).default(120).describe("Wall-clock limit per investigation"),
      tokensPerDay: z.number().int().min(0).default(5_000_000).describe("Tokens per UTC day across investigations; beyond it, rules only"),
      costPerDayUSD: z.number().min(0).default(50).describe("Spend per UTC day; beyond it, rules only"),
      maxRetries: z.number().int().min(0).max(10).default(3).describe("SDK retries on 429/5xx/529"),
      prices: z.record(z.string(), Price).default(DEFAULT_PRICES).describe("USD per million tokens, by model"),
      extraNamespaces: z.array(z.string().min(1)).default([]).describe("Namespaces the agent's tools may read besides the target's (e.g. kube-system)"),
      breakerThreshold: z.number().int().min(1).default(5).describe("Consecutive failed investigations (after retries) that open the circuit breaker"),
      breakerOpenSeconds: z.number().min(1).default(300).describe("How long the open circuit breaker sends investigations to the rules"),
    })
    .prefault({}),
  prometheus: z
    .object({
      url: z.string().url().optional().describe("Prometheus base URL; enables metrics evidence and the PromQL tool"),
      timeoutSeconds: z.number().min(1).default(10).describe("Timeout per Prometheus query"),
    })
    .prefault({}),
  webhook: z
    .object({
      enabled: z.boolean().default(true).describe("Serve the Alertmanager webhook"),
      port: z.number().int().min(0).max(65535).default(8081).describe("Port of the Alertmanager webhook (POST /alertmanager); 0 picks a free one"),
      token: z.string().optional().describe("Bearer token Alertmanager must send; without it the webhook refuses every request"),
      maxBodyBytes: z.number().int().min(1024).default(1_048_576).describe("Largest accepted webhook body"),
      alertNamespace: z.string().default("production-fixer").describe("Namespace for alerts whose target namespace is unknown"),
    })
    .prefault({}),
  server: z
    .object({
      port: z.number().int().min(0).max(65535).default(8080).describe("Port of /healthz, /readyz and /metrics"),
    })
    .prefault({}),
  leaderElection: z
    .object({
      enabled: z.boolean().default(true).describe("Elect a leader on a Lease; only the leader writes"),
      leaseName: z.string().default("production-fixer").describe("Name of the Lease"),
      leaseNamespace: z.string().default("production-fixer").describe("Namespace of the Lease (the operator's own)"),
      identity: z.string().optional().describe("This replica's identity (defaults to the hostname)"),
      leaseDurationSeconds: z.number().int().min(2).default(15).describe("How long a Lease is valid without renewal"),
      renewDeadlineSeconds: z.number().int().min(1).default(10).describe("How long the leader keeps trying to renew before it stops leading"),
      retryPeriodSeconds: z.number().int().min(1).default(2).describe("Wait between attempts to acquire or renew the Lease"),
    })
    .prefault({}),
  shutdownTimeoutSeconds: z.number().min(0).default(20).describe("On SIGTERM, how long in-flight work may finish before it is handed back"),
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info").describe("pino log level"),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

type Setter = (c: Record<string, unknown>, v: string) => void;
const list = (v: string): string[] => v.split(",").map((s) => s.trim()).filter(Boolean);
const num = (v: string): number => (v.trim() === "" ? Number.NaN : Number(v));
const bool = (v: string): boolean | string => (/^(1|true|yes)$/i.test(v) ? true : /^(0|false|no)$/i.test(v) ? false : v);

function at(path: string, convert: (v: string) => unknown = (v) => v): Setter {
  const keys = path.split(".");
  return (c, v) => {
    let node = c;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = convert(v);
  };
}

/** Env variable → where it goes in the config. The README's reference is generated from this and the schema. */
export const ENV: Record<string, { path: string; set: Setter }> = Object.fromEntries(
  (
    [
      ["PF_NAMESPACES", "namespaces", list],
      ["PF_EXCLUDE_NAMESPACES", "excludeNamespaces", list],
      ["PF_LABEL_SELECTOR", "labelSelector"],
      ["PF_MIN_RESTARTS", "detection.minRestarts", num],
      ["PF_UNSCHEDULABLE_GRACE_SECONDS", "detection.unschedulableGraceSeconds", num],
      ["PF_STUCK_GRACE_SECONDS", "detection.stuckGraceSeconds", num],
      ["PF_HEALTHY_SECONDS", "resolution.healthySeconds", num],
      ["PF_RETENTION_HOURS", "resolution.retentionHours", num],
      ["PF_CONCURRENCY", "queue.concurrency", num],
      ["PF_INVESTIGATIONS_PER_HOUR", "queue.investigationsPerHour", num],
      ["ANTHROPIC_API_KEY", "agent.apiKey"],
      ["ANTHROPIC_BASE_URL", "agent.baseURL"],
      ["PF_MODEL", "agent.model"],
      ["PF_AGENT_MAX_STEPS", "agent.maxSteps", num],
      ["PF_AGENT_MAX_TOKENS", "agent.maxTokensPerInvestigation", num],
      ["PF_AGENT_TIMEOUT_SECONDS", "agent.timeoutSeconds", num],
      ["PF_TOKENS_PER_DAY", "agent.tokensPerDay", num],
      ["PF_COST_PER_DAY_USD", "agent.costPerDayUSD", num],
      ["PF_AGENT_MAX_OUTPUT_TOKENS", "agent.maxOutputTokens", num],
      ["PF_AGENT_MAX_RETRIES", "agent.maxRetries", num],
      ["PF_AGENT_NAMESPACES", "agent.extraNamespaces", list],
      ["PF_AGENT_BREAKER_THRESHOLD", "agent.breakerThreshold", num],
      ["PF_AGENT_BREAKER_OPEN_SECONDS", "agent.breakerOpenSeconds", num],
      ["PF_PROMETHEUS_URL", "prometheus.url"],
      ["PF_PROMETHEUS_TIMEOUT_SECONDS", "prometheus.timeoutSeconds", num],
      ["PF_WEBHOOK_ENABLED", "webhook.enabled", bool],
      ["PF_WEBHOOK_PORT", "webhook.port", num],
      ["PF_WEBHOOK_TOKEN", "webhook.token"],
      ["PF_WEBHOOK_MAX_BODY_BYTES", "webhook.maxBodyBytes", num],
      ["PF_WEBHOOK_ALERT_NAMESPACE", "webhook.alertNamespace"],
      ["PF_SERVER_PORT", "server.port", num],
      ["PF_LEADER_ELECTION", "leaderElection.enabled", bool],
      ["PF_LEASE_NAME", "leaderElection.leaseName"],
      ["PF_LEASE_NAMESPACE", "leaderElection.leaseNamespace"],
      ["PF_IDENTITY", "leaderElection.identity"],
      ["PF_LEASE_DURATION_SECONDS", "leaderElection.leaseDurationSeconds", num],
      ["PF_RENEW_DEADLINE_SECONDS", "leaderElection.renewDeadlineSeconds", num],
      ["PF_RETRY_PERIOD_SECONDS", "leaderElection.retryPeriodSeconds", num],
      ["PF_SHUTDOWN_TIMEOUT_SECONDS", "shutdownTimeoutSeconds", num],
      ["PF_LOG_LEVEL", "logLevel"],
    ] as [string, string, ((v: string) => unknown)?][]
  ).map(([name, path, convert]) => [name, { path, set: at(path, convert) }]),
);

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Readable zod issues: one line each, `path: message`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("\n");
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Overrides applied last (CLI flags, tests). */
  overrides?: ConfigInput;
  readFile?: (path: string) => string;
}

/** Reads PF_CONFIG_FILE (if set), then env, then overrides; validates once. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? {};
  const raw: Record<string, unknown> = readConfigFile(env.PF_CONFIG_FILE, opts.readFile);
  for (const [name, { set }] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== "") set(raw, value);
  }
  const merged = deepMerge(raw, (opts.overrides ?? {}) as Record<string, unknown>);
  const parsed = Config.safeParse(merged);
  if (!parsed.success) {
    const source = env.PF_CONFIG_FILE ? ` (env and ${env.PF_CONFIG_FILE})` : " (env)";
    throw new ConfigError(`invalid configuration${source}:\n${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

function readConfigFile(path: string | undefined, read = (p: string): string => readFileSync(p, "utf8")): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = read(path);
  } catch (cause) {
    throw new ConfigError(`could not read config file ${path}`, { cause });
  }
  const data: unknown = parseYaml(text);
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new ConfigError(`config file ${path} must hold a mapping`);
  return data as Record<string, unknown>;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    const bothObjects = isPlain(prev) && isPlain(v);
    out[k] = bothObjects ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
