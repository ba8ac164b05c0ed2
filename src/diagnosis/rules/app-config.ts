import type { ContainerFacts, InvestigationContext, RolloutChange } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty } from "./build.js";
import { clip, excerptOf, findFirstOf } from "./logs.js";
import { failingContainer, kubectl, podEvidence, workloadRef } from "./subject.js";

/** Configuration that exists but holds a wrong value: the app says so at startup. */
const BAD_VALUE: RegExp[] = [
  /invalid value "[^"]*" for flag \S+/,
  /\binvalid (?:value|configuration|config|setting|URL|port|duration|format|log level|connection string)\b.*/i,
  /(?:failed|unable|error|cannot|could not) (?:to )?(?:parse|parsing|load|loading|decode|decoding|unmarshal|validate|validating) (?:the )?(?:config|configuration|settings)\b.*/i,
  /yaml: (?:line \d+: )?(?:unmarshal errors|mapping values are not allowed|did not find expected|could not find expected|found character that cannot start).*/,
  /json: cannot unmarshal .*/,
  /password authentication failed for user "?[\w.-]+"?/,
  /Access denied for user '[^']+'.*/,
  /database "[\w.-]+" does not exist/,
  /Unknown database '[\w.-]+'/,
  /(?:WRONGPASS|NOAUTH) .*/,
  /ValueError: invalid literal for int\(\) with base 10: '[^']*'/,
  /NumberFormatException: For input string: "[^"]*"/,
  /strconv\.\w+: parsing "[^"]*": invalid syntax/,
  /ERR_INVALID_URL|TypeError: Invalid URL.*/,
  /unsupported protocol scheme "?[\w]*"?/,
  /Failed to bind properties under '[^']+'.*/,
  /Format of the initialization string does not conform to specification.*/,
  /invalid (?:duration|port number|port) .*/,
];

function envChanges(ctx: InvestigationContext, c: ContainerFacts): RolloutChange[] {
  return (ctx.rollout?.changes ?? []).filter((ch) => ch.path.includes(`[${c.name}]`) && /env|args|configmap|volume/i.test(ch.path));
}

/** The rollout change the log line points at (its new value or its variable appears in the line), else any config change. */
function relevantChange(changes: RolloutChange[], line: string): RolloutChange | undefined {
  const named = changes.find((ch) => (ch.after && ch.after.length >= 2 && line.includes(ch.after)) || line.includes(/\[([^\]]+)\]$/.exec(ch.path)?.[1] ?? "\u0000"));
  return named ?? changes.find((ch) => ch.before !== undefined && ch.after !== undefined);
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const hit = findFirstOf(ctx, c.name, BAD_VALUE);
  if (!hit) return undefined;
  const w = workloadRef(ctx);
  const change = relevantChange(envChanges(ctx, c), hit.text);
  const changed = change ? ` The last rollout (revision ${ctx.rollout!.fromRevision} → ${ctx.rollout!.toRevision}) changed ${change.path} from ${change.before ?? "unset"} to ${change.after ?? "unset"}.` : "";
  const bad = clip(hit.match[0], 160);
  return diagnosis(ctx, {
    rule: "bad-configuration-value",
    category: "ApplicationConfiguration",
    summary: `Container ${c.name} rejects its configuration: ${bad}${change ? ` (after the last rollout changed ${change.path})` : ""}`,
    rootCause: `The application in container ${c.name} starts, reads its configuration and stops because a value is wrong: "${clip(hit.text, 300)}" (log line ${hit.n}).${changed}`,
    confidence: 0.82 + (change ? 0.06 : 0) - latePenalty(hit.late),
    cites: [{ id: hit.evidenceId, excerpt: excerptOf(hit, 3) }, ...podEvidence(ctx, "PodSpec").map((id) => ({ id })), { id: change ? ctx.rollout?.evidenceId : undefined }],
    test: `${kubectl(ctx)} set env ${w.ref} --list -c ${c.name}, and compare the value named in the error with what the app expects`,
    remediation: [
      ...(change && w.rollable ? [{ title: "Roll back the configuration change", stage: "Stabilize" as const, commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Low" as const }] : []),
      { title: "Correct the value in the pod template, ConfigMap or Secret", stage: "Fix", commands: [`${kubectl(ctx)} edit ${w.ref}`] },
    ],
    prevention: ["Validate configuration in CI by starting the app with the rendered config (a --check-config mode).", "Keep credentials and URLs in one source of truth that deploys with the app."],
  });
}

export const appConfigRules: TriageRule[] = [{ name: "bad-configuration-value", match }];
