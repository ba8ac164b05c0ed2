// Pure pieces of alert handling: when an alert counts as resolved, the incident an
// alert opens, how an alert is recorded on an incident, and the alert's status.
import { API_VERSION, LABEL_FINGERPRINT, LABEL_MANAGED_BY, type Target } from "../api/common.js";
import type { AlertPhase, AlertStatus, ProductionAlert } from "../api/alert.js";
import type { IncidentStatus, ProductionIncident } from "../api/incident.js";
import type { InvestigationRequest } from "../diagnosis/types.js";
import { fingerprintFor, type Fingerprint } from "../incidents/fingerprint.js";
import { MANAGED_BY } from "../incidents/lifecycle.js";

export const MAX_ALERT_RECORDS = 20;

type AlertRecord = NonNullable<IncidentStatus["alerts"]>[number];

/** A timestamp that means something: Alertmanager sends 0001-01-01T00:00:00Z for "not ended". */
export function timeOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** Resolved when Alertmanager said so, or when endsAt has passed. */
export function isAlertResolved(alert: ProductionAlert, now: Date): boolean {
  if (alert.spec.state === "resolved") return true;
  const ends = timeOf(alert.spec.endsAt);
  return ends !== undefined && ends <= now.getTime();
}

/** Milliseconds until a firing alert's endsAt makes it resolved, if it has one in the future. */
export function msUntilEnds(alert: ProductionAlert, now: Date): number | undefined {
  const ends = timeOf(alert.spec.endsAt);
  return ends !== undefined && ends > now.getTime() ? ends - now.getTime() : undefined;
}

/** The fingerprint of the incident an alert opens: namespace/kind/name/container/alert:<alertname>. */
export function alertFingerprint(target: Target, alertname: string): Fingerprint {
  const workload = { kind: target.kind, name: target.name, namespace: target.namespace };
  return fingerprintFor(workload, { signature: `alert:${alertname}`, reason: alertname, container: target.container });
}

/** The incident to create for an alert no open incident covers: metadata and spec only. */
export function newAlertIncident(alert: ProductionAlert, target: Target, fp: Fingerprint): ProductionIncident {
  return {
    apiVersion: API_VERSION,
    kind: "ProductionIncident",
    metadata: {
      name: fp.incidentName,
      namespace: target.namespace,
      labels: { [LABEL_FINGERPRINT]: fp.hash, [LABEL_MANAGED_BY]: MANAGED_BY },
    },
    spec: {
      target,
      trigger: {
        source: "Alert",
        reason: alert.spec.name.slice(0, 256),
        alertRef: { name: alert.metadata.name ?? "", namespace: alert.metadata.namespace ?? target.namespace },
      },
      fingerprint: fp.fingerprint.slice(0, 512),
    },
  };
}

/** What the incident records about an alert. */
export function alertRecord(alert: ProductionAlert, now: Date): AlertRecord {
  const resolved = isAlertResolved(alert, now);
  const endsAt = resolved ? (alert.spec.endsAt && timeOf(alert.spec.endsAt) ? alert.spec.endsAt : now.toISOString()) : undefined;
  return {
    name: recordName(alert),
    alertname: alert.spec.name.slice(0, 256),
    state: resolved ? "resolved" : "firing",
    ...(alert.spec.startsAt ? { startsAt: alert.spec.startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
  };
}

/** "<namespace>/<name>" of the ProductionAlert (alerts may live in another namespace than the incident). */
function recordName(alert: ProductionAlert): string {
  return `${alert.metadata.namespace ?? ""}/${alert.metadata.name ?? ""}`.slice(0, 253);
}

/** Upserts the record (by name) keeping the newest MAX_ALERT_RECORDS; undefined when nothing changes. */
export function recordAlert(status: IncidentStatus, record: AlertRecord): IncidentStatus | undefined {
  const list = status.alerts ?? [];
  const existing = list.find((a) => a.name === record.name);
  if (existing && JSON.stringify(existing) === JSON.stringify(record)) return undefined;
  const alerts = [...list.filter((a) => a.name !== record.name), record].slice(-MAX_ALERT_RECORDS);
  return { ...status, alerts };
}

/** Ends the record of an alert that is gone (deleted): firing → resolved with endsAt = now; undefined when nothing fires under that name. */
export function endAlertRecord(status: IncidentStatus, name: string, now: Date): IncidentStatus | undefined {
  const list = status.alerts ?? [];
  const firing = (a: AlertRecord): boolean => a.name === name && a.state === "firing";
  if (!list.some(firing)) return undefined;
  return { ...status, alerts: list.map((a) => (firing(a) ? { ...a, state: "resolved", endsAt: now.toISOString() } : a)) };
}

/** Whether the incident was opened by this alert. */
export function openedBy(incident: ProductionIncident, alert: ProductionAlert): boolean {
  const ref = incident.spec.trigger.alertRef;
  return incident.spec.trigger.source === "Alert" && ref?.name === alert.metadata.name && ref?.namespace === alert.metadata.namespace;
}

/** The alert's phase given the incident it fed. */
export function alertPhaseFor(alert: ProductionAlert, incident: ProductionIncident, now: Date): AlertPhase {
  if (isAlertResolved(alert, now)) return "Resolved";
  if (!openedBy(incident, alert)) return "Correlated";
  const phase = incident.status?.phase;
  if (phase === "Diagnosed" || phase === "Resolved") return "Diagnosed";
  if (phase === "Failed") return "Failed";
  return "Investigating";
}

/** The alert's new status, or undefined when it would not change. */
export function nextAlertStatus(alert: ProductionAlert, input: { phase: AlertPhase; incident?: ProductionIncident; message: string }): AlertStatus | undefined {
  const incidentRef = input.incident ? { name: input.incident.metadata.name ?? "", namespace: input.incident.metadata.namespace ?? "" } : alert.status?.incidentRef;
  const next: AlertStatus = {
    ...alert.status,
    phase: input.phase,
    ...(incidentRef ? { incidentRef } : {}),
    message: input.message.slice(0, 2000),
    ...(alert.metadata.generation !== undefined ? { observedGeneration: alert.metadata.generation } : {}),
  };
  return JSON.stringify(next) === JSON.stringify(alert.status ?? {}) ? undefined : next;
}

/** The alert part of an InvestigationRequest. */
export function requestAlert(alert: ProductionAlert): NonNullable<InvestigationRequest["alert"]> {
  const s = alert.spec;
  return {
    name: s.name,
    ...(s.summary ? { summary: s.summary } : {}),
    ...(s.description ? { description: s.description } : {}),
    ...(s.labels ? { labels: s.labels } : {}),
    ...(s.generatorURL ? { generatorURL: s.generatorURL } : {}),
    ...(s.startsAt ? { startsAt: s.startsAt } : {}),
  };
}
