import type { Diagnosis } from "../api/diagnosis.js";
import type { Target } from "../api/common.js";
import type { InvestigationContext } from "../context/types.js";
import type { ClusterView } from "../context/view.js";

/** What a triage rule returns when it recognises a failure signature. */
export type RuleDiagnosis = Omit<Diagnosis, "mode" | "durationMs" | "usage" | "model">;

export interface TriageRule {
  /** Stable name, recorded on the incident (diagnosis.rule). */
  name: string;
  /** Returns a diagnosis when the rule's signature is present, otherwise undefined. */
  match(ctx: InvestigationContext): RuleDiagnosis | undefined;
}

export interface InvestigationRequest {
  target: Target;
  /** Pod to look at first (the failing one) when the target is a workload. */
  pod?: string;
  reason: string;
  /** When the trigger is an alert. */
  alert?: { name: string; summary?: string; description?: string; labels?: Record<string, string>; generatorURL?: string; startsAt?: string };
  /** Force rules only (no API key, budget exhausted, --no-agent); the reason goes into diagnosis.notes. */
  rulesOnly?: { reason: string };
  signal?: AbortSignal;
}

export interface InvestigationResult {
  diagnosis: Diagnosis;
  /** Number of secrets replaced while collecting and investigating. */
  redactions: number;
  context: InvestigationContext;
}

/**
 * Investigates one failing target over a ClusterView. The rules-only engine and
 * the Claude agent both implement this; the operator, `diagnose` and
 * `investigate` use nothing else.
 */
export interface Investigator {
  investigate(view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult>;
}
