import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, type Cite } from "./build.js";
import { exitCodeOf, failingContainer, kubectl, podEvidence } from "./subject.js";

function nodeName(ctx: InvestigationContext): string {
  return ctx.node?.name ?? ctx.pod?.spec?.nodeName ?? "its node";
}

function nodeCites(ctx: InvestigationContext): Cite[] {
  return [...podEvidence(ctx, "PodStatus").map((id) => ({ id })), { id: ctx.node?.evidenceId }];
}

const PRESSURE_FIX: Record<string, string> = {
  memory: "Set memory requests close to real usage (the kubelet evicts pods using most above their request first) and add node memory",
  "ephemeral-storage": "Set ephemeral-storage requests/limits and move large writes (logs, caches) to volumes; clean the node's disk",
  pid: "Cap processes (pids limit) and fix the process leak",
  nodefs: "Free the node's disk (images, logs) and set ephemeral-storage limits",
  imagefs: "Garbage-collect unused images on the node",
};

function matchEvicted(ctx: InvestigationContext): RuleDiagnosis | undefined {
  if (ctx.podReason !== "Evicted") return undefined;
  const message = ctx.podMessage ?? "";
  const resource = /low on resource: ([\w-]+)/.exec(message)?.[1] ?? "resources";
  const user = /Container ([\w-]+) was using ([\w.]+), request is ([\w.]+)/.exec(message);
  const using = user ? ` Container ${user[1]} was using ${user[2]} against a request of ${user[3]}, the largest overuse on the node, so it went first.` : "";
  const ev = ctx.events.find((e) => e.reason === "Evicted");
  return diagnosis(ctx, {
    rule: "node-pressure-eviction",
    category: "NodeFailure",
    summary: `Pod was evicted: node ${nodeName(ctx)} was low on ${resource} (${resource === "memory" ? "MemoryPressure" : "DiskPressure"})`,
    rootCause: `The kubelet on node ${nodeName(ctx)} evicted the pod because the node was low on resource: ${resource}.${using} Message: ${message.slice(0, 300)}`,
    confidence: 0.93,
    cites: [...nodeCites(ctx), { id: ev?.evidenceId, excerpt: ev?.message }],
    test: `kubectl describe node ${nodeName(ctx)} (Conditions and Allocated resources); kubectl get events -A --field-selector reason=Evicted`,
    remediation: [
      { title: PRESSURE_FIX[resource] ?? "Relieve the node's resource pressure", stage: "Fix", commands: [`kubectl describe node ${nodeName(ctx)}`, `${kubectl(ctx)} delete pods --field-selector=status.phase=Failed`] },
    ],
    prevention: ["Requests equal to typical usage (Guaranteed QoS for critical pods) and alerts on node pressure conditions."],
  });
}

function badConditions(ctx: InvestigationContext): { type: string; status: string; reason?: string; message?: string }[] {
  return (ctx.node?.conditions ?? []).filter((c) => (c.type === "Ready" && c.status !== "True") || (/Pressure$|NetworkUnavailable/.test(c.type) && c.status === "True"));
}

interface NodeState {
  shutdown: boolean;
  notReady: boolean;
  bad: ReturnType<typeof badConditions>;
  events: InvestigationContext["events"];
  /** A container killed with 137, without OOMKilled, on a node under MemoryPressure. */
  killedOnPressure?: string;
}

function nodeState(ctx: InvestigationContext): NodeState | undefined {
  const shutdown = /node shutdown|NodeShutdown|node was shutting down/i.test(`${ctx.podReason ?? ""} ${ctx.podMessage ?? ""}`);
  const bad = badConditions(ctx);
  const events = ctx.events.filter((e) => /NodeNotReady|TaintManagerEviction|NodeLost|NodeShutdown/.test(e.reason));
  const c = failingContainer(ctx);
  const killed = bad.some((b) => b.type === "MemoryPressure") && c !== undefined && exitCodeOf(c) === 137 ? c.name : undefined;
  const notReady = bad.some((b) => b.type === "Ready") || events.some((e) => /NotReady|NodeLost/.test(e.reason));
  if (!shutdown && events.length === 0 && !notReady && !killed) return undefined;
  return { shutdown, notReady, bad, events, killedOnPressure: killed };
}

function describeConditions(bad: NodeState["bad"]): string {
  return bad.map((b) => `${b.type}=${b.status}${b.reason ? ` (${b.reason}${b.message ? `: ${b.message}` : ""})` : ""}`).join("; ");
}

function matchNodeState(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const s = nodeState(ctx);
  if (!s) return undefined;
  const name = nodeName(ctx);
  const conds = describeConditions(s.bad);
  const what = s.shutdown ? "is shutting down" : s.notReady ? "is NotReady" : "is under memory pressure";
  const shutdownNote = s.shutdown ? ` ${ctx.podMessage ?? ""}` : "";
  const pressureNote = s.killedOnPressure ? ` Container ${s.killedOnPressure} was killed (137) without OOMKilled while the node was under MemoryPressure.` : "";
  return diagnosis(ctx, {
    rule: s.shutdown ? "node-shutdown" : "node-not-ready",
    category: "NodeFailure",
    summary: `Node ${name} ${what}; the pod's failure follows from the node, not the app`,
    rootCause: `Node ${name} ${what}${conds ? `: ${conds}` : ""}.${shutdownNote}${pressureNote}`,
    confidence: s.shutdown || s.notReady ? 0.9 : 0.8,
    cites: [...nodeCites(ctx), ...s.events.map((e) => ({ id: e.evidenceId, excerpt: e.message }))],
    test: `kubectl describe node ${name}; kubectl get node ${name} -o jsonpath='{.status.conditions}'; check the kubelet/container runtime on the node`,
    remediation: [
      { title: `Move workloads off ${name} and repair or replace it`, stage: "Stabilize", commands: [`kubectl cordon ${name}`, `kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`], risk: "Medium", rollback: [`kubectl uncordon ${name}`] },
    ],
    prevention: ["Run at least two replicas spread across nodes (topologySpreadConstraints) with a PodDisruptionBudget."],
  });
}

export const nodeRules: TriageRule[] = [
  { name: "node-pressure-eviction", match: matchEvicted },
  { name: "node-not-ready", match: matchNodeState },
];
