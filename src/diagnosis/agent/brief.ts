// The first user message of an investigation: the incident, the triage
// rules' findings as hypotheses to test, and the collected evidence, each
// piece with its id and wrapped as untrusted data. Bounded in size; pieces
// that do not fit are listed by id so the model can read them with a tool.
import type { Diagnosis } from "../../api/diagnosis.js";
import type { Evidence, InvestigationContext } from "../../context/types.js";
import type { InvestigationRequest } from "../types.js";
import type { EvidenceLedger } from "./ledger.js";
import { detectInjection, wrapUntrusted, type InjectionFinding } from "./untrusted.js";

export interface BriefLimits {
  /** Total characters of evidence text in the brief. */
  maxChars: number;
  /** Characters of one evidence item. */
  maxItemChars: number;
}

export const DEFAULT_BRIEF_LIMITS: BriefLimits = { maxChars: 20_000, maxItemChars: 2_500 };

export interface Brief {
  text: string;
  findings: InjectionFinding[];
}

function targetLine(req: InvestigationRequest, ctx: InvestigationContext): string {
  const t = req.target;
  const pod = req.pod ?? ctx.target.pod;
  const container = t.container ?? ctx.target.container;
  return `${t.kind} ${t.namespace}/${t.name}${pod && pod !== t.name ? `, pod ${pod}` : ""}${container ? `, container ${container}` : ""}`;
}

function rulesSection(rules: Diagnosis): string {
  if (rules.category === "Unknown" && !rules.rule) return "No triage rule recognised this failure. Start from the evidence.";
  const hyps = rules.hypotheses.map((h) => `- ${h.verdict}: ${clip(h.statement, 300)}${h.evidence.length ? ` [${h.evidence.join("] [")}]` : ""}`);
  return [
    `rule: ${rules.rule ?? "(none)"}; category: ${rules.category}; confidence: ${rules.confidence}`,
    `root cause (as the rule sees it): ${rules.rootCause}`,
    ...(rules.evidence.length ? [`cited: [${rules.evidence.map((e) => e.id).join("] [")}]`] : []),
    ...hyps,
  ].join("\n");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[clipped: ${text.length - max} more characters]`;
}

/** Evidence the rules cited first, then the rest in collection order. */
function ordered(ctx: InvestigationContext, rules: Diagnosis): Evidence[] {
  const cited = new Set(rules.evidence.map((e) => e.id));
  return [...ctx.evidence.filter((e) => cited.has(e.id)), ...ctx.evidence.filter((e) => !cited.has(e.id))];
}

export interface BriefOptions {
  ledger: EvidenceLedger;
  maxSteps: number;
  limits?: BriefLimits;
  /** Redaction applied again to every piece of evidence (collection already redacted it; this is a second line). */
  redact: (text: string) => string;
}

export function renderBrief(req: InvestigationRequest, ctx: InvestigationContext, rules: Diagnosis, opts: BriefOptions): Brief {
  const limits = opts.limits ?? DEFAULT_BRIEF_LIMITS;
  const findings: InjectionFinding[] = [];
  const blocks: string[] = [];
  const left: string[] = [];
  let used = 0;
  for (const e of ordered(ctx, rules)) {
    const full = opts.redact(e.text);
    const text = clip(full, limits.maxItemChars);
    const fits = used + text.length <= limits.maxChars;
    opts.ledger.add({ id: e.id, source: e.source, title: opts.redact(e.title), text: full }, fits);
    if (!fits) {
      left.push(e.id);
      continue;
    }
    used += text.length;
    blocks.push(`[${e.id}] ${e.title}\n${wrapUntrusted(e.id, e.source, text)}`);
    const f = detectInjection(e.id, text);
    if (f) findings.push(f);
  }
  const sections = [
    `Incident: ${req.reason} on ${targetLine(req, ctx)}. Observed at ${ctx.now}.`,
    `You have at most ${opts.maxSteps} turns; call submit_diagnosis before they run out.`,
    `## Triage rules' finding (a hypothesis to test, not the answer)\n${rulesSection(rules)}`,
    ...alertSection(req, ctx, { findings, ledger: opts.ledger, redact: opts.redact }),
    `## Collected evidence\n${blocks.join("\n\n") || "(none)"}`,
    ...(left.length ? [`Not shown for size: ${left.join(", ")}. Read what you need with the tools and cite the tool results.`] : []),
    ...(ctx.notes.length ? [`## Collection notes\n${ctx.notes.map((n) => `- ${n}`).join("\n")}`] : []),
  ];
  return { text: sections.join("\n\n"), findings };
}

/** The alert, when the request carries one that collection did not turn into evidence. */
function alertSection(req: InvestigationRequest, ctx: InvestigationContext, out: { findings: InjectionFinding[]; ledger: EvidenceLedger; redact: (t: string) => string }): string[] {
  const alert = req.alert;
  if (!alert || ctx.alert) return [];
  const id = `alert/${alert.name}`;
  const text = out.redact([alert.name, alert.summary, alert.description, alert.labels ? JSON.stringify(alert.labels) : undefined].filter(Boolean).join("\n"));
  out.ledger.add({ id, source: "Alert", title: `alert ${alert.name}`, text }, true);
  const f = detectInjection(id, text);
  if (f) out.findings.push(f);
  return [`## Alert\n${wrapUntrusted(id, "Alert", text)}`];
}
