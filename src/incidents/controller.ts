// The incident controller: informer handlers enqueue keys; four queues reconcile
// them — pods (detect and correlate, cache only), workloads (ReplicaSets and Jobs
// that cannot create pods), incidents (write, resolve) and investigations (bounded
// by queue.concurrency). Workers run only while this
// replica leads; informers stay warm either way.
import type { V1Pod } from "@kubernetes/client-node";
import type { ProductionIncident } from "../api/incident.js";
import { detectPodFailure } from "../triggers/detect.js";
import { InvestigationBudget } from "./budget.js";
import type { ControllerDeps } from "./context.js";
import { correlate, Correlator, incidentKey, parseKey, podKey } from "./correlate.js";
import { InvestigationRunner } from "./investigate.js";
import { WorkQueue, type ProcessResult } from "./queue.js";
import { IncidentSync } from "./sync.js";
import { realTimers, type Timers } from "./timers.js";
import { ownerKey, WorkloadReconciler } from "./workloads.js";
import { IncidentWriter } from "./writer.js";
import type { PodOwnerObject } from "../triggers/detect-workload.js";

const INVESTIGATION_RETRIES = 3;
/** Observations of an existing incident are written at most this often. */
const COALESCE_MS = 250;
/** A status transition this much older than the informer's sighting is taken as the start of the failure. */
const STATUS_TIME_SLACK_MS = 1000;

interface Term {
  pods: WorkQueue;
  workloads: WorkQueue;
  workloadReconciler: WorkloadReconciler;
  incidents: WorkQueue;
  investigations: WorkQueue;
  correlator: Correlator;
  writer: IncidentWriter;
  runner: InvestigationRunner;
  sync: IncidentSync;
  lastFailing: Map<string, number>;
  podIncident: Map<string, string>;
  sweep: unknown;
}

export interface StopOptions {
  /** In-flight work still running after this is aborted and handed back. */
  timeoutMs: number;
}

export class IncidentController {
  private readonly timers: Timers;
  private readonly budget: InvestigationBudget;
  private readonly seenAt = new Map<string, number>();
  private term: Term | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.budget = new InvestigationBudget(deps.config.queue.investigationsPerHour, this.timers);
  }

  // ── informer handlers: enqueue only ──────────────────────────────────────

  podChanged(pod: V1Pod): void {
    const { namespace = "default", name = "" } = pod.metadata ?? {};
    const key = podKey(namespace, name);
    if (!this.seenAt.has(key)) this.seenAt.set(key, this.timers.now());
    this.term?.pods.add(key);
  }

  podDeleted(pod: V1Pod): void {
    this.podChanged(pod);
  }

  /** A ReplicaSet or Job (slimmed, kind set) was added, changed or deleted. */
  workloadChanged(obj: PodOwnerObject): void {
    this.term?.workloads.add(ownerKey(obj));
  }

  incidentChanged(incident: ProductionIncident): void {
    this.term?.incidents.add(incidentKey({ namespace: incident.metadata.namespace ?? "default", name: incident.metadata.name ?? "" }));
  }

  incidentDeleted(incident: ProductionIncident): void {
    const ref = { namespace: incident.metadata.namespace ?? "default", name: incident.metadata.name ?? "" };
    const key = incidentKey(ref);
    this.term?.writer.forget(ref.namespace, ref.name);
    this.term?.correlator.forget(key);
    this.term?.lastFailing.delete(key);
    this.term?.workloadReconciler.forget(key);
  }

  // ── leadership ───────────────────────────────────────────────────────────

  isRunning(): boolean {
    return this.term !== undefined;
  }

  /** Starts the workers (on becoming leader) and reconciles everything in the caches. */
  start(): void {
    if (this.term) return;
    const term = this.newTerm();
    this.term = term;
    for (const pod of this.deps.pods.list()) this.podChanged(pod);
    for (const obj of [...(this.deps.replicaSets?.list() ?? []), ...(this.deps.jobs?.list() ?? [])]) this.workloadChanged(obj);
    for (const incident of this.deps.incidents.list()) this.incidentChanged(incident);
    this.scheduleSweep(term);
  }

  /** Stops taking work; in-flight work gets timeoutMs, then is aborted and left for the next leader. */
  async stop(opts: StopOptions): Promise<void> {
    const term = this.term;
    if (!term) return;
    this.term = undefined;
    this.timers.clearTimeout(term.sweep);
    await Promise.all([
      term.pods.shutdown({ drain: false, timeoutMs: opts.timeoutMs }),
      term.workloads.shutdown({ drain: false, timeoutMs: opts.timeoutMs }),
      term.incidents.shutdown({ drain: false, timeoutMs: opts.timeoutMs }),
      term.investigations.shutdown({ drain: false, timeoutMs: opts.timeoutMs }),
    ]);
  }

  /** Queue depths, for tests and the demo. */
  depths(): { pods: number; incidents: number; investigations: number } {
    const t = this.term;
    return { pods: t?.pods.depth() ?? 0, incidents: t?.incidents.depth() ?? 0, investigations: (t?.investigations.depth() ?? 0) + (t?.investigations.active() ?? 0) };
  }

  /** Resolves when every queue is idle (tests). */
  async idle(): Promise<void> {
    const t = this.term;
    if (!t) return;
    await Promise.all([t.pods.idle(), t.workloads.idle(), t.incidents.idle(), t.investigations.idle()]);
  }

  // ── term ─────────────────────────────────────────────────────────────────

  private newTerm(): Term {
    const { config, logger, metrics } = this.deps;
    const timers = this.timers;
    const writer = new IncidentWriter(this.deps.api, this.deps.incidents);
    const correlator = new Correlator();
    const lastFailing = new Map<string, number>();
    const opened = new Set<string>();
    const runner = new InvestigationRunner(this.deps, { writer, budget: this.budget, timers, opened, retrying: new Set() });
    const hooks = (name: string): Pick<ConstructorParameters<typeof WorkQueue>[0], "onProcessed" | "onDepth" | "onError"> => ({
      onProcessed: (_key, result, ms) => metrics?.recordReconcile(name, result, ms / 1000),
      onDepth: (depth) => metrics?.queueDepth.set({ queue: name }, depth),
      onError: ({ key, error, attempt, retryInMs }) => {
        logger.warn({ err: error, key, attempt, retryInMs }, `${name} reconcile failed${retryInMs === undefined ? "; giving up" : "; retrying"}`);
        if (name === "investigations" && retryInMs === undefined) runner.gaveUp(key);
      },
    });
    const investigations = new WorkQueue({
      name: "investigations", concurrency: config.queue.concurrency, timers, baseDelayMs: 2000, maxDelayMs: 120_000, maxRetries: INVESTIGATION_RETRIES,
      rateLimit: { perSecond: 10, burst: 50 },
      process: (key, signal) => runner.run(key, parseKey(key), signal), ...hooks("investigations"),
    });
    const sync = new IncidentSync(this.deps, {
      correlator, writer, timers, lastFailing, opened,
      investigate: (key, incident) => {
        if (runner.eligible(key, incident) && !investigations.has(key)) investigations.add(key);
      },
    });
    const incidents = new WorkQueue({
      name: "incidents", concurrency: 4, timers, baseDelayMs: 200, maxDelayMs: 60_000,
      process: (key) => sync.reconcile(key, parseKey(key)), ...hooks("incidents"),
    });
    const pods = new WorkQueue({ name: "pods", concurrency: 1, timers, baseDelayMs: 200, process: async (key) => this.reconcilePod(key), ...hooks("pods") });
    const workloadReconciler = new WorkloadReconciler(this.deps, {
      correlator, timers, lastFailing,
      record: (iKey, exists) => (exists ? incidents.addAfter(iKey, COALESCE_MS) : incidents.add(iKey)),
    });
    const workloads = new WorkQueue({ name: "workloads", concurrency: 2, timers, baseDelayMs: 500, maxDelayMs: 60_000, process: (key) => workloadReconciler.reconcile(key), ...hooks("workloads") });
    return { pods, workloads, workloadReconciler, incidents, investigations, correlator, writer, runner, sync, lastFailing, podIncident: new Map(), sweep: undefined };
  }

  /** A safety net beside the requeues: every incident is looked at again periodically. */
  private scheduleSweep(term: Term): void {
    const every = Math.max(30_000, Math.min(300_000, this.deps.config.resolution.healthySeconds * 1000));
    term.sweep = this.timers.setTimeout(() => {
      if (this.term !== term) return;
      for (const incident of this.deps.incidents.list()) this.incidentChanged(incident);
      this.scheduleSweep(term);
    }, every);
  }

  // ── pods ─────────────────────────────────────────────────────────────────

  private reconcilePod(key: string): ProcessResult | void {
    const term = this.term;
    if (!term) return;
    const { namespace, name } = parseKey(key);
    const pod = this.deps.pods.get(namespace, name);
    const now = this.timers.now();
    const failure = pod ? detectPodFailure(pod, new Date(now), this.deps.config.detection) : undefined;
    const seen = this.seenAt.get(key) ?? now;
    this.seenAt.delete(key);
    if (!pod || !failure) return this.podHealthy(term, key, pod);
    const { ref, seed } = correlate(pod, failure, this.deps.incidents);
    const iKey = incidentKey(ref);
    term.podIncident.set(key, iKey);
    term.lastFailing.set(iKey, now);
    const restartCount = pod.status?.containerStatuses?.find((c) => c.name === failure.container)?.restartCount;
    const observation = { pod: name, reason: failure.reason, ...(restartCount !== undefined ? { restartCount } : {}), seenAt: new Date(now).toISOString() };
    if (!term.correlator.observe(iKey, seed, observation, failureSince(pod, seen))) return;
    // A new incident is written at once (detection latency); more pods of an existing one are batched.
    if (term.writer.current(ref.namespace, ref.name)) term.incidents.addAfter(iKey, COALESCE_MS);
    else term.incidents.add(iKey);
  }

  private podHealthy(term: Term, key: string, pod: V1Pod | undefined): ProcessResult | void {
    const iKey = term.podIncident.get(key);
    if (iKey) {
      term.podIncident.delete(key);
      term.correlator.podHealthy(parseKey(key).name);
      term.incidents.add(iKey);
    }
    if (!pod) this.seenAt.delete(key);
    return unschedulableRecheck(pod, this.timers.now(), this.deps.config.detection.unschedulableGraceSeconds);
  }
}

/** When the failure began: the informer's sighting, or the status transition if that is clearly earlier (e.g. after a watch outage). */
function failureSince(pod: V1Pod, seen: number): number {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  const t = ready?.lastTransitionTime ? new Date(ready.lastTransitionTime).getTime() : Number.NaN;
  return Number.isFinite(t) && t < seen - STATUS_TIME_SLACK_MS ? t : seen;
}

/** An Unschedulable pod still within its grace period is looked at again when the grace ends. */
function unschedulableRecheck(pod: V1Pod | undefined, now: number, graceSeconds: number): ProcessResult | void {
  const cond = pod?.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (cond?.status !== "False" || cond.reason !== "Unschedulable" || !cond.lastTransitionTime) return;
  const left = new Date(cond.lastTransitionTime).getTime() + graceSeconds * 1000 - now;
  return left > 0 ? { requeueAfterMs: left + 100 } : undefined;
}
