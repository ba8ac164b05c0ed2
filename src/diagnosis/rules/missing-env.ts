import type { Remediation } from "../../api/diagnosis.js";
import type { ContainerFacts, InvestigationContext, RolloutChange } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty, type Cite } from "./build.js";
import { excerptOf, findFirstOf, type LogHit } from "./logs.js";
import { failingContainer, kubectl, podEvidence, workloadRef } from "./subject.js";

const NAME = String.raw`\\?["'\x60]?([A-Za-z_][A-Za-z0-9_]{2,})\\?["'\x60]?`;
const VAR_PATTERNS: RegExp[] = [
  new RegExp(String.raw`(?:environment variable|env(?:ironment)? var(?:iable)?|env key|env)\b\s*[:=]?\s*${NAME}\s+(?:is\s+)?(?:not set|required|missing|must be (?:set|defined|provided)|undefined|empty|not defined|not present)`, "i"),
  new RegExp(String.raw`(?:missing|required|undefined|unset|no)\s+(?:required\s+)?(?:environment variable|env(?:ironment)? var(?:iable)?|config(?:uration)? (?:value|key|setting|option)|setting)s?\b\s*(?:for\s+)?[:=]?\s*${NAME}`, "i"),
  /required key ([A-Z_][A-Z0-9_]+) missing value/,
  /KeyError: '([A-Z][A-Z0-9_]{2,})'/,
  /Could not resolve placeholder '([^':]+)/,
  /environ(?:ment)?\[["']([A-Z][A-Z0-9_]{2,})["']\]/,
  /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3,}) (?:must be set|is not set|is required|not set|is missing|is undefined|must be defined|must be provided)/,
];
const FILE_PATTERNS: RegExp[] = [
  /(?:open|read|load|reading|loading)\s+(?:config(?:uration)?(?: file)?\s+)?["']?(\/\S+\.(?:ya?ml|json|toml|ini|conf|cfg|properties|env))["']?:?\s+(?:no such file or directory|not found|does not exist)/i,
  /No such file or directory: '(\/[^']+\.(?:ya?ml|json|toml|ini|conf|cfg|properties|env))'/,
  /ENOENT: no such file or directory, open '(\/[^']+\.(?:ya?ml|json|toml|ini|conf|cfg|properties|env))'/,
  /(?:config(?:uration)? file|FileNotFoundException:?)\s+["']?(\/\S+?)["']?\s*(?:\(No such file or directory\)|not found|does not exist)/i,
];

interface EnvFinding {
  name: string;
  file: boolean;
  hit: LogHit;
}

function findVar(ctx: InvestigationContext, c: ContainerFacts): EnvFinding | undefined {
  const v = findFirstOf(ctx, c.name, VAR_PATTERNS);
  const f = findFirstOf(ctx, c.name, FILE_PATTERNS);
  if (v && (!f || v.n <= f.n || v.previous !== f.previous)) return { name: v.match[1]!, file: false, hit: v };
  if (f) return { name: f.match[1]!, file: true, hit: f };
  return undefined;
}

function envChange(ctx: InvestigationContext, c: ContainerFacts, name: string): RolloutChange | undefined {
  return ctx.rollout?.changes.find((ch) => ch.path.includes(`[${c.name}]`) && (ch.path.endsWith(`env[${name}]`) || ch.path.includes(`env[${name}]`)));
}

/** An env var added by the same rollout that removed `name`: a likely rename. */
function renamedTo(ctx: InvestigationContext, c: ContainerFacts, removed: RolloutChange): string | undefined {
  if (removed.after !== undefined) return undefined;
  const added = ctx.rollout?.changes.find((ch) => ch.path.includes(`[${c.name}].env[`) && ch.before === undefined && ch.after !== undefined);
  return added ? /env\[([^\]]+)\]/.exec(added.path)?.[1] : undefined;
}

function specState(c: ContainerFacts, name: string): string {
  const env = c.env.find((e) => e.name === name);
  if (!env) return c.envFrom.length ? `${name} is not in the pod spec's env, and envFrom (${c.envFrom.join(", ")}) does not provide it either` : `${name} is not set in the pod spec (no env entry, no envFrom)`;
  if (env.from) return `${name} is set from ${env.from}, but the value the app receives is missing or empty`;
  return env.value === "" ? `${name} is set to an empty string in the pod spec` : `${name} is set in the pod spec, yet the app reports it missing (check the name and the app's prefix)`;
}

function describeChange(ch: RolloutChange, renamed: string | undefined): string {
  if (ch.after === undefined) return ` The last rollout removed it${renamed ? ` (and added ${renamed}: a rename the app was not updated for)` : ""}.`;
  if (ch.before === undefined) return " The last rollout added it.";
  return ` The last rollout changed it from ${ch.before} to ${ch.after}.`;
}

interface Plan {
  undo: Partial<Remediation>[];
  fix: Partial<Remediation>;
}

function plan(ctx: InvestigationContext, c: ContainerFacts, found: EnvFinding, change: RolloutChange | undefined): Plan {
  const w = workloadRef(ctx);
  const { name } = found;
  const undo: Partial<Remediation>[] = change && w.rollable ? [{ title: `Roll back to revision ${ctx.rollout!.fromRevision}, which set ${name}`, stage: "Stabilize", commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Low" }] : [];
  const fix: Partial<Remediation> = found.file
    ? { title: `Mount the file ${name} into container ${c.name}`, stage: "Fix", commands: [`${kubectl(ctx)} edit ${w.ref}`] }
    : { title: `Set ${name} on container ${c.name}`, stage: "Fix", commands: [`${kubectl(ctx)} set env ${w.ref} -c ${c.name} ${name}=VALUE`], rollback: [`${kubectl(ctx)} set env ${w.ref} -c ${c.name} ${name}-`] };
  return { undo, fix };
}

function texts(ctx: InvestigationContext, c: ContainerFacts, found: EnvFinding, change: RolloutChange | undefined): { summary: string; rootCause: string } {
  const { name, hit } = found;
  const what = found.file ? `the config file ${name}` : `the environment variable ${name}`;
  const state = found.file ? `config file ${name} is not in the container (the ConfigMap/volume that should provide it is not mounted there)` : specState(c, name);
  const changed = change ? describeChange(change, renamedTo(ctx, c, change)) : "";
  return {
    summary: found.file ? `Container ${c.name} exits because its config file ${name} is missing` : `Container ${c.name} exits because required env var ${name} is not set${change ? " (changed by the last rollout)" : ""}`,
    rootCause: `The application in container ${c.name} requires ${what} and stops at startup without it (log line ${hit.n}: "${hit.text.trim().slice(0, 200)}"). ${state}.${changed}`,
  };
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  const found = c ? findVar(ctx, c) : undefined;
  if (!c || !found) return undefined;
  const change = found.file ? undefined : envChange(ctx, c, found.name);
  const p = plan(ctx, c, found, change);
  const cites: Cite[] = [{ id: found.hit.evidenceId, excerpt: excerptOf(found.hit, 3) }, ...podEvidence(ctx, "PodSpec").map((id) => ({ id })), { id: change ? ctx.rollout?.evidenceId : undefined }];
  return diagnosis(ctx, {
    rule: found.file ? "missing-config-file" : "missing-env-var",
    category: "MissingConfiguration",
    ...texts(ctx, c, found, change),
    confidence: 0.9 + (change ? 0.04 : 0) - latePenalty(found.hit.late),
    cites,
    test: found.file ? `${kubectl(ctx)} debug a copy of the pod and ls the directory of ${found.name}` : `${kubectl(ctx)} set env ${workloadRef(ctx).ref} --list -c ${c.name} | grep ${found.name}`,
    remediation: [...p.undo, p.fix],
    prevention: ["Validate required configuration in CI against the rendered manifests.", "Fail fast with a clear message naming the missing setting (as this app does), and keep env names in one schema shared by app and chart."],
  });
}

export const missingEnvRules: TriageRule[] = [{ name: "missing-env-var", match }];
