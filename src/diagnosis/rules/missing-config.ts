import type { ContainerFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, type Cite } from "./build.js";
import { failingContainer, kubectl, podEvidence, workloadRef } from "./subject.js";

interface MissingRef {
  kind: "ConfigMap" | "Secret";
  name: string;
  key?: string;
  text: string;
  evidenceId?: string;
}

type Ref = Omit<MissingRef, "text" | "evidenceId">;

const REF_PATTERNS: [RegExp, (m: RegExpExecArray) => Ref][] = [
  [/couldn't find key (\S+) in (ConfigMap|Secret) ([\w.-]+)\/([\w.-]+)/, (m) => ({ kind: m[2] as Ref["kind"], name: m[4]!, key: m[1]! })],
  [/(configmap|secret)s? "([\w.-]+)" not found/i, (m) => ({ kind: m[1]!.toLowerCase().startsWith("config") ? "ConfigMap" : "Secret", name: m[2]! })],
];

function parseRef(text: string): Ref | undefined {
  for (const [re, toRef] of REF_PATTERNS) {
    const m = re.exec(text);
    if (m) return toRef(m);
  }
  return undefined;
}

/** The missing ConfigMap/Secret/key, from the container's waiting message or from the pod's events. */
function findMissingRef(ctx: InvestigationContext, c: ContainerFacts | undefined): MissingRef | undefined {
  const message = c?.state.kind === "waiting" && c.state.reason === "CreateContainerConfigError" ? (c.state.message ?? "") : "";
  const fromState = parseRef(message);
  const ev = ctx.events.find((e) => /^(Failed|FailedMount)$/.test(e.reason) && parseRef(e.message));
  if (fromState) return { ...fromState, text: message, evidenceId: ev?.evidenceId };
  if (!ev) return undefined;
  return { ...parseRef(ev.message)!, text: ev.message, evidenceId: ev.evidenceId };
}

function usedBy(c: ContainerFacts | undefined, ref: MissingRef): string {
  const env = c?.env.find((e) => e.from?.includes(ref.name) && (!ref.key || e.from.includes(ref.key)));
  if (env) return ` Env var ${env.name} of container ${c!.name} reads it (${env.from}).`;
  if (c?.envFrom.some((f) => f.includes(ref.name))) return ` Container ${c.name} loads it through envFrom.`;
  return "";
}

function matchMissingRef(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  const ref = findMissingRef(ctx, c);
  if (!ref) return undefined;
  const what = ref.key ? `key ${ref.key} in ${ref.kind} ${ctx.target.namespace}/${ref.name}` : `${ref.kind} ${ctx.target.namespace}/${ref.name}`;
  const problem = ref.key ? `${ref.kind} ${ref.name} exists but has no key ${ref.key}` : `${ref.kind} ${ref.name} does not exist in namespace ${ctx.target.namespace}`;
  const create = ref.kind === "ConfigMap"
    ? `${kubectl(ctx)} create configmap ${ref.name} --from-literal=${ref.key ?? "KEY"}=VALUE`
    : `${kubectl(ctx)} create secret generic ${ref.name} --from-literal=${ref.key ?? "KEY"}=VALUE`;
  const addKey = ref.kind === "ConfigMap"
    ? `${kubectl(ctx)} patch configmap ${ref.name} --type merge -p '{"data":{"${ref.key}":"VALUE"}}'`
    : `${kubectl(ctx)} patch secret ${ref.name} --type merge -p '{"stringData":{"${ref.key}":"VALUE"}}'`;
  const cites: Cite[] = [{ id: ref.evidenceId, excerpt: ref.text }, ...podEvidence(ctx, "PodStatus").map((id) => ({ id })), ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))];
  return diagnosis(ctx, {
    rule: "missing-configmap-or-secret",
    category: "MissingConfiguration",
    summary: `Pod references missing ${what}${c ? `; container ${c.name} cannot be created` : ""}`,
    rootCause: `${problem}, so the kubelet cannot build the container's environment or volumes (${ref.text.trim().slice(0, 300)}).${usedBy(c, ref)}`,
    confidence: 0.96,
    cites,
    test: `${kubectl(ctx)} get ${ref.kind.toLowerCase()} ${ref.name} -o yaml${ref.kind === "Secret" ? " (keys only: -o jsonpath='{.data}' | jq keys)" : ""}`,
    remediation: [
      { title: ref.key ? `Add key ${ref.key} to ${ref.kind} ${ref.name}` : `Create ${ref.kind} ${ref.name}`, stage: "Fix", commands: [ref.key ? addKey : create] },
      { title: "Or fix the reference in the pod template (name/key typo), or mark it optional", stage: "Fix", commands: [`${kubectl(ctx)} edit ${workloadRef(ctx).ref}`] },
    ],
    prevention: ["Ship ConfigMaps/Secrets in the same release as the workload that needs them (one Helm chart or Kustomization).", "Validate references before deploy (e.g. a policy that checks configMapKeyRef targets exist)."],
  });
}

export const missingRefRules: TriageRule[] = [{ name: "missing-configmap-or-secret", match: matchMissingRef }];
