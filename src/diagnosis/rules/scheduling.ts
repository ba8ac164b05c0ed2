import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, type Cite } from "./build.js";
import { kubectl, podEvidence, workloadRef } from "./subject.js";

export interface SchedulerReason {
  nodes: number;
  text: string;
  kind: "resource" | "selector" | "taint" | "affinity" | "volume" | "ports" | "cordoned" | "pvc" | "other";
  detail?: string;
}

const KINDS: [SchedulerReason["kind"], RegExp][] = [
  ["resource", /^Insufficient (\S+)|^(Too many pods)/],
  ["selector", /didn't match Pod's node affinity\/selector|didn't match node selector/],
  ["taint", /had untolerated taint \{([^}]*)\}|had taints? that the pod didn't tolerate/],
  ["affinity", /didn't match pod (?:anti-)?affinity rules|didn't satisfy existing pods anti-affinity rules|didn't match pod topology spread constraints/],
  ["volume", /volume node affinity conflict|exceed max volume count/],
  ["ports", /didn't have free ports/],
  ["cordoned", /were unschedulable|node\.kubernetes\.io\/unschedulable/],
  ["pvc", /unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found/],
];

function parsePart(part: string): SchedulerReason {
  const m = /^(\d+) (.*)$/.exec(part);
  const text = m ? m[2]! : part;
  for (const [kind, re] of KINDS) {
    const k = re.exec(text);
    if (k) return { nodes: m ? Number(m[1]) : 0, text, kind, detail: k[1] ?? k[2] };
  }
  return { nodes: m ? Number(m[1]) : 0, text, kind: "other" };
}

/** Parses "0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient memory. preemption: ..." */
export function parseSchedulerMessage(message: string): SchedulerReason[] {
  const body = /nodes are available: (.*?)(?:\. preemption:|\.?$)/s.exec(message)?.[1] ?? message;
  const parts = body.split(/,\s*(?=\d+ )/).map((p) => p.trim().replace(/\.$/, ""));
  const out: SchedulerReason[] = [];
  for (const part of parts) out.push(parsePart(part));
  return out;
}

function schedulerMessage(ctx: InvestigationContext): { message: string; cite: Cite } | undefined {
  const ev = [...ctx.events].reverse().find((e) => e.reason === "FailedScheduling");
  if (ev) return { message: ev.message, cite: { id: ev.evidenceId, excerpt: ev.message } };
  const cond = ctx.conditions.find((c) => c.type === "PodScheduled" && c.status === "False" && c.message);
  return cond ? { message: cond.message!, cite: { id: podEvidence(ctx, "PodStatus")[0], excerpt: cond.message } } : undefined;
}

function isControlPlaneTaint(r: SchedulerReason): boolean {
  return r.kind === "taint" && /node-role\.kubernetes\.io\/(control-plane|master)/.test(r.detail ?? r.text);
}

function requested(ctx: InvestigationContext, resource: string): string {
  const values = ctx.containers.filter((c) => !c.init).map((c) => c.resources.requests?.[resource] ?? c.resources.limits?.[resource]).filter(Boolean);
  return values.length ? values.join(" + ") : "?";
}

interface Explained {
  summary: string;
  cause: string;
  fix: { title: string; commands: string[] };
}

type Explainer = (ctx: InvestigationContext, r: SchedulerReason, total: string) => Explained;

const EXPLAIN: Partial<Record<SchedulerReason["kind"], Explainer>> = {
  resource: (ctx, r, total) => {
    const res = r.detail ?? "resources";
    return {
      summary: `no node has enough free ${res} for the pod's request (${requested(ctx, res)})`,
      cause: `${r.nodes} of ${total} nodes report Insufficient ${res}: the pod requests ${res} ${requested(ctx, res)} and no node has that much unallocated`,
      fix: { title: `Lower the ${res} request or add capacity (a node with free ${res})`, commands: [`${kubectl(ctx)} set resources ${workloadRef(ctx).ref} --requests=${res}=<smaller>`, `kubectl describe nodes | grep -A8 "Allocated resources"`] },
    };
  },
  selector: (ctx, r, total) => {
    const sel = JSON.stringify(ctx.pod?.spec?.nodeSelector ?? {});
    return {
      summary: `no node matches the pod's nodeSelector/affinity ${sel}`,
      cause: `${r.nodes} of ${total} nodes didn't match Pod's node affinity/selector (nodeSelector ${sel}): no node carries those labels`,
      fix: { title: "Fix the nodeSelector/affinity to labels nodes actually have, or label a node", commands: [`kubectl get nodes --show-labels`, `${kubectl(ctx)} edit ${workloadRef(ctx).ref}`] },
    };
  },
  taint: (ctx, r, total) => ({
    summary: `every candidate node has a taint the pod does not tolerate (${r.detail ?? "taint"})`,
    cause: `${r.nodes} of ${total} nodes had untolerated taint {${r.detail ?? ""}}: the pod has no matching toleration`,
    fix: { title: `Add a toleration for ${r.detail ?? "the taint"}, or schedule onto untainted nodes`, commands: [`kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`, `${kubectl(ctx)} edit ${workloadRef(ctx).ref}`] },
  }),
};

function explainOther(ctx: InvestigationContext, r: SchedulerReason, total: string): Explained {
  return {
    summary: `the scheduler rejects every node: ${r.text}`,
    cause: `${r.nodes} of ${total} nodes: ${r.text}`,
    fix: { title: "Relax the constraint the scheduler names", commands: [`${kubectl(ctx)} describe pod ${ctx.target.pod ?? ""}`.trim(), `${kubectl(ctx)} edit ${workloadRef(ctx).ref}`] },
  };
}

function explain(ctx: InvestigationContext, r: SchedulerReason, total: string): Explained {
  return (EXPLAIN[r.kind] ?? explainOther)(ctx, r, total);
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const found = schedulerMessage(ctx);
  if (!found) return undefined;
  const reasons = parseSchedulerMessage(found.message);
  if (reasons.some((r) => r.kind === "pvc")) return undefined; // the storage rule owns unbound claims
  const candidates = reasons.filter((r) => !isControlPlaneTaint(r));
  const main = [...(candidates.length ? candidates : reasons)].sort((a, b) => b.nodes - a.nodes)[0];
  if (!main) return undefined;
  const total = /(\d+)\/(\d+) nodes are available/.exec(found.message)?.[2] ?? "all";
  const e = explain(ctx, main, total);
  const others = reasons.filter((r) => r !== main).map((r) => `${r.nodes} ${r.text}`);
  return diagnosis(ctx, {
    rule: `unschedulable-${main.kind}`,
    category: "Unschedulable",
    summary: `Pod ${ctx.target.pod ?? ""} is Pending: ${e.summary}`.replace("  ", " "),
    rootCause: `The scheduler cannot place the pod. ${e.cause}.${others.length ? ` Other nodes: ${others.join("; ")}.` : ""}`,
    confidence: main.kind === "other" ? 0.75 : 0.95,
    cites: [found.cite, ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))],
    test: "kubectl describe nodes, and compare allocatable minus allocated, labels and taints with the pod's requests, nodeSelector and tolerations",
    remediation: [{ ...e.fix, stage: "Fix" }],
    prevention: ["Check requests against the largest node in CI (e.g. kube-score / policy).", "Use cluster autoscaling with node groups for special resources (GPU) and matching tolerations."],
  });
}

export const schedulingRules: TriageRule[] = [{ name: "unschedulable", match }];
