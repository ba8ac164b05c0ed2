// The investigation reconciler: Detected (or orphaned Investigating) → Investigating
// → Diagnosed, or Failed with the reason. Never left in Investigating: errors and
// timeouts become Failed and are retried with backoff a bounded number of times;
// only a shutdown hands the incident back as it is, for the next leader.
import type { Diagnosis } from "../api/diagnosis.js";
import type { ProductionIncident } from "../api/incident.js";
import type { InvestigationRequest, InvestigationResult } from "../diagnosis/types.js";
import * as reasons from "../kube/event-reasons.js";
import type { InvestigationBudget } from "./budget.js";
import { eventTarget, incidentRef, type ControllerDeps } from "./context.js";
import type { IncidentRef } from "./correlate.js";
import { diagnosed, failed, investigating } from "./lifecycle.js";
import type { Timers } from "./timers.js";
import type { IncidentWriter } from "./writer.js";

export interface InvestigateState {
  writer: IncidentWriter;
  budget: InvestigationBudget;
  timers: Timers;
  opened: Set<string>;
  /** Failed incidents whose investigation will be retried. */
  retrying: Set<string>;
}

const SLACK_MS = 30_000;

export class InvestigationRunner {
  constructor(
    private readonly deps: ControllerDeps,
    private readonly s: InvestigateState,
  ) {}

  /** Whether the incident needs an investigation from this term. */
  eligible(key: string, incident: ProductionIncident): boolean {
    const phase = incident.status?.phase;
    return phase === "Detected" || phase === "Investigating" || (phase === "Failed" && this.s.retrying.has(key));
  }

  async run(key: string, ref: IncidentRef, signal: AbortSignal): Promise<void> {
    const current = await this.s.writer.read(ref.namespace, ref.name);
    if (!current || !this.eligible(key, current)) return;
    const rulesOnly = this.budgetCheck();
    const started = await this.s.writer.updateStatus(ref.namespace, ref.name, (cur) =>
      this.eligible(key, cur) ? investigating(cur.status ?? {}, this.date(), cur.metadata.generation) : undefined,
    );
    if (started?.status?.phase !== "Investigating") return;
    const mode = rulesOnly || !this.deps.config.agent.apiKey ? "rules" : "agent";
    this.deps.onEvent?.({ type: "investigating", namespace: ref.namespace, incident: ref.name, target: started.spec.target, mode, ...(rulesOnly ? { rulesOnlyReason: rulesOnly.reason } : {}) });
    const t0 = this.s.timers.now();
    let result: InvestigationResult;
    try {
      result = await this.investigate(started, rulesOnly, signal);
    } catch (err) {
      if (signal.aborted) throw new Error(`investigation of ${ref.namespace}/${ref.name} handed back at shutdown`, { cause: err });
      await this.fail(key, started, err, { mode, t0 });
      throw new Error(`investigation of ProductionIncident ${ref.namespace}/${ref.name} failed`, { cause: err });
    }
    await this.succeed(key, started, result, { mode, t0 });
  }

  private budgetCheck(): { reason: string } | undefined {
    const decision = this.s.budget.take();
    if (decision.allowed) return undefined;
    this.deps.metrics?.budgetExhausted.inc({ budget: "investigations_per_hour" });
    return { reason: decision.reason };
  }

  /** Called when the queue gives up on a key: it stays Failed. */
  gaveUp(key: string): void {
    this.s.retrying.delete(key);
  }

  private async investigate(incident: ProductionIncident, rulesOnly: { reason: string } | undefined, signal: AbortSignal): Promise<InvestigationResult> {
    const timeoutMs = this.deps.config.agent.timeoutSeconds * 1000 + SLACK_MS;
    const ctl = new AbortController();
    const abort = (): void => ctl.abort(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.s.timers.setTimeout(() => {
        const err = new Error(`the investigation did not finish within ${Math.round(timeoutMs / 1000)}s`);
        ctl.abort(err);
        reject(err);
      }, timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => ctl.signal.addEventListener("abort", () => reject(ctl.signal.reason as Error), { once: true }));
    try {
      const req = this.request(incident, rulesOnly, ctl.signal);
      return await Promise.race([this.deps.investigator.investigate(this.deps.view(), req), timeout, aborted]);
    } finally {
      this.s.timers.clearTimeout(timer);
      signal.removeEventListener("abort", abort);
    }
  }

  private request(incident: ProductionIncident, rulesOnly: { reason: string } | undefined, signal: AbortSignal): InvestigationRequest {
    const pod = eventTarget(incident, this.deps.pods);
    const fallback = incident.status?.affectedPods?.at(-1)?.name;
    const alert = this.deps.alertFor?.(incident);
    return {
      target: incident.spec.target,
      ...(pod.kind === "Pod" ? { pod: pod.name } : fallback ? { pod: fallback } : {}),
      reason: incident.spec.trigger.reason,
      ...(alert ? { alert } : {}),
      ...(rulesOnly ? { rulesOnly } : {}),
      signal,
    };
  }

  private async succeed(key: string, incident: ProductionIncident, result: InvestigationResult, run: { mode: "agent" | "rules"; t0: number }): Promise<void> {
    const { namespace = "default", name = "" } = incident.metadata;
    const written = await this.s.writer.updateStatus(namespace, name, (cur) =>
      cur.status?.phase === "Investigating" ? diagnosed(cur.status, result, this.date(), cur.metadata.generation) : undefined,
    );
    this.s.retrying.delete(key);
    const d = written?.status?.diagnosis;
    if (!written || written.status?.phase !== "Diagnosed" || !d) return;
    this.diagnosedMetrics(key, d, run);
    this.deps.logger.info({ incident: `${namespace}/${name}`, category: d.category, mode: d.mode, confidence: d.confidence }, `diagnosed: ${d.summary}`);
    await this.deps.events.record(eventTarget(written, this.deps.pods), "Normal", reasons.Diagnosed, `ProductionIncident ${name}: ${d.category}: ${d.summary}`, incidentRef(written));
    this.deps.onEvent?.({ type: "diagnosed", namespace, incident: name, target: written.spec.target, category: d.category, summary: d.summary, confidence: d.confidence, mode: d.mode, durationMs: d.durationMs });
  }

  /** An agent run that ended with the rules' diagnosis is a fallback; the tokens it spent count either way. */
  private diagnosedMetrics(key: string, d: Diagnosis, run: { mode: "agent" | "rules"; t0: number }): void {
    const seconds = (this.s.timers.now() - run.t0) / 1000;
    const fellBack = run.mode === "agent" && d.mode === "rules";
    this.deps.metrics?.recordInvestigation(run.mode, fellBack ? "fallback" : "success", seconds);
    if (d.usage && d.model) this.deps.metrics?.recordLlmUsage(d.model, d.usage);
    if (this.s.opened.delete(key)) this.deps.metrics?.incidentsOpened.inc({ category: d.category });
  }

  private async fail(key: string, incident: ProductionIncident, err: unknown, run: { mode: "agent" | "rules"; t0: number }): Promise<void> {
    const { mode, t0 } = run;
    const { namespace = "default", name = "" } = incident.metadata;
    const reason = describe(err);
    const written = await this.s.writer.updateStatus(namespace, name, (cur) =>
      cur.status?.phase === "Investigating" ? failed(cur.status, reason, this.date(), cur.metadata.generation) : undefined,
    );
    this.s.retrying.add(key);
    this.deps.metrics?.recordInvestigation(mode, "failed", (this.s.timers.now() - t0) / 1000);
    this.deps.logger.warn({ incident: `${namespace}/${name}`, err }, "investigation failed; it will be retried with backoff");
    if (!written) return;
    await this.deps.events.record(eventTarget(written, this.deps.pods), "Warning", reasons.InvestigationFailed, `ProductionIncident ${name}: ${reason}`.slice(0, 1000), incidentRef(written));
    this.deps.onEvent?.({ type: "failed", namespace, incident: name, target: written.spec.target, reason, willRetry: true });
  }

  private date(): Date {
    return new Date(this.s.timers.now());
  }
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e && i < 4; i++, e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(": ") || "unknown error";
}
