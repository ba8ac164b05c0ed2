import type { Category, EvidenceItem, Hypothesis, Remediation } from "../../api/diagnosis.js";
import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis } from "../types.js";

/** A citation: an evidence id, optionally with the excerpt that matters (a log line rather than the whole log). */
export interface Cite {
  id: string | undefined;
  excerpt?: string;
}

export interface Finding {
  rule: string;
  category: Category;
  summary: string;
  rootCause: string;
  confidence: number;
  cites: Cite[];
  /** What would confirm or refute this finding. */
  test: string;
  remediation: Partial<Remediation>[];
  prevention?: string[];
  /** Alternatives the rule itself already weighed. */
  alternatives?: Hypothesis[];
  notes?: string[];
}

const MAX_EXCERPT = 1500;

/** Resolves citations against ctx.evidence: ids that do not exist are dropped, duplicates merged. */
export function evidenceItems(ctx: InvestigationContext, cites: Cite[]): EvidenceItem[] {
  const byId = new Map(ctx.evidence.map((e) => [e.id, e]));
  const out = new Map<string, EvidenceItem>();
  for (const cite of cites) {
    const e = cite.id === undefined ? undefined : byId.get(cite.id);
    if (!e || out.has(e.id)) continue;
    out.set(e.id, { id: e.id, source: e.source, excerpt: (cite.excerpt ?? e.text).slice(0, MAX_EXCERPT) });
  }
  return [...out.values()].slice(0, 40);
}

function remediation(r: Partial<Remediation>): Remediation {
  return {
    title: (r.title ?? "Fix").slice(0, 300),
    stage: r.stage ?? "Fix",
    description: r.description?.slice(0, 2000),
    commands: (r.commands ?? []).slice(0, 10),
    patch: r.patch?.slice(0, 4000),
    risk: r.risk ?? "Low",
    rollback: r.rollback?.slice(0, 10),
  };
}

/** Turns a rule's finding into a diagnosis with only existing evidence and the schema's bounds respected. */
export function diagnosis(ctx: InvestigationContext, f: Finding): RuleDiagnosis {
  const evidence = evidenceItems(ctx, f.cites);
  const ids = evidence.map((e) => e.id);
  const own: Hypothesis = {
    statement: f.rootCause.slice(0, 1000),
    verdict: f.confidence >= 0.8 ? "Confirmed" : "Possible",
    evidence: ids.slice(0, 20),
    test: f.test.slice(0, 1000),
  };
  return {
    category: f.category,
    summary: oneLine(f.summary, 300),
    rootCause: f.rootCause.slice(0, 4000),
    confidence: Math.max(0, Math.min(1, round(f.confidence))),
    hypotheses: [own, ...(f.alternatives ?? [])].slice(0, 10),
    evidence,
    remediation: f.remediation.map(remediation).slice(0, 10),
    prevention: (f.prevention ?? []).map((p) => p.slice(0, 1000)).slice(0, 10),
    rule: f.rule,
    notes: (f.notes ?? []).slice(0, 10),
  };
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The first clause of an explanation, for one-line summaries: up to the first " (" or ":". */
export function headline(s: string): string {
  return s.split(" (")[0]!.split(":")[0]!;
}

/** Lower confidence for a log line that came after an earlier, separate error (likely a consequence). */
export function latePenalty(late: boolean): number {
  return late ? 0.2 : 0;
}
