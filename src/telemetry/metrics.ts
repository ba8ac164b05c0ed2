// The operator's Prometheus metrics. The names are an interface: the Helm chart's
// alerts and dashboard use them.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Usage } from "../api/diagnosis.js";
import type { RequestCounterHooks } from "../kube/request-counter.js";

export const METRIC_PREFIX = "production_fixer_";

type ReconcileResult = "success" | "error" | "requeue";
type InvestigationMode = "agent" | "rules";
type InvestigationOutcome = "success" | "fallback" | "failed";
type TokenType = "input" | "output" | "cache_read" | "cache_write";

export class Metrics {
  readonly registry: Registry;
  readonly leader: Gauge;
  readonly reconcileTotal: Counter<"controller" | "result">;
  readonly reconcileTime: Histogram<"controller">;
  readonly queueDepth: Gauge<"queue">;
  readonly incidentsOpened: Counter<"category">;
  readonly incidentsResolved: Counter<"category">;
  readonly incidentsReopened: Counter;
  readonly investigations: Counter<"mode" | "outcome">;
  readonly investigationDuration: Histogram<"mode">;
  readonly budgetExhausted: Counter<"budget">;
  readonly detectionLatency: Histogram;
  readonly llmTokens: Counter<"model" | "type">;
  readonly llmCostUsd: Counter<"model">;
  readonly kubeApiErrors: Counter<"code">;
  readonly kubeApiRequests: Counter<"verb">;
  readonly informerRestarts: Counter<"resource">;
  readonly webhookRequests: Counter<"code">;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const p = METRIC_PREFIX;
    collectDefaultMetrics({ register: registry, prefix: p });
    this.leader = new Gauge({ name: `${p}leader`, help: "1 when this replica holds the leader Lease, else 0", registers });
    this.reconcileTotal = new Counter({ name: `${p}reconcile_total`, help: "Reconciles by controller and result (success, error, requeue)", labelNames: ["controller", "result"], registers });
    this.reconcileTime = new Histogram({ name: `${p}reconcile_time_seconds`, help: "Duration of one reconcile", labelNames: ["controller"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers });
    this.queueDepth = new Gauge({ name: `${p}queue_depth`, help: "Keys waiting in a work queue", labelNames: ["queue"], registers });
    this.incidentsOpened = new Counter({ name: `${p}incidents_opened_total`, help: "Incidents opened, by diagnosis category", labelNames: ["category"], registers });
    this.incidentsResolved = new Counter({ name: `${p}incidents_resolved_total`, help: "Incidents resolved, by diagnosis category", labelNames: ["category"], registers });
    this.incidentsReopened = new Counter({ name: `${p}incidents_reopened_total`, help: "Resolved incidents reopened because the same failure came back", registers });
    this.investigations = new Counter({ name: `${p}investigations_total`, help: "Investigations by mode (agent, rules) and outcome (success, fallback, failed)", labelNames: ["mode", "outcome"], registers });
    this.investigationDuration = new Histogram({ name: `${p}investigation_duration_seconds`, help: "Duration of one investigation", labelNames: ["mode"], buckets: [0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300], registers });
    this.budgetExhausted = new Counter({ name: `${p}budget_exhausted_total`, help: "Investigations downgraded to rules because a budget was used up", labelNames: ["budget"], registers });
    this.detectionLatency = new Histogram({ name: `${p}detection_latency_seconds`, help: "From the pod status change that shows a failure to the incident existing", buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
    this.llmTokens = new Counter({ name: `${p}llm_tokens_total`, help: "LLM tokens by model and type (input, output, cache_read, cache_write)", labelNames: ["model", "type"], registers });
    this.llmCostUsd = new Counter({ name: `${p}llm_cost_usd_total`, help: "LLM spend in USD by model", labelNames: ["model"], registers });
    this.kubeApiErrors = new Counter({ name: `${p}kube_api_errors_total`, help: "Failed Kubernetes API requests by HTTP status (or network)", labelNames: ["code"], registers });
    this.kubeApiRequests = new Counter({ name: `${p}kube_api_requests_total`, help: "Kubernetes API requests by verb", labelNames: ["verb"], registers });
    this.informerRestarts = new Counter({ name: `${p}informer_restarts_total`, help: "Informer list/watch restarts after an error or a closed watch", labelNames: ["resource"], registers });
    this.webhookRequests = new Counter({ name: `${p}webhook_requests_total`, help: "Alertmanager webhook requests by HTTP status", labelNames: ["code"], registers });
    this.leader.set(0);
  }

  /** Hooks for a RequestCounter so every API request and error lands in these metrics. */
  requestHooks(): RequestCounterHooks {
    return {
      onRequest: (verb) => this.kubeApiRequests.inc({ verb }),
      onError: (code) => this.kubeApiErrors.inc({ code }),
    };
  }

  recordReconcile(controller: string, result: ReconcileResult, seconds: number): void {
    this.reconcileTotal.inc({ controller, result });
    this.reconcileTime.observe({ controller }, seconds);
  }

  recordInvestigation(mode: InvestigationMode, outcome: InvestigationOutcome, seconds: number): void {
    this.investigations.inc({ mode, outcome });
    this.investigationDuration.observe({ mode }, seconds);
  }

  recordTokens(model: string, type: TokenType, tokens: number): void {
    if (tokens > 0) this.llmTokens.inc({ model, type }, tokens);
  }

  /** Tokens by type and spend of one investigation's calls to the model. */
  recordLlmUsage(model: string, usage: Usage): void {
    this.recordTokens(model, "input", usage.inputTokens);
    this.recordTokens(model, "output", usage.outputTokens);
    this.recordTokens(model, "cache_read", usage.cacheReadInputTokens);
    this.recordTokens(model, "cache_write", usage.cacheCreationInputTokens);
    if (usage.costUSD > 0) this.llmCostUsd.inc({ model }, usage.costUSD);
  }

  /** The text exposition format for /metrics. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
