// The ProductionAlert controller. Informer handlers only enqueue keys; the
// reconciler resolves the alert's target and either records the alert on the open
// incident of the same workload (the alert becomes Correlated) or opens an incident
// with trigger.source Alert and, when it has an investigator, investigates it with
// the alert in the request. A resolved alert is recorded on its incident and never
// resolves it by itself; a deleted alert no longer fires, so its records are ended.
import type { V1Pod } from "@kubernetes/client-node";
import type { Target } from "../api/common.js";
import type { AlertPhase, ProductionAlert } from "../api/alert.js";
import type { ProductionIncident } from "../api/incident.js";
import type { ClusterView } from "../context/view.js";
import type { Investigator } from "../diagnosis/types.js";
import { workloadOf } from "../incidents/fingerprint.js";
import { detected, diagnosed, failed, investigating, isOpen, reopened } from "../incidents/lifecycle.js";
import type { Cache, IncidentApi } from "../incidents/ports.js";
import { WorkQueue, type ProcessResult } from "../incidents/queue.js";
import { realTimers, type Timers } from "../incidents/timers.js";
import { IncidentWriter } from "../incidents/writer.js";
import { isNotFound } from "../kube/errors.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import {
  alertFingerprint, alertPhaseFor, alertRecord, endAlertRecord, isAlertResolved, msUntilEnds, newAlertIncident, nextAlertStatus, openedBy, recordAlert, requestAlert,
} from "./alert-incident.js";
import { resolveAlertTarget, targetKey, type ResolvedTarget } from "./alert-target.js";

/** Status writes of ProductionAlerts (CustomObjectStore<ProductionAlert> implements it). */
export interface AlertStatusApi {
  updateStatus(ns: string, name: string, mutate: (current: ProductionAlert) => ProductionAlert | undefined): Promise<ProductionAlert | undefined>;
}

export interface AlertControllerDeps {
  /** ProductionAlerts of the watched namespaces (an informer cache). */
  alerts: Cache<ProductionAlert>;
  alertStatus: AlertStatusApi;
  /** ProductionIncidents (an informer cache): open incidents are looked up here. */
  incidents: Cache<ProductionIncident>;
  incidentApi: IncidentApi;
  /** Pods (an informer cache), to map an alert about a pod to its workload; the view is asked when absent. */
  pods?: Cache<V1Pod>;
  /** A view of the live cluster (pod lookups, investigations). */
  view?: () => ClusterView;
  /**
   * With an investigator, incidents opened for alerts are investigated here.
   * Without one, they are left Detected for the incident controller, and the
   * alert's phase follows the incident (call incidentChanged from its informer).
   */
  investigator?: Investigator;
  logger: Logger;
  metrics?: Metrics;
  timers?: Timers;
  /** Alerts reconciled at once; default 2. */
  concurrency?: number;
  /** Longest investigation; default 150 s. */
  investigationTimeoutMs?: number;
}

const MAX_REQUEUE_MS = 3_600_000;
export const alertKey = (namespace: string, name: string): string => `alert/${namespace}/${name}`;

export class AlertController {
  private readonly timers: Timers;
  private readonly writer: IncidentWriter;
  private readonly locks = new Map<string, Promise<unknown>>();
  private queue: WorkQueue | undefined;

  constructor(private readonly deps: AlertControllerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.writer = new IncidentWriter(deps.incidentApi, deps.incidents);
  }

  // ── informer handlers: enqueue only ──────────────────────────────────────

  alertChanged(alert: ProductionAlert): void {
    this.queue?.add(alertKey(alert.metadata.namespace ?? "default", alert.metadata.name ?? ""));
  }

  /** A deleted alert: the reconciler finds it gone from the cache and ends its firing records. */
  alertDeleted(alert: ProductionAlert): void {
    this.alertChanged(alert);
  }

  /** Alerts referenced by an incident are looked at again (their phase follows it). */
  incidentChanged(incident: ProductionIncident): void {
    const ref = incident.spec.trigger.alertRef;
    if (ref) this.queue?.add(alertKey(ref.namespace, ref.name));
    for (const a of incident.status?.alerts ?? []) {
      const [namespace, name] = a.name.split("/");
      if (namespace && name) this.queue?.add(alertKey(namespace, name));
    }
  }

  /** The alert that opened an incident, in the form of InvestigationRequest.alert (for the incident controller). */
  alertFor(incident: ProductionIncident): ReturnType<typeof requestAlert> | undefined {
    const ref = incident.spec.trigger.source === "Alert" ? incident.spec.trigger.alertRef : undefined;
    const alert = ref ? this.deps.alerts.get(ref.namespace, ref.name) : undefined;
    return alert ? requestAlert(alert) : undefined;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  /** Starts the workers and reconciles every alert in the cache. */
  start(): void {
    if (this.queue) return;
    const { logger, metrics } = this.deps;
    this.queue = new WorkQueue({
      name: "alerts",
      concurrency: this.deps.concurrency ?? 2,
      timers: this.timers,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      process: (key, signal) => this.reconcile(key, signal),
      onProcessed: (_key, result, ms) => metrics?.recordReconcile("alerts", result, ms / 1000),
      onDepth: (depth) => metrics?.queueDepth.set({ queue: "alerts" }, depth),
      onError: ({ key, error, attempt, retryInMs }) => logger.warn({ err: error, key, attempt, retryInMs }, "alert reconcile failed"),
    });
    for (const alert of this.deps.alerts.list()) this.alertChanged(alert);
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    const queue = this.queue;
    this.queue = undefined;
    await queue?.shutdown({ drain: false, timeoutMs: opts.timeoutMs ?? 10_000 });
  }

  /** Resolves when nothing is queued or running (tests). */
  async idle(): Promise<void> {
    await this.queue?.idle();
  }

  // ── reconcile ────────────────────────────────────────────────────────────

  private async reconcile(key: string, signal: AbortSignal): Promise<ProcessResult | void> {
    const [, namespace = "", name = ""] = key.split("/");
    const alert = this.deps.alerts.get(namespace, name);
    if (!alert) return this.gone(`${namespace}/${name}`);
    if (upToDate(alert, this.date())) return;
    const resolved = await this.workloadTarget(resolveAlertTarget(alert.spec, namespace));
    // One alert of a workload at a time: two alerts firing together end up on one incident.
    return this.serialized(targetKey(resolved.target), () => this.sync(alert, resolved, signal));
  }

  /** The alert was deleted: every incident that records it as firing gets the record resolved (endsAt = now), so it can resolve. */
  private async gone(recordName: string): Promise<void> {
    const holding = this.deps.incidents.list().filter((i) => i.status?.alerts?.some((a) => a.name === recordName && a.state === "firing"));
    for (const i of holding) {
      const { namespace = "", name = "" } = i.metadata;
      await this.writer.updateStatus(namespace, name, (cur) => endAlertRecord(cur.status ?? {}, recordName, this.date()));
      this.deps.logger.info({ alert: recordName, incident: `${namespace}/${name}` }, "alert deleted: its record on the incident is resolved");
    }
  }

  private async serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    this.locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === run) this.locks.delete(key);
    }
  }

  private async sync(alert: ProductionAlert, resolved: ResolvedTarget, signal: AbortSignal): Promise<ProcessResult | void> {
    const now = this.date();
    const existing = await this.incidentFor(alert, resolved.target, now);
    if (existing) return this.record(alert, existing, resolved, signal);
    if (isAlertResolved(alert, now)) {
      await this.setStatus(alert, "Resolved", undefined, "The alert resolved before any incident was opened for it");
      return;
    }
    return this.open(alert, resolved, signal);
  }

  /** The incident the alert already fed (when still open, or to record its resolution), else an open one of the same workload. */
  private async incidentFor(alert: ProductionAlert, target: Target, now: Date): Promise<ProductionIncident | undefined> {
    const ref = alert.status?.incidentRef;
    const fed = ref ? await this.writer.read(ref.namespace, ref.name) : undefined;
    if (fed && (isOpen(fed) || isAlertResolved(alert, now))) return fed;
    const same = (i: ProductionIncident): boolean => i.spec.target.kind === target.kind && i.spec.target.name === target.name;
    const open = this.deps.incidents.list(target.namespace).filter((i) => isOpen(i) && same(i));
    return open.find((i) => i.spec.trigger.source === "PodFailure") ?? open[0];
  }

  /** Records the alert on an incident and sets the alert's phase from it. */
  private async record(alert: ProductionAlert, incident: ProductionIncident, resolved: ResolvedTarget, signal: AbortSignal): Promise<ProcessResult | void> {
    const { namespace = "", name = "" } = incident.metadata;
    const written = await this.writer.updateStatus(namespace, name, (cur) => recordAlert(cur.status ?? {}, alertRecord(alert, this.date())));
    if (!written) return { requeueAfterMs: 1000 };
    if (this.deps.investigator && openedBy(written, alert) && written.status?.phase === "Detected") {
      return this.investigate(alert, written, resolved, signal);
    }
    const phase = alertPhaseFor(alert, written, this.date());
    await this.setStatus(alert, phase, written, describePhase(phase, written));
    return this.requeue(alert);
  }

  private async open(alert: ProductionAlert, resolved: ResolvedTarget, signal: AbortSignal): Promise<ProcessResult | void> {
    const fp = alertFingerprint(resolved.target, alert.spec.name);
    const { incident } = await this.writer.create(newAlertIncident(alert, resolved.target, fp));
    const { namespace = "", name = "" } = incident.metadata;
    const record = alertRecord(alert, this.date());
    const written = await this.writer.updateStatus(namespace, name, (cur) => {
      const status = cur.status ?? {};
      if (!status.phase) return { ...detected([], this.date(), 20, cur.metadata.generation), occurrences: 1, alerts: [record] };
      const base = status.phase === "Resolved" ? reopened(status, [], this.date(), cur.metadata.generation) : status;
      return recordAlert(base, record) ?? base;
    });
    if (!written) return { requeueAfterMs: 1000 };
    this.deps.logger.info({ alert: `${alert.metadata.namespace}/${alert.metadata.name}`, incident: `${namespace}/${name}`, target: targetKey(resolved.target) }, "incident opened for an alert");
    if (!this.deps.investigator || !openedBy(written, alert)) return this.record(alert, written, resolved, signal);
    return this.investigate(alert, written, resolved, signal);
  }

  private async investigate(alert: ProductionAlert, incident: ProductionIncident, resolved: ResolvedTarget, signal: AbortSignal): Promise<ProcessResult | void> {
    const { namespace = "", name = "" } = incident.metadata;
    const started = await this.writer.updateStatus(namespace, name, (cur) =>
      cur.status?.phase === "Detected" ? investigating(cur.status, this.date(), cur.metadata.generation) : undefined,
    );
    if (started?.status?.phase !== "Investigating") return this.record(alert, started ?? incident, resolved, signal);
    await this.setStatus(alert, "Investigating", started, `Investigating ProductionIncident ${namespace}/${name}`);
    let final: ProductionIncident | undefined;
    try {
      const result = await this.runInvestigation(alert, started, resolved, signal);
      final = await this.writer.updateStatus(namespace, name, (cur) => (cur.status?.phase === "Investigating" ? diagnosed(cur.status, result, this.date(), cur.metadata.generation) : undefined));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      final = await this.writer.updateStatus(namespace, name, (cur) => (cur.status?.phase === "Investigating" ? failed(cur.status, reason, this.date(), cur.metadata.generation) : undefined));
      this.deps.logger.warn({ err, incident: `${namespace}/${name}` }, "investigation of an alert's incident failed");
    }
    const phase = final ? alertPhaseFor(alert, final, this.date()) : "Failed";
    await this.setStatus(alert, phase, final ?? started, final ? describePhase(phase, final) : `ProductionIncident ${namespace}/${name} is gone`);
    return this.requeue(alert);
  }

  private async runInvestigation(alert: ProductionAlert, incident: ProductionIncident, resolved: ResolvedTarget, signal: AbortSignal): Promise<Parameters<typeof diagnosed>[1]> {
    const { investigator, view } = this.deps;
    if (!investigator || !view) throw new Error("no investigator and cluster view were given to the alert controller");
    const timeout = AbortSignal.timeout(this.deps.investigationTimeoutMs ?? 150_000);
    const req = {
      target: incident.spec.target,
      ...(resolved.pod ? { pod: resolved.pod } : {}),
      reason: alert.spec.name,
      alert: requestAlert(alert),
      signal: AbortSignal.any([signal, timeout]),
    };
    return investigator.investigate(view(), req);
  }

  private async setStatus(alert: ProductionAlert, phase: AlertPhase, incident: ProductionIncident | undefined, message: string): Promise<void> {
    const { namespace = "", name = "" } = alert.metadata;
    try {
      await this.deps.alertStatus.updateStatus(namespace, name, (cur) => {
        const status = nextAlertStatus(cur, { phase, incident, message });
        return status ? { ...cur, status } : undefined;
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw new Error(`could not write the status of ProductionAlert ${namespace}/${name}`, { cause: err });
    }
  }

  /** A firing alert with an endsAt in the future is looked at again when it passes. */
  private requeue(alert: ProductionAlert): ProcessResult | void {
    const ms = msUntilEnds(alert, this.date());
    return ms === undefined ? undefined : { requeueAfterMs: Math.min(ms + 1000, MAX_REQUEUE_MS) };
  }

  /** An alert about a pod is about the pod's workload (so it meets the pod-failure incident). */
  private async workloadTarget(resolved: ResolvedTarget): Promise<ResolvedTarget> {
    const t = resolved.target;
    if (t.kind !== "Pod") return resolved;
    const pod = this.deps.pods?.get(t.namespace, t.name) ?? ((await this.deps.view?.().get("Pod", t.namespace, t.name).catch(() => undefined)) as V1Pod | undefined);
    if (!pod) return resolved;
    const w = workloadOf(pod);
    if (w.kind === "Pod") return resolved;
    return { ...resolved, target: { ...t, kind: w.kind as Target["kind"], name: w.name }, pod: t.name };
  }

  private date(): Date {
    return new Date(this.timers.now());
  }
}

const FINAL_PHASES = new Set<AlertPhase | undefined>(["Correlated", "Diagnosed", "Resolved", "Failed"]);

/**
 * Nothing to do: the status is final for this generation (and a firing alert has
 * not ended meanwhile). An incident resolved while its alert still fires is not
 * reopened by the alert; only a change of the alert (a re-fire) does that.
 */
function upToDate(alert: ProductionAlert, now: Date): boolean {
  const s = alert.status;
  if (!FINAL_PHASES.has(s?.phase) || s?.observedGeneration !== alert.metadata.generation) return false;
  return s?.phase === "Resolved" || !isAlertResolved(alert, now);
}

function describePhase(phase: AlertPhase, incident: ProductionIncident): string {
  const ref = `ProductionIncident ${incident.metadata.namespace}/${incident.metadata.name}`;
  const d = incident.status?.diagnosis;
  switch (phase) {
    case "Correlated":
      return `Recorded on ${ref}, already open for the same workload`;
    case "Diagnosed":
      return d ? `${ref}: ${d.category}: ${d.summary}` : `${ref} is diagnosed`;
    case "Resolved":
      return `The alert resolved; recorded on ${ref}`;
    case "Failed":
      return `The investigation of ${ref} failed: ${incident.status?.failureReason ?? "unknown reason"}`;
    default:
      return `${ref} is ${incident.status?.phase ?? "being opened"}`;
  }
}
