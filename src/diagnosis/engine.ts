import { Diagnosis, type EvidenceItem } from "../api/diagnosis.js";
import { collect } from "../context/collect.js";
import type { Evidence, InvestigationContext } from "../context/types.js";
import type { ClusterView } from "../context/view.js";
import { RULES, triage } from "./rules/index.js";
import type { InvestigationRequest, InvestigationResult, Investigator, RuleDiagnosis, TriageRule } from "./types.js";

/**
 * The rules-only investigator: collect the evidence, run the triage rules and
 * record the answer as a Diagnosis in mode "rules". This is the whole answer
 * without an API key, and the head start the agent gets with one.
 */

export interface RulesInvestigatorOptions {
  rules?: TriageRule[];
  clock?: () => Date;
}

const MAX_EXCERPT = 4000;
const MAX_NOTES = 10;

/** Cited evidence as recorded on the incident: ids that exist, with an excerpt from the collected evidence when the rule gave none. */
export function citedEvidence(cited: EvidenceItem[], evidence: Evidence[]): EvidenceItem[] {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const baseOf = (id: string): string => id.split("#")[0]!;
  return cited
    .filter((c) => byId.has(c.id) || byId.has(baseOf(c.id)))
    .map((c) => {
      const source = byId.get(c.id) ?? byId.get(baseOf(c.id))!;
      return { id: c.id, source: c.source ?? source.source, excerpt: (c.excerpt || source.text).slice(0, MAX_EXCERPT) };
    })
    .slice(0, 40);
}

function notesFor(req: InvestigationRequest, ctx: InvestigationContext, rd: RuleDiagnosis): string[] {
  const notes = [req.rulesOnly ? `Rules only: ${req.rulesOnly.reason}` : undefined, ...rd.notes, ...ctx.notes];
  return notes.filter((n): n is string => !!n).map((n) => n.slice(0, 1000)).slice(0, MAX_NOTES);
}

export class RulesInvestigator implements Investigator {
  private readonly rules: TriageRule[];
  private readonly clock: () => Date;

  constructor(opts: RulesInvestigatorOptions = {}) {
    this.rules = opts.rules ?? RULES;
    this.clock = opts.clock ?? ((): Date => new Date());
  }

  async investigate(view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    const started = this.clock().getTime();
    const context = await collect(view, req);
    const rd = triage(context, this.rules);
    const diagnosis = Diagnosis.parse({
      ...rd,
      evidence: citedEvidence(rd.evidence, context.evidence),
      mode: "rules",
      durationMs: Math.max(0, Math.round(this.clock().getTime() - started)),
      notes: notesFor(req, context, rd),
    });
    return { diagnosis, redactions: context.redactions, context };
  }
}
