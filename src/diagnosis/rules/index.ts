import type { Hypothesis } from "../../api/diagnosis.js";
import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { appConfigRules } from "./app-config.js";
import { diagnosis } from "./build.js";
import { commandRules } from "./command.js";
import { crashRules } from "./crashes.js";
import { dependencyRules } from "./dependency.js";
import { exitCodeRules } from "./exit-codes.js";
import { imageRules } from "./image.js";
import { clip, firstError } from "./logs.js";
import { missingRefRules } from "./missing-config.js";
import { missingEnvRules } from "./missing-env.js";
import { networkPolicyRules } from "./network-policy.js";
import { nodeRules } from "./node.js";
import { oomRules } from "./oom.js";
import { permissionRules } from "./permissions.js";
import { probeRules } from "./probes.js";
import { quotaRules } from "./quota.js";
import { rollbackStep, rolloutHypothesis, rolloutRules } from "./rollout.js";
import { schedulingRules } from "./scheduling.js";
import { storageRules } from "./storage.js";
import { failingContainer, kubectl, podEvidence, podName } from "./subject.js";

/**
 * Every triage rule. Order breaks ties of equal confidence: the rules that
 * read the kubelet's and scheduler's own verdicts come before the ones that
 * read application logs, and the generic exit-code reading comes last.
 */
export const RULES: TriageRule[] = [
  ...oomRules,
  ...imageRules,
  ...permissionRules,
  ...missingRefRules,
  ...schedulingRules,
  ...storageRules,
  ...quotaRules,
  ...nodeRules,
  ...networkPolicyRules,
  ...probeRules,
  ...missingEnvRules,
  ...commandRules,
  ...appConfigRules,
  ...dependencyRules,
  ...crashRules,
  ...rolloutRules,
  ...exitCodeRules,
];

interface Match {
  rule: TriageRule;
  d: RuleDiagnosis;
}

function runRules(ctx: InvestigationContext, rules: TriageRule[]): { matches: Match[]; errors: string[] } {
  const matches: Match[] = [];
  const errors: string[] = [];
  for (const rule of rules) {
    try {
      const d = rule.match(ctx);
      if (d) matches.push({ rule, d });
    } catch (cause) {
      errors.push(`rule ${rule.name} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }
  // Array.prototype.sort is stable: equal confidence keeps RULES order.
  return { matches: matches.sort((a, b) => b.d.confidence - a.d.confidence), errors };
}

function alternative(m: Match): Hypothesis {
  const own = m.d.hypotheses[0];
  return {
    statement: `${m.d.category}: ${m.d.summary}`.slice(0, 1000),
    verdict: m.d.confidence >= 0.7 ? "Possible" : "Untested",
    evidence: m.d.evidence.map((e) => e.id).slice(0, 20),
    test: own?.test,
  };
}

/** The diagnosis when no rule recognises the failure: Unknown, with the best evidence there is. */
export function unknown(ctx: InvestigationContext): RuleDiagnosis {
  const c = failingContainer(ctx);
  const first = c ? firstError(ctx, c.name) : undefined;
  const warnings = ctx.events.filter((e) => e.type === "Warning").slice(-3);
  const state = c ? `${c.name} is ${c.state.kind}${c.state.reason ? ` (${c.state.reason})` : ""}` : `phase ${ctx.podPhase ?? "unknown"}`;
  return diagnosis(ctx, {
    rule: "unknown",
    category: "Unknown",
    summary: `No known failure signature for ${podName(ctx)}: ${state}${first ? `; first error: ${clip(first.text, 120)}` : ""}`,
    rootCause: `The evidence does not match any known failure signature. Container ${state}.${first ? ` First error in the logs (line ${first.n}): "${clip(first.text, 300)}".` : ""}${warnings.length ? ` Recent warnings: ${warnings.map((e) => `${e.reason}: ${clip(e.message, 120)}`).join("; ")}.` : ""}`,
    confidence: 0.2,
    cites: [
      ...podEvidence(ctx, "PodStatus").map((id) => ({ id })),
      { id: first?.evidenceId, excerpt: first ? `L${first.n}: ${first.text}` : undefined },
      ...warnings.map((e) => ({ id: e.evidenceId, excerpt: e.message })),
      ...alertCites(ctx),
    ],
    test: "Read the previous container logs in full and the pod's events; compare with a healthy replica",
    remediation: [{ title: "Collect more evidence", stage: "Fix", commands: [`${kubectl(ctx)} describe pod ${ctx.target.pod ?? ""}`.trim(), `${kubectl(ctx)} logs ${ctx.target.pod ?? "POD"} --all-containers --previous`] }],
  });
}

/** For an alert, the alert itself and the series collected for it (its expression, the workload's standard series). */
function alertCites(ctx: InvestigationContext): { id: string }[] {
  if (!ctx.alert) return [];
  return [ctx.alert.evidenceId, ...ctx.metrics.filter((m) => m.points.length > 0).map((m) => m.evidenceId)].map((id) => ({ id }));
}

/** Adds the last rollout as a lead (hypothesis and rollback step) when the chosen rule did not already weigh it. */
function withRollout(ctx: InvestigationContext, d: RuleDiagnosis): RuleDiagnosis {
  const hyp = rolloutHypothesis(ctx);
  const covered = d.rule === "rollout-regression" || d.remediation.some((r) => r.commands.some((cmd) => cmd.includes("rollout undo")));
  if (!hyp || covered || !["Unknown", "ApplicationError", "ApplicationConfiguration", "BadCommand", "ProbeFailure", "MissingConfiguration"].includes(d.category)) return d;
  const evidence = ctx.evidence.find((e) => e.id === ctx.rollout!.evidenceId);
  return {
    ...d,
    hypotheses: [...d.hypotheses, hyp].slice(0, 10),
    remediation: [rollbackStep(ctx), ...d.remediation].slice(0, 10),
    evidence: evidence && !d.evidence.some((e) => e.id === evidence.id) ? [...d.evidence, { id: evidence.id, source: evidence.source, excerpt: evidence.text.slice(0, 1500) }].slice(0, 40) : d.evidence,
  };
}

/**
 * Runs every rule and keeps the most confident diagnosis; the other matches
 * become hypotheses beside it, with what would confirm or refute each. When no
 * rule matches, the answer is Unknown with the best evidence found.
 */
export function triage(ctx: InvestigationContext, rules: TriageRule[] = RULES): RuleDiagnosis {
  const { matches, errors } = runRules(ctx, rules);
  const best = matches[0];
  const chosen = best ? best.d : unknown(ctx);
  const seen = new Set([chosen.rule]);
  const others = matches.slice(1).filter((m) => !seen.has(m.d.rule) && (seen.add(m.d.rule), true));
  const notes = [...chosen.notes, ...errors];
  if (matches.length > 1) notes.push(`Other signatures matched: ${others.map((m) => `${m.d.rule} (${m.d.confidence})`).join(", ")}`);
  return withRollout(ctx, {
    ...chosen,
    hypotheses: [...chosen.hypotheses, ...others.map(alternative)].slice(0, 10),
    notes: notes.map((n) => n.slice(0, 1000)).slice(0, 10),
  });
}
