import type { Remediation } from "../../api/diagnosis.js";
import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty } from "./build.js";
import { findCrash, type Crash } from "./crash-parsers.js";
import { clip, excerptOf } from "./logs.js";
import { failingContainer, kubectl, workloadRef } from "./subject.js";

const WHAT: Record<Crash["runtime"], string> = {
  Go: "Go crash",
  Rust: "Rust panic",
  ".NET": ".NET unhandled exception",
  Python: "Python uncaught exception",
  Java: "Java uncaught exception",
  "Node.js": "Node.js uncaught exception",
  Ruby: "Ruby uncaught exception",
  native: "native crash",
};

function describe(crash: Crash): string {
  if (crash.kind === "panic" || crash.kind === "fatal error") return `${crash.kind}: ${clip(crash.message, 160)}${crash.location ? ` at ${crash.location}` : ""}`;
  const msg = crash.message ? `: ${clip(crash.message, 160)}` : "";
  const where = crash.location ? ` at ${crash.location}` : "";
  return `${crash.kind}${msg}${where}`;
}

function imageChange(ctx: InvestigationContext, container: string): { before?: string; after?: string } | undefined {
  return ctx.rollout?.changes.find((ch) => ch.path.includes(`[${container}].image`));
}

function isNullDereference(crash: Crash): boolean {
  return /nil pointer|NullPointerException|NoneType|undefined is not|Cannot read propert(?:y|ies) of (?:undefined|null)|NullReferenceException|unwrap\(\)` on a `None`/.test(`${crash.kind} ${crash.message}`);
}

function rollbackSteps(ctx: InvestigationContext, change: { before?: string } | undefined): Partial<Remediation>[] {
  const w = workloadRef(ctx);
  return change && w.rollable ? [{ title: `Roll back to ${change.before}`, stage: "Stabilize", commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Low" }] : [];
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const crash = findCrash(ctx, c.name);
  if (!crash) return undefined;
  const change = imageChange(ctx, c.name);
  const regression = change ? ` The crash began with the last rollout, which changed the image from ${change.before} to ${change.after}: a regression in the new version.` : "";
  const nil = isNullDereference(crash);
  return diagnosis(ctx, {
    rule: `crash-${crash.runtime.toLowerCase().replace(/[^a-z]/g, "")}`,
    category: "ApplicationError",
    summary: `Container ${c.name} crashes with a ${WHAT[crash.runtime]}: ${clip(describe(crash), 200)}${change ? " (since the last rollout)" : ""}`,
    rootCause: `The application in container ${c.name} (image ${c.image}) hits a bug and exits: ${WHAT[crash.runtime]} ${describe(crash)} (log line ${crash.hit.n}).${nil ? " A null/nil value is dereferenced: a missing check in the code path." : ""}${regression}`,
    confidence: 0.76 + (change ? 0.04 : 0) - latePenalty(crash.hit.late),
    cites: [{ id: crash.hit.evidenceId, excerpt: excerptOf(crash.hit, 12) }, { id: change ? ctx.rollout?.evidenceId : undefined }],
    test: crash.location ? `Read ${crash.location} in the source of ${c.image} and reproduce with the input logged before the crash` : `Reproduce locally with ${c.image} and the same configuration`,
    remediation: [
      ...rollbackSteps(ctx, change),
      { title: `Fix the bug${crash.location ? ` at ${crash.location}` : ""} and release a new image`, stage: "Fix", commands: [] },
    ],
    prevention: ["Add a regression test for this input.", "Roll out with a canary or progressive delivery so a crashing version stops at the first pods."],
  });
}

export const crashRules: TriageRule[] = [{ name: "application-crash", match }];
