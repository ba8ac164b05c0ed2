// From an Alertmanager alert to a ProductionAlert: a name derived from the alert's
// fingerprint (the same alert always maps to the same object), a namespace, and a
// spec that fits the CRD (valid label names, bounded values).
import { createHash } from "node:crypto";
import { ALERT_SEVERITIES, LABEL_NAME, MAX_ALERT_LABELS, type AlertSpec } from "../api/alert.js";
import { timeOf } from "./alert-incident.js";
import type { WebhookAlert } from "./webhook-payload.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SEVERITY_ALIASES: Record<string, AlertSpec["severity"]> = { page: "critical", high: "critical", fatal: "critical", warn: "warning", medium: "warning", low: "info" };

/** `am-<fingerprint>` for Alertmanager's hex fingerprints, else `am-` and a hash of it. */
export function alertObjectName(fingerprint: string): string {
  const fp = fingerprint.toLowerCase();
  return /^[0-9a-f]{1,60}$/.test(fp) ? `am-${fp}` : `am-${createHash("sha256").update(fingerprint).digest("hex").slice(0, 20)}`;
}

/** The namespace the alert's labels name, when it is a valid namespace name. */
export function labelNamespace(labels: Record<string, string>): string | undefined {
  const ns = labels.namespace ?? labels.exported_namespace;
  return ns && ns.length <= 63 && DNS_LABEL.test(ns) ? ns : undefined;
}

function severityOf(labels: Record<string, string>): AlertSpec["severity"] {
  const s = (labels.severity ?? "").toLowerCase();
  if ((ALERT_SEVERITIES as readonly string[]).includes(s)) return s as AlertSpec["severity"];
  return SEVERITY_ALIASES[s] ?? "warning";
}

/** Keeps valid label names (sorted, at most MAX_ALERT_LABELS) and cuts values to maxValue. */
function fitLabels(labels: Record<string, string>, maxValue: number): Record<string, string> | undefined {
  const entries = Object.entries(labels)
    .filter(([k]) => LABEL_NAME.test(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, MAX_ALERT_LABELS)
    .map(([k, v]) => [k, v.slice(0, maxValue)]);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function optional<K extends string>(key: K, value: string | undefined, max: number): Partial<Record<K, string>> {
  return value ? ({ [key]: value.slice(0, max) } as Partial<Record<K, string>>) : {};
}

/** The ProductionAlert spec of an Alertmanager alert (every field explicit, so re-sends compare equal). */
export function alertSpecOf(alert: WebhookAlert): AlertSpec {
  const labels = fitLabels(alert.labels, 1024);
  const annotations = fitLabels(alert.annotations, 8192);
  return {
    source: "alertmanager",
    name: (alert.labels.alertname ?? "").slice(0, 256),
    severity: severityOf(alert.labels),
    ...optional("summary", alert.annotations.summary, 1024),
    ...optional("description", alert.annotations.description ?? alert.annotations.message, 8192),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    state: alert.status,
    ...(timeOf(alert.startsAt) ? { startsAt: alert.startsAt } : {}),
    ...(alert.endsAt && timeOf(alert.endsAt) ? { endsAt: alert.endsAt } : {}),
    ...optional("generatorURL", alert.generatorURL, 4096),
    fingerprint: alert.fingerprint,
  };
}
