import type { V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";
import type { InvestigationRequest } from "../diagnosis/types.js";
import { collectEvents, type EventsCollection } from "./collect-events.js";
import { collectLogs, type LogsCollection } from "./collect-logs.js";
import { collectMetrics, metricsInputFor } from "./collect-metrics.js";
import { podFacts } from "./collect-pod.js";
import { ownerChain, type OwnerChain } from "./owners.js";
import { redact, redactValue } from "./redact.js";
import { relatedNeeds } from "./needs.js";
import { collectRelated, type RelatedCollection } from "./related.js";
import { rolloutDiff } from "./rollout.js";
import { matchesSelectorObject, type LabelSelectorObject } from "./selectors.js";
import type { ContainerFacts, InvestigationContext, OwnerRef } from "./types.js";
import type { ClusterView, EventQuery, ReadableKind } from "./view.js";

/**
 * Evidence collection for one failing target: the pod (spec, status, every
 * container), its logs, events of the pod and its owners, the owner chain and
 * rollout diff, node, storage, network policies, services, quotas, metrics and
 * the alert; the objects around the pod only when the logs and events point at
 * them (needs.ts). Everything is redacted here, before it exists anywhere else.
 * Missing optional pieces become notes; collection never throws for them.
 */

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet"]);

function emptyContext(req: InvestigationRequest, now: Date): InvestigationContext {
  return {
    target: { namespace: req.target.namespace, ...(req.target.container ? { container: req.target.container } : {}) },
    now: now.toISOString(),
    conditions: [],
    containers: [],
    logs: {},
    events: [],
    owners: [],
    related: [],
    metrics: [],
    evidence: [],
    redactions: 0,
    notes: [],
  };
}

function podScore(p: KubeObject): number {
  const statuses = ((p as V1Pod).status?.containerStatuses ?? []) as { ready?: boolean; restartCount?: number; state?: { waiting?: unknown; terminated?: unknown } }[];
  const bad = statuses.filter((s) => !s.ready || s.state?.waiting || s.state?.terminated).length;
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  const pending = (p as V1Pod).status?.phase === "Pending" || (p as V1Pod).status?.phase === "Failed" ? 1 : 0;
  return bad * 1000 + pending * 500 + restarts;
}

/** The pod to look at: the one named, or the least healthy pod selected by the target workload. */
async function resolvePod(view: ClusterView, req: InvestigationRequest, ctx: InvestigationContext): Promise<string | undefined> {
  if (req.pod) return req.pod;
  if (req.target.kind === "Pod") return req.target.name;
  if (!WORKLOAD_KINDS.has(req.target.kind)) return undefined;
  const ns = req.target.namespace;
  try {
    const workload = await view.get(req.target.kind as ReadableKind, ns, req.target.name);
    const selector = (workload as { spec?: { selector?: LabelSelectorObject; jobTemplate?: unknown } } | undefined)?.spec?.selector;
    const pods = await view.list("Pod", ns);
    const mine = selector ? pods.filter((p) => matchesSelectorObject((p.metadata as { labels?: Record<string, string> }).labels, selector)) : [];
    return [...mine].sort((a, b) => podScore(b) - podScore(a))[0]?.metadata.name;
  } catch (err) {
    ctx.notes.push(`could not find a pod of ${req.target.kind} ${ns}/${req.target.name}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The container that is failing: the one asked about, else the first waiting/terminated/restarting one. */
export function focusContainer(containers: ContainerFacts[], asked?: string): string | undefined {
  if (asked && containers.some((c) => c.name === asked)) return asked;
  const failing = (c: ContainerFacts): boolean =>
    (c.state.kind === "waiting" && c.state.reason !== "PodInitializing" && c.state.reason !== "ContainerCreating") ||
    (c.state.kind === "terminated" && c.state.exitCode !== 0) ||
    c.restartCount > 0;
  return containers.find(failing)?.name ?? containers.find((c) => !c.ready && !c.init)?.name;
}

function workloadOf(chain: OwnerChain, req: InvestigationRequest): OwnerRef | undefined {
  const top = chain.owners.filter((o) => o.kind !== "ReplicaSet" || chain.owners.length === 1).at(-1);
  if (top) return top;
  return req.target.kind !== "Pod" && WORKLOAD_KINDS.has(req.target.kind) ? { kind: req.target.kind, name: req.target.name } : undefined;
}

async function getPod(view: ClusterView, ns: string, name: string, ctx: InvestigationContext): Promise<V1Pod | undefined> {
  try {
    const pod = (await view.get("Pod", ns, name)) as V1Pod | undefined;
    if (!pod) ctx.notes.push(`pod ${ns}/${name} no longer exists`);
    return pod;
  } catch (err) {
    ctx.notes.push(`could not read pod ${ns}/${name}: ${(err as Error).message}`);
    return undefined;
  }
}

function fillPod(ctx: InvestigationContext, pod: V1Pod, focus: string | undefined): ContainerFacts[] {
  const facts = podFacts(pod);
  ctx.pod = facts.pod;
  ctx.containers = facts.containers;
  ctx.evidence.push(...facts.evidence);
  ctx.redactions += facts.redactions;
  const st = facts.pod.status ?? {};
  if (st.phase) ctx.podPhase = st.phase;
  if (st.reason) ctx.podReason = st.reason;
  if (st.message) ctx.podMessage = st.message;
  ctx.conditions = (st.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  const container = focusContainer(facts.containers, focus);
  if (container) ctx.target.container = container;
  return facts.containers;
}

async function addRollout(view: ClusterView, ctx: InvestigationContext, chain: OwnerChain): Promise<void> {
  const workload = ctx.target.workload;
  if (!workload || !["Deployment", "StatefulSet", "DaemonSet"].includes(workload.kind)) return;
  const object = chain.objects.find((o) => o.kind === workload.kind && o.metadata.name === workload.name) ?? (await view.get(workload.kind as ReadableKind, ctx.target.namespace, workload.name).catch(() => undefined));
  if (!object) return;
  try {
    const r = await rolloutDiff(view, ctx.target.namespace, workload, object);
    if (!r) return;
    ctx.rollout = r.diff;
    ctx.evidence.push(r.evidence);
  } catch (err) {
    ctx.notes.push(`could not compute the rollout diff of ${workload.kind} ${ctx.target.namespace}/${workload.name}: ${(err as Error).message}`);
  }
}

async function addMetrics(view: ClusterView, ctx: InvestigationContext, req: InvestigationRequest, now: Date): Promise<void> {
  if (!view.metrics) return;
  const alert = req.alert ? { name: req.alert.name, generatorURL: req.alert.generatorURL, startsAt: req.alert.startsAt } : undefined;
  try {
    const m = await collectMetrics(view.metrics, metricsInputFor(ctx, alert, now));
    ctx.metrics.push(...m.metrics);
    ctx.evidence.push(...m.evidence);
    ctx.notes.push(...m.notes);
  } catch (err) {
    ctx.notes.push(`metrics not collected: ${(err as Error).message}`);
  }
}

function addAlert(ctx: InvestigationContext, req: InvestigationRequest): void {
  if (!req.alert) return;
  const r = redactValue(req.alert);
  ctx.redactions += r.count;
  const a = r.value;
  const evidenceId = `alert/${a.name}`;
  ctx.alert = { name: a.name, summary: a.summary, description: a.description, labels: a.labels, evidenceId };
  const labels = Object.entries(a.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(", ");
  const text = [`alert ${a.name}${a.startsAt ? ` since ${a.startsAt}` : ""}`, a.summary, a.description, labels && `labels: ${labels}`].filter(Boolean).join("\n");
  ctx.evidence.push({ id: evidenceId, source: "Alert", title: `alert ${a.name}`, text });
}

function eventQueries(ns: string, pod: V1Pod | undefined, chain: OwnerChain, req: InvestigationRequest): EventQuery[] {
  const out: EventQuery[] = [];
  if (pod?.metadata?.name) out.push({ namespace: ns, kind: "Pod", name: pod.metadata.name, ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}) });
  for (const o of chain.owners) out.push({ namespace: ns, kind: o.kind, name: o.name, ...(o.uid ? { uid: o.uid } : {}) });
  if (!pod && req.target.kind !== "Pod") out.push({ namespace: ns, kind: req.target.kind, name: req.target.name });
  return out;
}

const CHILD_KIND: Record<string, ReadableKind> = { Deployment: "ReplicaSet", CronJob: "Job" };

/** With no pod to start from, the workload's ReplicaSets/Jobs: where a controller reports pods it could not create. */
async function childQueries(view: ClusterView, ns: string, req: InvestigationRequest, ctx: InvestigationContext): Promise<EventQuery[]> {
  const child = CHILD_KIND[req.target.kind];
  if (!child) return [];
  try {
    const owned = (await view.list(child, ns)).filter((o) => ((o.metadata as { ownerReferences?: { kind: string; name: string }[] }).ownerReferences ?? []).some((r) => r.kind === req.target.kind && r.name === req.target.name));
    return owned.map((o) => ({ namespace: ns, kind: child, name: o.metadata.name, ...((o.metadata as { uid?: string }).uid ? { uid: (o.metadata as { uid?: string }).uid } : {}) }));
  } catch (err) {
    ctx.notes.push(`could not list the ${child}s of ${req.target.kind} ${ns}/${req.target.name}: ${(err as Error).message}`);
    return [];
  }
}

const NO_CHAIN: OwnerChain = { owners: [], objects: [], notes: [] };

interface PodWork {
  chainP: Promise<OwnerChain>;
  logsP?: Promise<LogsCollection>;
  containers: ContainerFacts[];
}

/** Fills in the pod's own facts and starts the requests that depend only on it. */
function startPodWork(view: ClusterView, ctx: InvestigationContext, pod: V1Pod | undefined, req: InvestigationRequest): PodWork {
  if (!pod || !ctx.target.pod) return { chainP: Promise.resolve(NO_CHAIN), containers: [] };
  const ns = ctx.target.namespace;
  const containers = fillPod(ctx, pod, req.target.container);
  return {
    chainP: ownerChain(view, ns, pod),
    logsP: collectLogs(view, { namespace: ns, pod: ctx.target.pod, containers, focus: ctx.target.container }),
    containers,
  };
}

/** The objects around the pod, read once the logs and events tell which of them matter. */
async function related(view: ClusterView, ns: string, pod: V1Pod | undefined, parts: { containers: ContainerFacts[]; logs?: LogsCollection; events: EventsCollection }): Promise<RelatedCollection | undefined> {
  if (!pod) return undefined;
  const needs = relatedNeeds({ pod, containers: parts.containers, logs: parts.logs?.logs ?? {}, events: parts.events.events });
  return collectRelated(view, ns, pod, needs);
}

function merge(ctx: InvestigationContext, parts: ({ evidence: InvestigationContext["evidence"]; redactions: number; notes: string[] } | undefined)[]): void {
  for (const part of parts) {
    if (!part) continue;
    ctx.evidence.push(...part.evidence);
    ctx.redactions += part.redactions;
    ctx.notes.push(...part.notes);
  }
}

/** Collects the evidence about one failing target; see the module comment. */
export async function collect(view: ClusterView, req: InvestigationRequest): Promise<InvestigationContext> {
  const now = view.now();
  const ctx = emptyContext(req, now);
  const ns = req.target.namespace;
  const podName = await resolvePod(view, req, ctx);
  const pod = podName ? await getPod(view, ns, podName, ctx) : undefined;
  if (podName) ctx.target.pod = podName;
  const work = startPodWork(view, ctx, pod, req);
  const chain = await work.chainP;
  ctx.owners = chain.owners;
  ctx.notes.push(...chain.notes);
  const workload = workloadOf(chain, req);
  if (workload) ctx.target.workload = workload;
  const children = pod ? [] : await childQueries(view, ns, req, ctx);
  const rolloutP = addRollout(view, ctx, chain);
  const [logs, events] = await Promise.all([work.logsP, collectEvents(view, [...eventQueries(ns, pod, chain, req), ...children])]);
  const around = await related(view, ns, pod, { containers: work.containers, ...(logs ? { logs } : {}), events });
  await rolloutP;
  merge(ctx, [logs, around, events]);
  if (logs) ctx.logs = logs.logs;
  if (around) ctx.related = around.related;
  if (around?.node) ctx.node = around.node;
  ctx.events = events.events;
  addAlert(ctx, req);
  await addMetrics(view, ctx, req, now);
  ctx.notes = ctx.notes.map((n) => redact(n).text);
  return ctx;
}
