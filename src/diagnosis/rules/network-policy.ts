import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis } from "./build.js";
import { findDependencySignal, type DependencySignal } from "./dependency-signals.js";
import { excerptOf } from "./logs.js";
import { failingContainer, kubectl } from "./subject.js";

interface PolicyPort {
  port?: number | string;
  protocol?: string;
}
interface EgressRule {
  to?: unknown[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  policyTypes?: string[];
  egress?: EgressRule[];
}

interface Policy {
  name: string;
  evidenceId: string;
  spec: PolicySpec;
}

function selects(spec: PolicySpec, labels: Record<string, string>): boolean {
  const sel = spec.podSelector ?? {};
  const byLabel = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpr = (sel.matchExpressions ?? []).every((e) => {
    if (e.operator === "In") return e.values?.includes(labels[e.key] ?? "\u0000") ?? false;
    if (e.operator === "NotIn") return !(e.values?.includes(labels[e.key] ?? "\u0000") ?? false);
    if (e.operator === "Exists") return e.key in labels;
    return !(e.key in labels);
  });
  return byLabel && byExpr;
}

function restrictsEgress(spec: PolicySpec): boolean {
  return spec.policyTypes ? spec.policyTypes.includes("Egress") : spec.egress !== undefined;
}

/** Egress policies that select the pod. */
export function egressPolicies(ctx: InvestigationContext): Policy[] {
  const labels = ctx.pod?.metadata?.labels ?? {};
  return ctx.related
    .filter((r) => r.kind === "NetworkPolicy" && r.object)
    .map((r) => ({ name: r.name, evidenceId: r.evidenceId, spec: ((r.object as { spec?: PolicySpec }).spec ?? {}) }))
    .filter((p) => restrictsEgress(p.spec) && selects(p.spec, labels));
}

function allowsPort(policies: Policy[], port: number): boolean {
  return policies.some((p) => (p.spec.egress ?? []).some((rule) => !rule.ports || rule.ports.length === 0 || rule.ports.some((x) => x.port === undefined || Number(x.port) === port)));
}

function portOf(host: string | undefined): number | undefined {
  const m = host ? /:(\d+)$/.exec(host) : null;
  return m ? Number(m[1]) : undefined;
}

interface Blocked {
  policies: Policy[];
  signal: DependencySignal;
  dns: boolean;
  port?: number;
  /** The log names no port: the policy is a likely, not a certain, cause. */
  unsure: boolean;
}

function blocked(ctx: InvestigationContext, container: string): Blocked | undefined {
  const policies = egressPolicies(ctx);
  if (policies.length === 0) return undefined;
  const signal = findDependencySignal(ctx, container);
  if (!signal || !["dns-timeout", "timeout"].includes(signal.problem)) return undefined;
  const dns = signal.problem === "dns-timeout" && !allowsPort(policies, 53);
  const port = portOf(signal.host);
  const isTimeout = signal.problem === "timeout";
  const portBlocked = isTimeout && port !== undefined && !allowsPort(policies, port);
  const unsure = isTimeout && port === undefined;
  return dns || portBlocked || unsure ? { policies, signal, dns, port, unsure } : undefined;
}

function patchFor(b: Blocked): string {
  return b.dns
    ? `{"spec":{"egress":[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],"ports":[{"protocol":"UDP","port":53},{"protocol":"TCP","port":53}]}]}}`
    : `{"spec":{"egress":[{"ports":[{"protocol":"TCP","port":${b.port ?? 443}}]}]}}`;
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  const b = c ? blocked(ctx, c.name) : undefined;
  if (!c || !b) return undefined;
  const names = b.policies.map((p) => p.name).join(", ");
  const first = b.policies[0]!.name;
  const dependency = b.signal.host ?? "its dependency";
  const what = b.dns ? "DNS (port 53 to kube-dns)" : `egress to ${dependency}`;
  return diagnosis(ctx, {
    rule: b.dns ? "network-policy-blocks-dns" : "network-policy-blocks-egress",
    category: "NetworkPolicy",
    summary: `NetworkPolicy ${names} blocks ${what} for ${c.name}; its connections time out`,
    rootCause: `NetworkPolicy ${names} selects this pod and restricts egress, and no egress rule allows ${what}. The app's ${b.dns ? "DNS lookups" : "connections"} time out (log line ${b.signal.hit.n}: "${b.signal.hit.text.trim().slice(0, 200)}").`,
    confidence: b.unsure ? 0.7 : 0.92,
    cites: [...b.policies.map((p) => ({ id: p.evidenceId })), { id: b.signal.hit.evidenceId, excerpt: excerptOf(b.signal.hit, 2) }],
    test: `${kubectl(ctx)} get networkpolicy ${first} -o yaml; run the same lookup from a pod the policy does not select: it succeeds if the policy is the cause`,
    remediation: [
      {
        title: b.dns ? `Allow DNS egress in ${first}` : `Allow egress to ${dependency} in ${first}`,
        stage: "Fix",
        description: "Appends an egress rule; a JSON merge patch replaces the egress list, so merge it with the existing rules.",
        commands: [`${kubectl(ctx)} edit networkpolicy ${first}`],
        patch: patchFor(b),
        risk: "Medium",
        rollback: [`${kubectl(ctx)} apply -f <previous networkpolicy manifest>`],
      },
    ],
    prevention: ["Include a DNS egress rule in every default-deny policy template.", "Test network policies in CI with a connectivity check (e.g. a job that resolves and connects to each dependency)."],
  });
}

export const networkPolicyRules: TriageRule[] = [{ name: "network-policy", match }];
