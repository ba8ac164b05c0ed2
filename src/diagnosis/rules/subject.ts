import type { ContainerFacts, InvestigationContext } from "../../context/types.js";

const BENIGN_WAITING = new Set(["ContainerCreating", "PodInitializing"]);

/** How strongly a container looks like the one that fails; 0 for a healthy one. */
function stateScore(c: ContainerFacts): number {
  const waiting = c.state.kind === "waiting" ? c.state.reason : undefined;
  if (waiting && !BENIGN_WAITING.has(waiting)) return 100;
  return c.state.kind === "terminated" && (c.state.exitCode ?? 0) !== 0 ? 80 : 0;
}

function historyScore(c: ContainerFacts): number {
  const last = c.lastTerminated;
  if (!last) return 0;
  const oom = last.reason === "OOMKilled" || c.state.reason === "OOMKilled";
  return (last.exitCode !== 0 || oom ? 50 : 0) + (oom ? 30 : 0);
}

function failureScore(c: ContainerFacts): number {
  const score = stateScore(c) + historyScore(c);
  return score + (c.init && score > 0 ? 10 : 0) + Math.min(c.restartCount, 20);
}

/**
 * The container the investigation is about: the target's when the trigger named
 * one, otherwise the container whose status looks worst (init containers first
 * on a tie, since they block the others).
 */
export function failingContainer(ctx: InvestigationContext): ContainerFacts | undefined {
  const named = ctx.target.container ? ctx.containers.find((c) => c.name === ctx.target.container) : undefined;
  if (named) return named;
  let best: ContainerFacts | undefined;
  let bestScore = 0;
  for (const c of ctx.containers) {
    const s = failureScore(c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best ?? ctx.containers.find((c) => !c.init);
}

/** Containers in the order rules should look at them: the failing one first. */
export function containersByFailure(ctx: InvestigationContext): ContainerFacts[] {
  const first = failingContainer(ctx);
  return first ? [first, ...ctx.containers.filter((c) => c !== first)] : [...ctx.containers];
}

/** Exit code of the container's last failure: the current termination, else the last one. */
export function exitCodeOf(c: ContainerFacts): number | undefined {
  if (c.state.kind === "terminated") return c.state.exitCode;
  return c.lastTerminated?.exitCode;
}

/** Termination reason (Error, OOMKilled, Completed, StartError...) of the last failure. */
export function terminationReasonOf(c: ContainerFacts): string | undefined {
  if (c.state.kind === "terminated") return c.state.reason;
  return c.lastTerminated?.reason;
}

/** Whether the container keeps failing (crash loop, restarts or a failed run). */
export function isCrashing(c: ContainerFacts): boolean {
  if (c.state.kind === "waiting" && c.state.reason === "CrashLoopBackOff") return true;
  if (c.state.kind === "terminated" && (c.state.exitCode ?? 0) !== 0) return true;
  return c.restartCount > 0 && c.lastTerminated !== undefined;
}

export interface WorkloadRef {
  /** For kubectl: deployment/web, statefulset/db, pod/web-1. */
  ref: string;
  kind: string;
  name: string;
  namespace: string;
  /** Whether `kubectl rollout` applies. */
  rollable: boolean;
}

const ROLLABLE = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** The workload to act on in remediation commands. */
export function workloadRef(ctx: InvestigationContext): WorkloadRef {
  const namespace = ctx.target.namespace;
  const owner = ctx.target.workload ?? ctx.owners.at(-1);
  if (owner && owner.kind !== "Pod") {
    return { ref: `${owner.kind.toLowerCase()}/${owner.name}`, kind: owner.kind, name: owner.name, namespace, rollable: ROLLABLE.has(owner.kind) };
  }
  const pod = ctx.target.pod ?? ctx.pod?.metadata?.name ?? "POD";
  return { ref: `pod/${pod}`, kind: "Pod", name: pod, namespace, rollable: false };
}

/** "shop/web-7d9f-abcde" */
export function podName(ctx: InvestigationContext): string {
  return `${ctx.target.namespace}/${ctx.target.pod ?? ctx.pod?.metadata?.name ?? ctx.target.workload?.name ?? "?"}`;
}

/** `kubectl -n NS` prefix. */
export function kubectl(ctx: InvestigationContext): string {
  return `kubectl -n ${ctx.target.namespace}`;
}

/** Evidence ids of the pod's status and spec, as collection named them (by source). */
export function podEvidence(ctx: InvestigationContext, source: "PodStatus" | "PodSpec"): string[] {
  return ctx.evidence.filter((e) => e.source === source).map((e) => e.id);
}

/** The status waiting/terminated message of the container, if any. */
export function stateMessage(c: ContainerFacts): string {
  return [c.state.message, c.lastTerminated?.message].filter(Boolean).join("\n");
}
