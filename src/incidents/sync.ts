// The incident reconciler: writes what the correlator gathered (create, record
// pods, reopen), hands Detected incidents to the investigation queue, resolves
// incidents whose workload is healthy and deletes old Resolved ones.
import type { IncidentStatus, ProductionIncident } from "../api/incident.js";
import * as reasons from "../kube/event-reasons.js";
import { eventTarget, incidentRef, type ControllerDeps } from "./context.js";
import type { Correlator, IncidentRef, Pending, Seed } from "./correlate.js";
import { detected, newIncident, recordPods, reopened, resolved } from "./lifecycle.js";
import type { ObjectRef } from "./ports.js";
import type { ProcessResult } from "./queue.js";
import { alertFiring, failingNow, resolutionStep } from "./resolver.js";
import type { Timers } from "./timers.js";
import { createFailingNow } from "./workload-health.js";
import type { IncidentWriter } from "./writer.js";

/** A pod already recorded is written again only when the incident's lastSeen is older than this. */
const REFRESH_MS = 60_000;

export interface SyncState {
  correlator: Correlator;
  writer: IncidentWriter;
  timers: Timers;
  /** incident key → last time a pod was seen failing with its fingerprint */
  lastFailing: Map<string, number>;
  /** incident keys opened or reopened in this term, not yet counted in incidents_opened_total */
  opened: Set<string>;
  /** Queue the incident for investigation unless it is queued or running. */
  investigate(key: string, incident: ProductionIncident): void;
}

export class IncidentSync {
  constructor(
    private readonly deps: ControllerDeps,
    private readonly s: SyncState,
  ) {}

  async reconcile(key: string, ref: IncidentRef): Promise<ProcessResult | void> {
    const pending = this.s.correlator.take(key);
    let incident: ProductionIncident | undefined;
    try {
      incident = await this.apply(key, ref, pending);
    } catch (err) {
      if (pending) this.s.correlator.restore(key, pending);
      throw err;
    }
    if (!incident) return;
    this.s.investigate(key, incident);
    return this.resolve(key, incident);
  }

  private async apply(key: string, ref: IncidentRef, pending: Pending | undefined): Promise<ProductionIncident | undefined> {
    const current = this.s.writer.current(ref.namespace, ref.name);
    if (!pending) return current ?? (await this.s.writer.read(ref.namespace, ref.name));
    if (!current) return this.open(key, pending);
    return this.worthWriting(current, pending) ? this.record(key, ref, pending) : current;
  }

  /** A new pod, a reopening, or a refresh of lastSeen once it is old: the rest is not worth a write. */
  private worthWriting(current: ProductionIncident, pending: Pending): boolean {
    if (pending.news || current.status?.phase === "Resolved") return true;
    const lastSeen = Date.parse(current.status?.lastSeen ?? "") || 0;
    return this.now() - lastSeen >= REFRESH_MS;
  }

  private async open(key: string, pending: Pending): Promise<ProductionIncident | undefined> {
    const { incident: made, created } = await this.s.writer.create(newIncident(pending.seed));
    const { namespace = "default", name = "" } = made.metadata;
    if (!created || made.status?.phase) return this.record(key, { namespace, name }, pending);
    const max = this.deps.config.queue.maxAffectedPods;
    const counted = this.s.correlator.countedFor(key);
    const written = await this.s.writer.updateStatus(namespace, name, (cur) =>
      cur.status?.phase ? this.merged(cur, pending, counted) : detected(pending.observations, this.date(), max, cur.metadata.generation),
    );
    if (!written) return undefined;
    this.committed(key, pending);
    this.deps.metrics?.detectionLatency.observe(Math.max(0, this.now() - pending.since) / 1000);
    this.s.opened.add(key);
    const subject = subjectOf(pending.seed, namespace);
    this.deps.logger.info({ incident: `${namespace}/${name}`, ...subjectField(subject), reason: pending.seed.failure.reason }, "incident opened");
    await this.deps.events.record(
      subject, "Warning", reasons.IncidentOpened,
      `ProductionIncident ${name} opened: ${pending.seed.failure.reason}${pending.seed.failure.container ? ` in container ${pending.seed.failure.container}` : ""}`,
      incidentRef(written),
    );
    this.deps.onEvent?.({ type: "opened", namespace, incident: name, target: written.spec.target, reason: pending.seed.failure.reason, pod: podName(pending.seed) });
    return written;
  }

  /** Records pods on an existing incident, reopening it when it was Resolved. */
  private async record(key: string, ref: IncidentRef, pending: Pending): Promise<ProductionIncident | undefined> {
    const counted = this.s.correlator.countedFor(key);
    let reopenedNow = false;
    const written = await this.s.writer.updateStatus(ref.namespace, ref.name, (cur) => {
      reopenedNow = cur.status?.phase === "Resolved";
      return this.merged(cur, pending, counted);
    });
    if (!written) return undefined;
    this.committed(key, pending);
    if (reopenedNow) await this.reopenedEvents(key, written, pending);
    return written;
  }

  private merged(cur: ProductionIncident, pending: Pending, counted: ReadonlySet<string>): IncidentStatus {
    const max = this.deps.config.queue.maxAffectedPods;
    const status = cur.status ?? {};
    const base = status.phase === "Resolved" ? reopened(status, pending.observations, this.date(), cur.metadata.generation) : status;
    const recorded = recordPods(base, pending.observations, counted, max);
    // A workload failing without pods has no pod to date it: it was seen now.
    return pending.observations.length === 0 ? { ...recorded, lastSeen: this.date().toISOString() } : recorded;
  }

  private committed(key: string, pending: Pending): void {
    const counted = this.s.correlator.countedFor(key);
    for (const o of pending.observations) counted.add(o.pod);
  }

  private async reopenedEvents(key: string, incident: ProductionIncident, pending: Pending): Promise<void> {
    const { namespace = "default", name = "" } = incident.metadata;
    const recurrences = incident.status?.recurrences ?? 0;
    this.s.opened.add(key);
    this.deps.metrics?.incidentsReopened.inc();
    this.deps.metrics?.detectionLatency.observe(Math.max(0, this.now() - pending.since) / 1000);
    this.deps.logger.info({ incident: `${namespace}/${name}`, recurrences }, "incident reopened: the same failure is back");
    await this.deps.events.record(
      subjectOf(pending.seed, namespace), "Warning", reasons.Reopened,
      `ProductionIncident ${name} reopened (recurrence ${recurrences}): ${pending.seed.failure.reason}`,
      incidentRef(incident),
    );
    this.deps.onEvent?.({ type: "reopened", namespace, incident: name, target: incident.spec.target, reason: pending.seed.failure.reason, pod: podName(pending.seed), recurrences });
  }

  private async resolve(key: string, incident: ProductionIncident): Promise<ProcessResult | void> {
    const { resolution, detection } = this.deps.config;
    const failing = failingNow(incident, this.deps.pods, this.date(), detection) || createFailingNow(incident, this.deps);
    if (failing) this.s.lastFailing.set(key, this.now());
    const step = resolutionStep(incident, {
      now: this.now(),
      lastFailing: this.s.lastFailing.get(key),
      failingNow: failing,
      healthyMs: resolution.healthySeconds * 1000,
      retentionMs: resolution.retentionHours * 3_600_000,
    });
    if (step.kind === "wait") return { requeueAfterMs: step.ms };
    if (step.kind === "resolve") return this.markResolved(incident);
    if (step.kind === "delete") await this.remove(key, incident);
  }

  private async markResolved(incident: ProductionIncident): Promise<ProcessResult | void> {
    const healthy = this.deps.config.resolution.healthySeconds;
    const ready = await this.deps.workloadReady?.(incident.spec.target);
    if (ready === false) return { requeueAfterMs: Math.max(1000, Math.min(10_000, healthy * 1000)) };
    const { namespace = "default", name = "" } = incident.metadata;
    const written = await this.s.writer.updateStatus(namespace, name, (cur) => {
      const phase = cur.status?.phase;
      const settled = (phase === "Diagnosed" || phase === "Failed") && !alertFiring(cur);
      return settled ? resolved(cur.status ?? {}, healthy, this.date(), cur.metadata.generation) : undefined;
    });
    if (written?.status?.phase !== "Resolved") return;
    await this.announceResolved(written);
    const retention = this.deps.config.resolution.retentionHours * 3_600_000;
    return retention > 0 ? { requeueAfterMs: Math.min(retention, 3_600_000) } : undefined;
  }

  private async announceResolved(written: ProductionIncident): Promise<void> {
    const { namespace = "default", name = "" } = written.metadata;
    const healthy = this.deps.config.resolution.healthySeconds;
    const category = written.status?.diagnosis?.category ?? "Unknown";
    this.deps.metrics?.incidentsResolved.inc({ category });
    this.deps.logger.info({ incident: `${namespace}/${name}`, category }, "incident resolved: the workload is healthy again");
    await this.deps.events.record(eventTarget(written, this.deps.pods), "Normal", reasons.Resolved, `ProductionIncident ${name} resolved: no failure for ${healthy}s`, incidentRef(written));
    this.deps.onEvent?.({ type: "resolved", namespace, incident: name, target: written.spec.target });
  }

  private async remove(key: string, incident: ProductionIncident): Promise<void> {
    const { namespace = "default", name = "" } = incident.metadata;
    await this.s.writer.delete(namespace, name);
    this.s.correlator.forget(key);
    this.s.lastFailing.delete(key);
    this.deps.logger.info({ incident: `${namespace}/${name}` }, "resolved incident deleted after the retention period");
    this.deps.onEvent?.({ type: "deleted", namespace, incident: name, target: incident.spec.target });
  }

  private now(): number {
    return this.s.timers.now();
  }

  private date(): Date {
    return new Date(this.s.timers.now());
  }
}

/** What an incident's opening and reopening Events go to: the failing pod, else the ReplicaSet/Job that cannot create pods. */
function subjectOf(seed: Seed, namespace: string): ObjectRef {
  if (seed.regarding) return seed.regarding;
  const pod = seed.pod ?? { name: seed.workload.name };
  return { apiVersion: "v1", kind: "Pod", namespace, name: pod.name, ...(pod.uid ? { uid: pod.uid } : {}) };
}

/** The failing pod's name, or "" for a workload that cannot create pods. */
function podName(seed: Seed): string {
  return seed.pod?.name ?? "";
}

/** The log field naming what failed: pod=<ns>/<name>, or object=<Kind> <ns>/<name>. */
function subjectField(subject: ObjectRef): { pod: string } | { object: string } {
  const ref = `${subject.namespace ?? "default"}/${subject.name}`;
  return subject.kind === "Pod" ? { pod: ref } : { object: `${subject.kind} ${ref}` };
}
