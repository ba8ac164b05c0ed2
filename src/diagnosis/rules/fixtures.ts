// Hand-built InvestigationContexts for rule tests: what collection would produce
// for one failing pod, without a cluster or a snapshot.
import { condenseLog } from "../../context/condense.js";
import type { KubeObject } from "../../api/snapshot.js";
import type {
  CondensedLog,
  ContainerFacts,
  EventFacts,
  Evidence,
  InvestigationContext,
  MetricFacts,
  NodeFacts,
  RolloutChange,
} from "../../context/types.js";

export interface FixtureContainer extends Partial<Omit<ContainerFacts, "name">> {
  name: string;
  previousLog?: string;
  currentLog?: string;
}

export interface FixtureOptions {
  namespace?: string;
  pod?: string;
  labels?: Record<string, string>;
  workload?: { kind: string; name: string };
  containers: FixtureContainer[];
  events?: (Partial<EventFacts> & { reason: string; message: string })[];
  rollout?: RolloutChange[];
  node?: Partial<NodeFacts>;
  related?: { kind: string; name: string; summary?: string; object?: KubeObject }[];
  metrics?: Partial<MetricFacts>[];
  podPhase?: string;
  podReason?: string;
  podMessage?: string;
  conditions?: InvestigationContext["conditions"];
}

function container(c: FixtureContainer): ContainerFacts {
  return {
    name: c.name,
    init: c.init ?? false,
    image: c.image ?? `registry.example.com/${c.name}:1.0.0`,
    command: c.command,
    args: c.args,
    env: c.env ?? [],
    envFrom: c.envFrom ?? [],
    resources: c.resources ?? {},
    probes: c.probes ?? {},
    ports: c.ports ?? [],
    volumeMounts: c.volumeMounts ?? [],
    securityContext: c.securityContext,
    ready: c.ready ?? false,
    restartCount: c.restartCount ?? 0,
    state: c.state ?? { kind: "running" },
    lastTerminated: c.lastTerminated,
  };
}

function condense(evidenceId: string, text: string): CondensedLog {
  const { redactions: _redactions, ...log } = condenseLog(text, { evidenceId });
  return log;
}

function logsOf(o: FixtureOptions, ns: string, pod: string, evidence: Evidence[]): InvestigationContext["logs"] {
  const logs: InvestigationContext["logs"] = {};
  for (const c of o.containers) {
    const entry: { current?: CondensedLog; previous?: CondensedLog } = {};
    for (const [key, text] of [["previous", c.previousLog], ["current", c.currentLog]] as const) {
      if (text === undefined) continue;
      const id = `logs/${ns}/${pod}/${c.name}/${key}`;
      entry[key] = condense(id, text);
      evidence.push({ id, source: "Logs", title: `${key} logs of ${c.name}`, text });
    }
    logs[c.name] = entry;
  }
  return logs;
}

function eventsOf(o: FixtureOptions, pod: string, evidence: Evidence[]): EventFacts[] {
  const events: EventFacts[] = (o.events ?? []).map((e, i) => ({
    evidenceId: `event/e${i}`,
    type: e.type ?? "Warning",
    reason: e.reason,
    message: e.message,
    count: e.count ?? 1,
    involved: e.involved ?? { kind: "Pod", name: pod },
    source: e.source,
    lastTimestamp: e.lastTimestamp,
  }));
  for (const e of events) evidence.push({ id: e.evidenceId, source: "Event", title: e.reason, text: `${e.reason}: ${e.message}` });
  return events;
}

function rolloutOf(o: FixtureOptions, workload: { kind: string; name: string }, evidence: Evidence[]): InvestigationContext["rollout"] {
  if (!o.rollout) return undefined;
  const rollout = { evidenceId: `rollout/${workload.name}/rev3-rev4`, workload, fromRevision: "3", toRevision: "4", changes: o.rollout };
  evidence.push({ id: rollout.evidenceId, source: "Rollout", title: "rollout diff", text: JSON.stringify(rollout.changes) });
  return rollout;
}

function nodeOf(o: FixtureOptions, evidence: Evidence[]): NodeFacts | undefined {
  if (!o.node) return undefined;
  const node: NodeFacts = { evidenceId: "node/node-1", name: "node-1", ready: true, conditions: [], taints: [], allocatable: {}, ...o.node };
  evidence.push({ id: node.evidenceId, source: "Node", title: node.name, text: JSON.stringify(node.conditions) });
  return node;
}

function relatedOf(o: FixtureOptions, ns: string, evidence: Evidence[]): InvestigationContext["related"] {
  const related = (o.related ?? []).map((r) => ({ ...r, namespace: ns, evidenceId: `${r.kind.toLowerCase()}/${ns}/${r.name}`, summary: r.summary ?? `${r.kind} ${r.name}` }));
  for (const r of related) evidence.push({ id: r.evidenceId, source: "Object", title: r.name, text: r.summary });
  return related;
}

function metricsOf(o: FixtureOptions, evidence: Evidence[]): MetricFacts[] {
  const metrics: MetricFacts[] = (o.metrics ?? []).map((m, i) => ({ evidenceId: `metrics/m${i}`, name: "memory_working_set_bytes", unit: "bytes", points: [], ...m }));
  for (const m of metrics) evidence.push({ id: m.evidenceId, source: "Metrics", title: m.name, text: JSON.stringify(m.points) });
  return metrics;
}

/** Builds a context; every piece gets an evidence item so rules can cite it. */
export function fixture(o: FixtureOptions): InvestigationContext {
  const ns = o.namespace ?? "shop";
  const pod = o.pod ?? "web-7d9f8b6c5d-x2x7q";
  const workload = o.workload ?? { kind: "Deployment", name: "web" };
  const evidence: Evidence[] = [
    { id: `pod/${ns}/${pod}/status`, source: "PodStatus", title: "pod status", text: "status" },
    { id: `pod/${ns}/${pod}/spec`, source: "PodSpec", title: "pod spec", text: "spec" },
  ];
  return {
    target: { namespace: ns, pod, workload },
    now: "2026-11-27T12:00:00Z",
    pod: { metadata: { name: pod, namespace: ns, labels: o.labels ?? { app: "web" } } },
    podPhase: o.podPhase ?? "Running",
    podReason: o.podReason,
    podMessage: o.podMessage,
    conditions: o.conditions ?? [],
    containers: o.containers.map(container),
    logs: logsOf(o, ns, pod, evidence),
    events: eventsOf(o, pod, evidence),
    owners: [{ kind: "ReplicaSet", name: `${workload.name}-7d9f8b6c5d` }, workload],
    rollout: rolloutOf(o, workload, evidence),
    node: nodeOf(o, evidence),
    related: relatedOf(o, ns, evidence),
    metrics: metricsOf(o, evidence),
    evidence,
    redactions: 0,
    notes: [],
  };
}

/** A container in CrashLoopBackOff whose last run ended with the given exit code and logs. */
export function crashing(name: string, exitCode: number, previousLog: string, extra: Partial<FixtureContainer> = {}): FixtureContainer {
  return {
    name,
    restartCount: 5,
    state: { kind: "waiting", reason: "CrashLoopBackOff", message: `back-off 2m40s restarting failed container=${name}` },
    lastTerminated: { reason: exitCode === 0 ? "Completed" : "Error", exitCode },
    previousLog,
    ...extra,
  };
}
