// What an alert is about: its explicit spec.target, else the usual labels of
// Prometheus alerts (kube-state-metrics and cAdvisor series carry namespace, pod,
// container, deployment, statefulset, daemonset, job_name...), else the namespace.
import type { Target } from "../api/common.js";
import type { AlertSpec } from "../api/alert.js";

export interface ResolvedTarget {
  target: Target;
  /** A pod the labels name (the one to look at first when the target is its workload). */
  pod?: string;
  /** How it was found. */
  from: "spec" | "labels" | "namespace";
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Workload labels in order of precedence, each also read in its `exported_` form.
 * `job` is not among them: on most series it is Prometheus' scrape job; only
 * kube-state-metrics' `job_name` names a Job.
 */
const WORKLOAD_LABELS: Array<[label: string, kind: Target["kind"]]> = [
  ["deployment", "Deployment"],
  ["statefulset", "StatefulSet"],
  ["daemonset", "DaemonSet"],
  ["job_name", "Job"],
  ["cronjob", "CronJob"],
  ["replicaset", "ReplicaSet"],
];

/** Containers that are not the application (the pause container, cAdvisor's pod-level series). */
const NOT_A_CONTAINER = new Set(["", "POD"]);

/** The first valid value of `name`, `exported_name`. */
function label(labels: Record<string, string>, name: string, valid: RegExp): string | undefined {
  for (const key of [name, `exported_${name}`]) {
    const v = labels[key];
    if (v !== undefined && v.length <= 253 && valid.test(v)) return v;
  }
  return undefined;
}

function workloadOf(labels: Record<string, string>): { kind: Target["kind"]; name: string } | undefined {
  for (const [key, kind] of WORKLOAD_LABELS) {
    const name = label(labels, key, DNS_SUBDOMAIN);
    if (name) return { kind, name };
  }
  return undefined;
}

function containerOf(labels: Record<string, string>): string | undefined {
  const raw = labels.container ?? labels.exported_container ?? labels.container_name ?? "";
  return !NOT_A_CONTAINER.has(raw) && raw.length <= 63 && DNS_LABEL.test(raw) ? raw : undefined;
}

/**
 * Resolves the target of an alert. `alertNamespace` (the ProductionAlert's own
 * namespace) is used when the labels name no namespace: the alert is then about
 * that namespace as a whole.
 */
export function resolveAlertTarget(spec: Pick<AlertSpec, "target" | "labels">, alertNamespace: string): ResolvedTarget {
  if (spec.target) return { target: spec.target, from: "spec" };
  const labels = spec.labels ?? {};
  const namespace = label(labels, "namespace", DNS_LABEL);
  if (!namespace) return { target: { kind: "Namespace", namespace: alertNamespace, name: alertNamespace }, from: "namespace" };
  const pod = label(labels, "pod", DNS_SUBDOMAIN) ?? label(labels, "pod_name", DNS_SUBDOMAIN);
  const container = containerOf(labels);
  const withContainer = container ? { container } : {};
  const workload = workloadOf(labels);
  if (workload) return { target: { ...workload, namespace, ...withContainer }, ...(pod ? { pod } : {}), from: "labels" };
  if (pod) return { target: { kind: "Pod", namespace, name: pod, ...withContainer }, pod, from: "labels" };
  return { target: { kind: "Namespace", namespace, name: namespace }, from: "namespace" };
}

/** "namespace/Kind/name": the workload identity used to correlate alerts with open incidents. */
export function targetKey(t: Pick<Target, "namespace" | "kind" | "name">): string {
  return `${t.namespace}/${t.kind}/${t.name}`;
}
