import type { Category, Hypothesis, Remediation } from "../../api/diagnosis.js";
import type { InvestigationContext, RolloutChange } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis } from "./build.js";
import { clip, firstError } from "./logs.js";
import { failingContainer, isCrashing, kubectl, workloadRef } from "./subject.js";

const ORDER: [RegExp, Category][] = [
  [/\.image$/, "ApplicationError"],
  [/\.(command|args)/, "BadCommand"],
  [/\.(env|envFrom)/, "ApplicationConfiguration"],
  [/Probe|probes?\./i, "ProbeFailure"],
  [/volume/i, "ApplicationConfiguration"],
];

/** The change most likely to break a container: image, then command, env, probes, volumes. */
function mainChange(changes: RolloutChange[], container: string): { change: RolloutChange; category: Category } | undefined {
  const mine = changes.filter((ch) => ch.path.includes(`[${container}]`) || !ch.path.startsWith("containers"));
  for (const [re, category] of ORDER) {
    const change = mine.find((ch) => re.test(ch.path));
    if (change) return { change, category };
  }
  return undefined;
}

export function describeChange(ch: RolloutChange): string {
  return `${ch.path}: ${ch.before ?? "unset"} → ${ch.after ?? "unset"}`;
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  const rollout = ctx.rollout;
  if (!c || !rollout || rollout.changes.length === 0 || !isCrashing(c)) return undefined;
  const main = mainChange(rollout.changes, c.name);
  if (!main) return undefined;
  const w = workloadRef(ctx);
  const first = firstError(ctx, c.name);
  return diagnosis(ctx, {
    rule: "rollout-regression",
    category: main.category,
    summary: `Container ${c.name} fails since revision ${rollout.toRevision} of ${w.ref}, which changed ${describeChange(main.change)}`,
    rootCause: `The failure started with the last rollout of ${w.ref} (revision ${rollout.fromRevision} → ${rollout.toRevision}), which changed ${rollout.changes.map(describeChange).slice(0, 5).join("; ")}. Pods of the new revision fail${first ? ` (first error: "${clip(first.text, 160)}")` : ""}; no more specific signature was found, so the change itself is the best lead.`,
    confidence: 0.55,
    cites: [{ id: rollout.evidenceId }, { id: first?.evidenceId, excerpt: first ? `L${first.n}: ${first.text}` : undefined }],
    test: `${kubectl(ctx)} rollout undo ${w.ref}; if the previous revision runs healthy, the change is confirmed as the cause`,
    remediation: [rollbackStep(ctx)],
  });
}

/** A `kubectl rollout undo` step for diagnoses whose failure started with the last rollout. */
export function rollbackStep(ctx: InvestigationContext): Remediation {
  const w = workloadRef(ctx);
  const from = ctx.rollout?.fromRevision ?? "previous";
  return {
    title: `Roll back ${w.ref} to revision ${from}`,
    stage: "Stabilize",
    commands: [`${kubectl(ctx)} rollout undo ${w.ref} --to-revision=${from}`, `${kubectl(ctx)} rollout status ${w.ref}`],
    risk: "Medium",
    rollback: [`${kubectl(ctx)} rollout undo ${w.ref} --to-revision=${ctx.rollout?.toRevision ?? "latest"}`],
  };
}

/** The rollout as a hypothesis beside another diagnosis. */
export function rolloutHypothesis(ctx: InvestigationContext): Hypothesis | undefined {
  const rollout = ctx.rollout;
  if (!rollout || rollout.changes.length === 0) return undefined;
  const w = workloadRef(ctx);
  return {
    statement: `The last rollout of ${w.ref} (revision ${rollout.fromRevision} → ${rollout.toRevision}) introduced the failure: ${rollout.changes.map(describeChange).slice(0, 3).join("; ")}`,
    verdict: "Possible",
    evidence: [rollout.evidenceId],
    test: `Compare pods of revision ${rollout.fromRevision} and ${rollout.toRevision}; \`${kubectl(ctx)} rollout undo ${w.ref}\` recovering confirms it`,
  };
}

export const rolloutRules: TriageRule[] = [{ name: "rollout-regression", match }];
