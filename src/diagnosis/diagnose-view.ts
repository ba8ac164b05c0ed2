import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { MAX_AFFECTED_PODS, ProductionIncident } from "../api/incident.js";
import type { KubeObject } from "../api/snapshot.js";
import type { ClusterView } from "../context/view.js";
import { fingerprintFor, workloadOf, type Fingerprint, type Workload } from "../incidents/fingerprint.js";
import { detected, diagnosed, newIncident, type PodObservation } from "../incidents/lifecycle.js";
import { detectPodFailure, type DetectOptions, type PodFailure } from "../triggers/detect.js";
import { createFailures } from "./failed-create.js";
import type { Investigator } from "./types.js";

/**
 * The incidents the operator would write for what a ClusterView shows: failing
 * pods found by the operator's own detection, grouped by fingerprint (200
 * crashing replicas of one Deployment are one incident), each group
 * investigated once; failed Jobs whose pods are gone, and ReplicaSets/Jobs
 * that cannot create pods (quota, LimitRange), become incidents of their own. The same code serves a ClusterSnapshot and a live cluster.
 */

export type DetectionOptions = DetectOptions;

export interface DiagnoseViewOptions {
  investigator: Investigator;
  detection?: DetectionOptions;
  /** Recorded in diagnosis.notes, e.g. "--no-agent". */
  rulesOnly?: { reason: string };
  /** Only this namespace (default: every namespace the view shows). */
  namespace?: string;
}

export const DEFAULT_DETECTION: DetectionOptions = { minRestarts: 1, unschedulableGraceSeconds: 120 };

interface Group {
  fingerprint: Fingerprint;
  workload: Workload;
  failure: PodFailure;
  pods: { pod: V1Pod; failure: PodFailure }[];
}

function restarts(pod: V1Pod): number {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

function groupFailingPods(pods: V1Pod[], now: Date, detection: DetectionOptions): Group[] {
  const groups = new Map<string, Group>();
  for (const pod of pods) {
    const failure = detectPodFailure(pod, now, detection);
    if (!failure) continue;
    const workload = workloadOf(pod);
    const fingerprint = fingerprintFor(workload, failure);
    const group = groups.get(fingerprint.hash) ?? { fingerprint, workload, failure, pods: [] };
    group.pods.push({ pod, failure });
    groups.set(fingerprint.hash, group);
  }
  return [...groups.values()];
}

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Jobs with a Failed condition that no failing pod already accounts for. */
function failedJobs(jobs: KubeObject[], groups: Group[]): Group[] {
  const covered = new Set(groups.map((g) => `${g.workload.namespace}/${g.workload.kind}/${g.workload.name}`));
  return jobs.flatMap((job: KubeObject) => {
    const cond = ((job as { status?: { conditions?: JobCondition[] } }).status?.conditions ?? []).find((c) => c.type === "Failed" && c.status === "True");
    const ns = job.metadata.namespace ?? "default";
    const workload = workloadOfJob(job, ns);
    if (!cond || covered.has(`${ns}/${workload.kind}/${workload.name}`) || covered.has(`${ns}/Job/${job.metadata.name}`)) return [];
    const reason = cond.reason ?? "JobFailed";
    const failure: PodFailure = { reason, init: false, ...(cond.message ? { message: cond.message } : {}), signature: `Job/${reason}` };
    return [{ fingerprint: fingerprintFor(workload, failure), workload, failure, pods: [] }];
  });
}

function workloadOfJob(job: KubeObject, namespace: string): Workload {
  const refs = (job.metadata as { ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[] }).ownerReferences ?? [];
  const cron = refs.find((r) => r.kind === "CronJob");
  if (cron) return { kind: "CronJob", name: cron.name, namespace, uid: cron.uid };
  return { kind: "Job", name: job.metadata.name, namespace, uid: (job.metadata as { uid?: string }).uid };
}

function observations(group: Group, now: Date): PodObservation[] {
  return group.pods.map(({ pod, failure }) => ({ pod: pod.metadata?.name ?? "", reason: failure.reason, restartCount: restarts(pod), seenAt: now.toISOString() }));
}

/** The pod investigated for a group: the one with most restarts (the first in the view's order on ties). */
function representative(group: Group): V1Pod | undefined {
  return [...group.pods].sort((a, b) => restarts(b.pod) - restarts(a.pod))[0]?.pod;
}

async function investigateGroup(view: ClusterView, group: Group, opts: DiagnoseViewOptions, now: Date): Promise<ProductionIncident> {
  const incident = newIncident({ fingerprint: group.fingerprint, workload: group.workload, failure: group.failure });
  const pod = representative(group);
  const target = group.failure.container ? { ...incident.spec.target, container: group.failure.container } : incident.spec.target;
  const result = await opts.investigator.investigate(view, {
    target,
    ...(pod?.metadata?.name ? { pod: pod.metadata.name } : {}),
    reason: group.failure.reason,
    ...(opts.rulesOnly ? { rulesOnly: opts.rulesOnly } : {}),
  });
  const status = diagnosed(detected(observations(group, now), now, MAX_AFFECTED_PODS), result, now);
  return ProductionIncident.parse({ ...incident, status: { ...status, conditions: status.conditions } });
}

const keyOf = (w: Workload): string => `${w.namespace}/${w.kind}/${w.name}`;

/** ReplicaSets and Jobs that cannot create pods (quota, LimitRange), for workloads no other group covers. */
async function createFailureGroups(view: ClusterView, namespace: string | undefined, found: { pods: V1Pod[]; jobs: KubeObject[]; covered: Group[] }): Promise<Group[]> {
  const { pods, jobs, covered } = found;
  const [replicaSets, events] = await Promise.all([view.list("ReplicaSet", namespace), view.list("Event", namespace)]);
  const seen = new Set(covered.map((g) => keyOf(g.workload)));
  return createFailures([...replicaSets, ...jobs], events as unknown as CoreV1Event[], pods)
    .filter((f) => !seen.has(keyOf(f.workload)))
    .map(({ workload, failure }) => ({ fingerprint: fingerprintFor(workload, failure), workload, failure, pods: [] }));
}

/** The incidents the operator would write for this view, in a stable order (namespace, name). */
export async function diagnoseView(view: ClusterView, opts: DiagnoseViewOptions): Promise<ProductionIncident[]> {
  const now = view.now();
  const [pods, jobs] = await Promise.all([view.list("Pod", opts.namespace) as Promise<unknown> as Promise<V1Pod[]>, view.list("Job", opts.namespace)]);
  const podGroups = groupFailingPods(pods, now, opts.detection ?? DEFAULT_DETECTION);
  const withJobs = [...podGroups, ...failedJobs(jobs, podGroups)];
  const groups = [...withJobs, ...(await createFailureGroups(view, opts.namespace, { pods, jobs, covered: withJobs }))];
  const incidents: ProductionIncident[] = [];
  for (const g of groups) incidents.push(await investigateGroup(view, g, opts, now));
  return incidents.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}
