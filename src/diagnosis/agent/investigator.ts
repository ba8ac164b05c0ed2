import Anthropic, { APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { Diagnosis, type Usage } from "../../api/diagnosis.js";
import type { Config } from "../../config.js";
import type { ClusterView } from "../../context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../types.js";
import { renderBrief, type BriefLimits } from "./brief.js";
import { Budget, totalTokens } from "./budget.js";
import { CircuitBreaker } from "./breaker.js";
import { EvidenceLedger } from "./ledger.js";
import { AgentLoop, AgentLoopError, type LoopProgress } from "./loop.js";
import { PROMPT_VERSION } from "./prompt.js";
import type { Submission } from "./schema.js";
import { Scope } from "./scope.js";
import { defaultRedactor, ToolBox, type Redactor } from "./tools.js";
import { injectionNote, type InjectionFinding } from "./untrusted.js";
import { citedIds } from "./verifier.js";

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The subset of a pino logger the agent uses. */
export interface AgentLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const silent: AgentLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const MAX_NOTES = 10;

export interface AgentInvestigatorOptions {
  config: Config["agent"];
  /** Collects the evidence and gives the triage finding; also the fallback. */
  rules: Investigator;
  client?: Anthropic;
  clock?: Clock;
  logger?: AgentLogger;
  /** Shared across investigations so the daily limits hold process-wide. */
  budget?: Budget;
  breaker?: CircuitBreaker;
  redactor?: Redactor;
  briefLimits?: BriefLimits;
}

interface Run {
  base: InvestigationResult;
  started: number;
  findings: InjectionFinding[];
  redactions: number;
}

/**
 * Investigates with Claude over read-only tools, starting from the rules'
 * collected evidence and finding. Always returns a diagnosis: the agent's when
 * it submits one that validates and cites only evidence it was shown, else the
 * rules' with a note saying why. API trouble never throws.
 */
export class AgentInvestigator implements Investigator {
  private readonly client: Anthropic;
  private readonly clock: Clock;
  private readonly logger: AgentLogger;
  private readonly budget: Budget;
  private readonly breaker: CircuitBreaker;
  private readonly redactor: Redactor;

  constructor(private readonly opts: AgentInvestigatorOptions) {
    const c = opts.config;
    this.clock = opts.clock ?? { now: Date.now };
    this.client = opts.client ?? new Anthropic({ apiKey: c.apiKey ?? null, baseURL: c.baseURL ?? null, maxRetries: c.maxRetries, timeout: c.timeoutSeconds * 1000 });
    this.logger = opts.logger ?? silent;
    this.budget = opts.budget ?? Budget.fromConfig(c, () => new Date(this.clock.now()));
    this.breaker = opts.breaker ?? new CircuitBreaker({ threshold: c.breakerThreshold, openMs: c.breakerOpenSeconds * 1000, now: () => this.clock.now() });
    this.redactor = opts.redactor ?? defaultRedactor;
  }

  async investigate(view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    const started = this.clock.now();
    const base = await this.opts.rules.investigate(view, req);
    if (req.rulesOnly) return base;
    const run: Run = { base, started, findings: [], redactions: base.redactions };
    const refusal = this.breaker.refusal() ?? this.budget.exhausted();
    if (refusal) return this.fallback(run, refusal);
    return this.agent(view, req, run);
  }

  private async agent(view: ClusterView, req: InvestigationRequest, run: Run): Promise<InvestigationResult> {
    const c = this.opts.config;
    const ledger = new EvidenceLedger();
    const tools = new ToolBox({ view, scope: new Scope(req.target.namespace, c.extraNamespaces), ledger, redactor: this.redactor });
    const redact = (text: string): string => {
      const r = this.redactor.redact(text);
      run.redactions += r.count;
      return r.text;
    };
    const brief = renderBrief(req, run.base.context, run.base.diagnosis, { ledger, maxSteps: c.maxSteps, redact, ...(this.opts.briefLimits ? { limits: this.opts.briefLimits } : {}) });
    run.findings.push(...brief.findings);
    const deadline = run.started + c.timeoutSeconds * 1000;
    const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, deadline - this.clock.now())), ...(req.signal ? [req.signal] : [])]);
    const loop = new AgentLoop({ client: this.client, config: c, budget: this.budget, tools, ledger, now: () => this.clock.now() });
    try {
      const outcome = await loop.run({ brief: redact(brief.text), signal, deadline });
      this.finishTools(run, tools);
      if (outcome.kind === "stopped") return this.fallback(run, outcome.reason, outcome.progress);
      this.breaker.success();
      return this.accept(run, outcome.submission, { progress: outcome.progress, ledger });
    } catch (err) {
      this.finishTools(run, tools);
      if (req.signal?.aborted) throw new Error(`investigation of ${req.target.kind} ${req.target.namespace}/${req.target.name} was cancelled`, { cause: err });
      return this.onError(run, err);
    }
  }

  private finishTools(run: Run, tools: ToolBox): void {
    run.redactions += tools.redactions;
    run.findings.push(...tools.findings);
  }

  private onError(run: Run, err: unknown): InvestigationResult {
    const progress = err instanceof AgentLoopError ? err.progress : undefined;
    const cause = err instanceof AgentLoopError ? err.cause : err;
    if (cause instanceof APIUserAbortError) return this.fallback(run, `the wall-clock limit of ${this.opts.config.timeoutSeconds}s was reached during a request`, progress);
    if (cause instanceof APIError) this.breaker.failure();
    const reason = describeFailure(cause, this.opts.config.maxRetries);
    this.logger.warn({ err: cause, reason }, "agent investigation failed; using the rules' diagnosis");
    return this.fallback(run, reason, progress);
  }

  private usage(progress: LoopProgress): Usage {
    const u = progress.usage;
    return { ...u, costUSD: Number(progress.costUSD.toFixed(6)), steps: progress.steps, requests: progress.requests };
  }

  private accept(run: Run, s: Submission, out: { progress: LoopProgress; ledger: EvidenceLedger }): InvestigationResult {
    const c = this.opts.config;
    const { progress } = out;
    const notes = [
      `Investigated by ${c.model} (prompt ${PROMPT_VERSION}) in ${progress.steps} step(s), ${totalTokens(progress.usage)} tokens, $${progress.costUSD.toFixed(4)}.`,
      `Baseline: ${s.baseline}`,
      ...this.suspicionNotes(run, s),
      ...progress.notes,
      ...run.base.diagnosis.notes,
    ];
    const diagnosis = Diagnosis.parse({
      category: s.category,
      summary: s.summary,
      rootCause: s.rootCause,
      confidence: s.confidence,
      hypotheses: s.hypotheses,
      evidence: out.ledger.items(citedIds(s)),
      remediation: s.remediation.map((r) => ({ ...r, rollback: r.rollback.length ? r.rollback : undefined })),
      prevention: s.prevention,
      mode: "agent",
      model: c.model,
      usage: this.usage(progress),
      durationMs: Math.max(0, Math.round(this.clock.now() - run.started)),
      notes: clipNotes(notes),
    });
    this.logger.info({ category: diagnosis.category, usage: diagnosis.usage }, "agent diagnosis accepted");
    return { diagnosis, redactions: run.redactions, context: run.base.context };
  }

  private suspicionNotes(run: Run, s?: Submission): string[] {
    const fromModel: InjectionFinding[] = (s?.suspicious ?? []).map((q) => ({ id: "model", kinds: ["reported by the agent"], sample: q.slice(0, 120) }));
    const note = injectionNote([...run.findings, ...fromModel]);
    return note ? [note] : [];
  }

  private fallback(run: Run, reason: string, progress?: LoopProgress): InvestigationResult {
    const base = run.base.diagnosis;
    const notes = [`The agent did not produce the diagnosis (${reason}); this is the triage rules' diagnosis.`, ...this.suspicionNotes(run), ...(progress?.notes ?? []), ...base.notes];
    const diagnosis: Diagnosis = {
      ...base,
      notes: clipNotes(notes),
      durationMs: Math.max(base.durationMs, Math.round(this.clock.now() - run.started)),
      ...(progress && progress.requests > 0 ? { usage: this.usage(progress), model: this.opts.config.model } : {}),
    };
    return { diagnosis, redactions: run.redactions, context: run.base.context };
  }
}

function clipNotes(notes: string[]): string[] {
  return [...new Set(notes)].slice(0, MAX_NOTES).map((n) => (n.length > 1000 ? `${n.slice(0, 999)}…` : n));
}

/** A one-line reason for the incident: status, API error type and request id when there is one. */
export function describeFailure(err: unknown, maxRetries: number): string {
  if (err instanceof APIError && err.status !== undefined) {
    const retried = err.status === 429 || err.status >= 500 ? ` after ${maxRetries} retr${maxRetries === 1 ? "y" : "ies"}` : "";
    return `Anthropic API error ${err.status} ${err.type ?? ""}${retried}${err.requestID ? ` (request-id ${err.requestID})` : ""}`.replace(/\s+/g, " ");
  }
  if (err instanceof APIError) return `Anthropic API unreachable: ${err.message}`;
  return `agent failed: ${err instanceof Error ? err.message : String(err)}`;
}
