import type { Remediation } from "../../api/diagnosis.js";
import type { ContainerFacts, InvestigationContext, MetricFacts, RolloutChange } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, type Cite } from "./build.js";
import { formatBytes, parseQuantity } from "./quantity.js";
import { containersByFailure, kubectl, podEvidence, workloadRef } from "./subject.js";

function oomKilled(c: ContainerFacts): boolean {
  return c.lastTerminated?.reason === "OOMKilled" || (c.state.kind === "terminated" && c.state.reason === "OOMKilled");
}

function memoryMetric(ctx: InvestigationContext, container: string): MetricFacts | undefined {
  return ctx.metrics.find((m) => /memory/i.test(m.name) && (m.container === undefined || m.container === container) && m.points.length > 0);
}

/** A sentence on the usage trend against the limit, when metrics exist. */
export function memoryTrend(m: MetricFacts, limit: number | undefined): string {
  const first = m.points[0]!.v;
  const last = m.points.at(-1)!.v;
  const max = m.max ?? Math.max(...m.points.map((p) => p.v));
  const lim = m.limit ?? limit;
  const span = (m.points.at(-1)!.t - m.points[0]!.t) / 60;
  const shape = last > first * 1.5 && span > 0 ? `climbed steadily from ${formatBytes(first)} to ${formatBytes(last)} over ${Math.round(span)} min (a leak or unbounded cache)` : `stayed around ${formatBytes(last)} and peaked at ${formatBytes(max)} (the working set itself is too big for the limit)`;
  const pct = lim ? `, ${Math.round((max / lim) * 100)}% of the ${formatBytes(lim)} limit` : "";
  return `Memory working set ${shape}${pct}.`;
}

function leaking(m: MetricFacts | undefined): boolean {
  if (!m) return false;
  const first = m.points[0]!.v;
  return m.points.at(-1)!.v > first * 1.5;
}

interface OomFacts {
  c: ContainerFacts;
  limitText?: string;
  limit?: number;
  metric?: MetricFacts;
  rollout?: RolloutChange;
}

function oomFacts(ctx: InvestigationContext): OomFacts | undefined {
  const c = containersByFailure(ctx).find(oomKilled);
  if (!c) return undefined;
  const limitText = c.resources.limits?.memory;
  const rollout = ctx.rollout?.changes.find((ch) => ch.path.includes(`[${c.name}]`) && /memory/.test(ch.path));
  return { c, limitText, limit: parseQuantity(limitText), metric: memoryMetric(ctx, c.name), rollout };
}

function oomCites(ctx: InvestigationContext, f: OomFacts): Cite[] {
  const ids = [...podEvidence(ctx, "PodStatus"), ...podEvidence(ctx, "PodSpec"), f.metric?.evidenceId, f.rollout ? ctx.rollout?.evidenceId : undefined];
  return ids.map((id) => ({ id }));
}

function oomRemediation(ctx: InvestigationContext, f: OomFacts): Partial<Remediation>[] {
  const w = workloadRef(ctx);
  const bigger = f.limit ? formatBytes(f.limit * 2) : "512Mi";
  const undo: Partial<Remediation>[] = f.rollout && w.rollable ? [{ title: "Roll back the change that lowered the limit", stage: "Stabilize", commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Medium" }] : [];
  return [
    {
      title: `Raise the memory limit of ${f.c.name} to ${bigger}`,
      stage: "Stabilize",
      commands: [`${kubectl(ctx)} set resources ${w.ref} -c ${f.c.name} --limits=memory=${bigger}`],
      risk: "Medium",
      rollback: f.limitText ? [`${kubectl(ctx)} set resources ${w.ref} -c ${f.c.name} --limits=memory=${f.limitText}`] : undefined,
      description: "A bigger limit needs room on the nodes; check `kubectl describe nodes` allocatable memory first.",
    },
    ...undo,
    {
      title: leaking(f.metric) ? "Find the leak: take a heap profile while memory climbs" : "Size the limit from observed peak usage",
      stage: "Fix",
      commands: [`${kubectl(ctx)} top pod -l ${labelSelector(ctx)} --containers`],
    },
  ];
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const f = oomFacts(ctx);
  if (!f) return undefined;
  const { c } = f;
  const trend = f.metric ? ` ${memoryTrend(f.metric, f.limit)}` : "";
  const limitPhrase = f.limitText ? `its ${f.limitText} memory limit` : "the node's available memory (no memory limit is set)";
  const rolloutNote = f.rollout ? ` The last rollout changed ${f.rollout.path} from ${f.rollout.before ?? "unset"} to ${f.rollout.after ?? "unset"}.` : "";
  return diagnosis(ctx, {
    rule: "oom-killed",
    category: "OutOfMemory",
    summary: `Container ${c.name} is OOMKilled: it exceeds ${limitPhrase}${c.restartCount ? ` (${c.restartCount} restarts)` : ""}`,
    rootCause: `The kernel killed container ${c.name} (exit code 137, reason OOMKilled) because its memory use reached ${limitPhrase}.${trend}${rolloutNote}`,
    confidence: 0.96,
    cites: oomCites(ctx, f),
    test: "Compare container_memory_working_set_bytes with the limit just before each restart; a kill at the limit confirms it, a kill well below it points at node memory pressure.",
    remediation: oomRemediation(ctx, f),
    prevention: ["Alert when working set exceeds 80% of the memory limit.", "Set the limit from load-test peaks, and cap in-process caches and heap (e.g. -XX:MaxRAMPercentage, --max-old-space-size) below it."],
  });
}

function labelSelector(ctx: InvestigationContext): string {
  const labels = ctx.pod?.metadata?.labels ?? {};
  const app = labels["app.kubernetes.io/name"] ?? labels.app;
  return app ? `${labels["app.kubernetes.io/name"] ? "app.kubernetes.io/name" : "app"}=${app}` : "app";
}

export const oomRules: TriageRule[] = [{ name: "oom-killed", match }];
