import { ago, CAPTURED_AT, hash, node, uid, type ContainerRun, type ContainerSpec, type EventSpec, type NodeSpec, type Obj, type Terminated } from "./k8s.js";

export interface Expect {
  category: string;
  /** Each group: at least one alternative must appear (case-insensitive) in summary + rootCause. */
  keywords: string[][];
  /** Default 1; 0 for healthy controls. */
  incidents?: number;
}

export interface ScenarioDef {
  name: string;
  description: string;
  namespace?: string;
  app?: string;
  /** Owner of the pods. Default Deployment. */
  kind?: "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "Pod";
  containers: ContainerRun[];
  initContainers?: ContainerRun[];
  /** Pod-level status overrides (phase, reason, message, conditions). */
  podStatus?: Record<string, unknown>;
  podSpec?: Record<string, unknown>;
  /** How many pods of the workload are in this state (default 1). */
  replicas?: number;
  /** Healthy pods of the same workload alongside the failing ones. */
  healthyReplicas?: number;
  events?: EventSpec[];
  /** container → logs; the same text for every failing replica. */
  logs?: Record<string, { previous?: string; current?: string }>;
  /** The previous revision's container specs (only the fields that differ are needed): makes a rollout diff. */
  previous?: Partial<ContainerSpec>[];
  nodes?: NodeSpec[];
  nodeName?: string;
  /** Admission rejects the pods (quota, LimitRange): none are created for the failing replicas, the ReplicaSet reports ReplicaFailure with this message. */
  createFailure?: string;
  /** Pod not scheduled (no nodeName). */
  pending?: boolean;
  objects?: Obj[];
  metrics?: { metric: Record<string, string>; values: [number, string][] }[];
  expect: Expect;
}

const DEFAULT_NODE: NodeSpec = { name: "worker-1" };

function ownerRef(o: Obj): Record<string, unknown> {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function template(def: ScenarioDef, specs: ContainerSpec[], hashValue: string | undefined): Record<string, unknown> {
  const app = def.app ?? "web";
  return {
    metadata: { labels: { app, ...(hashValue ? { "pod-template-hash": hashValue } : {}) } },
    spec: { ...(def.initContainers ? { initContainers: def.initContainers.map((c) => c.spec) } : {}), containers: specs, ...(def.podSpec ?? {}) },
  };
}

function mergeSpecs(current: ContainerSpec[], previous: Partial<ContainerSpec>[] | undefined): ContainerSpec[] | undefined {
  if (!previous) return undefined;
  return current.map((c, i) => ({ ...c, ...(previous[i] ?? {}) }) as ContainerSpec);
}

interface Owners {
  objects: Obj[];
  podOwner?: Obj;
  rs?: Obj;
  top?: Obj;
  hash?: string;
}

function deploymentOwners(def: ScenarioDef, ns: string, app: string, specs: ContainerSpec[]): Owners {
  const prevSpecs = mergeSpecs(specs, def.previous);
  const rev = prevSpecs ? 4 : 1;
  const replicas = (def.replicas ?? 1) + (def.healthyReplicas ?? 0);
  const dep: Obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app, namespace: ns, uid: uid(`${def.name}/deploy/${app}`), generation: rev, annotations: { "deployment.kubernetes.io/revision": String(rev) }, labels: { app }, creationTimestamp: ago(60 * 24 * 7) },
    spec: { replicas, selector: { matchLabels: { app } }, template: template(def, specs, undefined), strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } },
    status: { observedGeneration: rev, replicas, updatedReplicas: replicas, readyReplicas: def.healthyReplicas ?? 0, availableReplicas: def.healthyReplicas ?? 0, unavailableReplicas: def.replicas ?? 1 },
  };
  const mkRs = ({ h, r, s, count, minutes }: { h: string; r: number; s: ContainerSpec[]; count: number; minutes: number }): Obj => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: `${app}-${h}`, namespace: ns, uid: uid(`${def.name}/rs/${h}`), labels: { app, "pod-template-hash": h }, annotations: { "deployment.kubernetes.io/revision": String(r), "deployment.kubernetes.io/desired-replicas": String(replicas), "deployment.kubernetes.io/max-replicas": String(replicas + 1) }, ownerReferences: [ownerRef(dep)], creationTimestamp: ago(minutes) },
    spec: { replicas: count, selector: { matchLabels: { app, "pod-template-hash": h } }, template: template(def, s, h) },
    status: { replicas: count, fullyLabeledReplicas: count, readyReplicas: count === replicas ? 0 : count, availableReplicas: 0, observedGeneration: 1 },
  });
  const h = hash(`${def.name}/rs`, 10);
  const rs = mkRs({ h, r: rev, s: specs, count: replicas, minutes: 12 });
  if (def.createFailure) rs.status = replicaFailure(def.healthyReplicas ?? 0, def.createFailure);
  const objects: Obj[] = [dep, rs];
  if (prevSpecs) objects.push(mkRs({ h: hash(`${def.name}/rs-old`, 10), r: rev - 1, s: prevSpecs, count: 0, minutes: 60 * 24 * 2 }));
  return { objects, podOwner: rs, rs, top: dep, hash: h };
}

/** A ReplicaSet whose pods admission rejects, as the replicaset controller reports it. */
function replicaFailure(created: number, message: string): Record<string, unknown> {
  return {
    replicas: created, fullyLabeledReplicas: created, readyReplicas: created, availableReplicas: created, observedGeneration: 1,
    conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message, lastTransitionTime: ago(10) }],
  };
}

function otherOwners(def: ScenarioDef, ns: string, app: string, specs: ContainerSpec[]): Owners {
  if (def.kind === "Pod") return { objects: [] };
  if (def.kind === "Job") {
    const job: Obj = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: app, namespace: ns, uid: uid(`${def.name}/job/${app}`), labels: { app }, creationTimestamp: ago(15) },
      spec: { backoffLimit: 4, completions: 1, parallelism: 1, template: { ...template(def, specs, undefined), spec: { ...(template(def, specs, undefined).spec as object), restartPolicy: "Never" } } },
      status: { active: 1, failed: def.replicas ?? 1, startTime: ago(15) },
    };
    return { objects: [job], podOwner: job, top: job };
  }
  const kind = def.kind ?? "StatefulSet";
  const sts: Obj = {
    apiVersion: "apps/v1",
    kind,
    metadata: { name: app, namespace: ns, uid: uid(`${def.name}/${kind}/${app}`), labels: { app }, generation: 1, creationTimestamp: ago(60 * 24) },
    spec: { ...(kind === "StatefulSet" ? { replicas: def.replicas ?? 1, serviceName: app } : {}), selector: { matchLabels: { app } }, template: template(def, specs, undefined) },
    status: { observedGeneration: 1, ...(kind === "StatefulSet" ? { replicas: def.replicas ?? 1, readyReplicas: 0 } : { desiredNumberScheduled: 1, numberReady: 0 }) },
  };
  return { objects: [sts], podOwner: sts, top: sts };
}

function podName(def: ScenarioDef, app: string, owners: Owners, i: number): string {
  if (def.kind === "StatefulSet") return `${app}-${i}`;
  if (def.kind === "Pod") return i === 0 ? app : `${app}-${i}`;
  const prefix = owners.rs ? owners.rs.metadata.name : app;
  return `${prefix}-${hash(`${def.name}/pod/${i}`, 5)}`;
}

/** The kubelet records the id of every container that was created; `kubectl logs` needs it. */
function withContainerId(t: Terminated, seed: string): Terminated {
  return t.containerID ? t : { ...t, containerID: `containerd://${hash(`${seed}/${t.startedAt}`, 32).replace(/[^a-f0-9]/g, "a").padEnd(64, "0")}` };
}

function containerStatus(run: ContainerRun, i: number): Record<string, unknown> {
  const started = "running" in run.state;
  const state = "terminated" in run.state ? { terminated: withContainerId(run.state.terminated, `${run.spec.name}/${i}`) } : run.state;
  const lastState = run.lastState ? { terminated: withContainerId(run.lastState.terminated, `${run.spec.name}/${i}/last`) } : undefined;
  return {
    name: run.spec.name,
    image: run.spec.image.includes("/") || run.spec.image.includes(".") ? run.spec.image : `docker.io/library/${run.spec.image}`,
    imageID: "waiting" in run.state && /Image|ErrImage/.test(run.state.waiting.reason) ? "" : `${run.spec.image.split(":")[0]}@sha256:${hash(run.spec.image + i, 32).replace(/[^a-f0-9]/g, "a").padEnd(64, "0")}`,
    ready: run.ready ?? started,
    started,
    restartCount: run.restartCount ?? 0,
    state,
    lastState: lastState ?? {},
  };
}

function podConditions(def: ScenarioDef): unknown[] {
  if (def.pending) return [];
  const ready = def.containers.every((c) => c.ready ?? "running" in c.state);
  const initDone = !def.initContainers || def.initContainers.every((c) => "terminated" in c.state && c.state.terminated.exitCode === 0);
  return [
    { type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: ago(10) },
    { type: "Initialized", status: initDone ? "True" : "False", lastProbeTime: null, lastTransitionTime: ago(10), ...(initDone ? {} : { reason: "ContainersNotInitialized", message: `containers with incomplete status: [${def.initContainers!.map((c) => c.spec.name).join(" ")}]` }) },
    { type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: ago(9), ...(ready ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${def.containers.filter((c) => !(c.ready ?? "running" in c.state)).map((c) => c.spec.name).join(" ")}]` }) },
    { type: "ContainersReady", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: ago(9), ...(ready ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${def.containers.filter((c) => !(c.ready ?? "running" in c.state)).map((c) => c.spec.name).join(" ")}]` }) },
    { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: ago(10) },
  ];
}

function pod(def: ScenarioDef, owners: Owners, { name, i, healthy }: { name: string; i: number; healthy: boolean }): Obj {
  const ns = def.namespace ?? "shop";
  const app = def.app ?? "web";
  const nodeName = def.nodeName ?? def.nodes?.[0]?.name ?? DEFAULT_NODE.name;
  const runs = healthy ? def.containers.map((c) => ({ ...c, state: { running: { startedAt: ago(30) } }, lastState: undefined, restartCount: 0, ready: true })) : def.containers;
  const inits = healthy ? def.initContainers?.map((c) => ({ ...c, state: { terminated: { exitCode: 0, reason: "Completed", startedAt: ago(31), finishedAt: ago(30) } }, lastState: undefined, restartCount: 0, ready: true }) as ContainerRun) : def.initContainers;
  const hasInit = (inits?.length ?? 0) > 0;
  const status: Record<string, unknown> = {
    phase: def.pending ? "Pending" : "Running",
    conditions: healthy ? podConditions({ ...def, containers: runs, initContainers: inits }) : podConditions(def),
    hostIP: def.pending ? undefined : "10.0.1.21",
    podIP: def.pending ? undefined : `10.244.1.${30 + i}`,
    podIPs: def.pending ? undefined : [{ ip: `10.244.1.${30 + i}` }],
    qosClass: "Burstable",
    startTime: ago(10),
    ...(hasInit ? { initContainerStatuses: inits!.map(containerStatus) } : {}),
    containerStatuses: def.pending ? undefined : runs.map(containerStatus),
    ...(healthy ? {} : (def.podStatus ?? {})),
  };
  for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
  const filled = JSON.parse(JSON.stringify(status).replaceAll("{pod}", name).replaceAll("{ns}", ns).replaceAll("{poduid}", uid(`${def.name}/pod/${name}`))) as Record<string, unknown>;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      uid: uid(`${def.name}/pod/${name}`),
      labels: { app, ...(owners.hash ? { "pod-template-hash": owners.hash } : {}), ...(def.kind === "Job" ? { "batch.kubernetes.io/job-name": app, "job-name": app } : {}) },
      ...(owners.podOwner ? { ownerReferences: [ownerRef(owners.podOwner)] } : {}),
      creationTimestamp: ago(10),
    },
    spec: {
      ...(def.pending ? {} : { nodeName }),
      restartPolicy: def.kind === "Job" ? "Never" : "Always",
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      ...(def.initContainers ? { initContainers: def.initContainers.map((c) => c.spec) } : {}),
      containers: def.containers.map((c) => c.spec),
      ...(def.podSpec ?? {}),
    },
    status: filled,
  };
}

function involved(e: EventSpec, ctx: { pod: Obj; owners: Owners; nodeName: string; ns: string }): Record<string, unknown> {
  const on = e.on ?? "pod";
  const ref = (o: Obj, fieldPath?: string): Record<string, unknown> => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, ...(fieldPath ? { fieldPath } : {}) });
  if (on === "pod") return { ...ref(ctx.pod, e.container ? `spec.containers{${e.container}}` : undefined), resourceVersion: "1" };
  if (on === "rs" && ctx.owners.rs) return ref(ctx.owners.rs);
  if ((on === "deployment" || on === "job") && ctx.owners.top) return ref(ctx.owners.top);
  if (on === "node") return { apiVersion: "v1", kind: "Node", name: ctx.nodeName, uid: uid(`node/${ctx.nodeName}`) };
  if (typeof on === "object") return { apiVersion: on.apiVersion ?? "v1", kind: on.kind, name: on.name, namespace: on.namespace ?? ctx.ns, uid: uid(`${on.kind}/${on.name}`) };
  return ref(ctx.pod);
}

function event(def: ScenarioDef, e: EventSpec, i: number, ctx: { pod: Obj; owners: Owners; nodeName: string; ns: string }): Obj {
  const inv = involved(e, ctx);
  const source = e.source ?? (e.reason === "FailedScheduling" ? "default-scheduler" : /FailedCreate|SuccessfulCreate/.test(e.reason) ? (inv.kind === "Job" ? "job-controller" : "replicaset-controller") : e.reason === "ScalingReplicaSet" ? "deployment-controller" : "kubelet");
  const count = e.count ?? 1;
  const first = (e.minutesAgo ?? 2) + (count > 1 ? 8 : 0);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${String(inv.name)}.${hash(`${def.name}/ev/${i}`, 16).replace(/[^a-f0-9]/g, "a")}`, namespace: ctx.ns, uid: uid(`${def.name}/event/${i}`), creationTimestamp: ago(first) },
    involvedObject: inv,
    reason: e.reason,
    message: e.message.replaceAll("{pod}", String(ctx.pod.metadata.name)).replaceAll("{ns}", ctx.ns).replaceAll("{poduid}", String(ctx.pod.metadata.uid)),
    type: e.type ?? (/^(Scheduled|Pulling|Pulled|Created|Started|SuccessfulCreate|ScalingReplicaSet|Killing)$/.test(e.reason) && !/failed/.test(e.message) ? "Normal" : "Warning"),
    count,
    firstTimestamp: ago(first),
    lastTimestamp: ago(e.minutesAgo ?? 2),
    source: source === "kubelet" ? { component: "kubelet", host: ctx.nodeName } : { component: source },
    reportingComponent: source,
    reportingInstance: source === "kubelet" ? ctx.nodeName : "",
  };
}

/** Builds the ClusterSnapshot document (with `expect`) for one scenario. */
export function buildScenario(def: ScenarioDef): Record<string, unknown> {
  const ns = def.namespace ?? "shop";
  const app = def.app ?? "web";
  const specs = def.containers.map((c) => c.spec);
  const owners = (def.kind ?? "Deployment") === "Deployment" ? deploymentOwners(def, ns, app, specs) : otherOwners(def, ns, app, specs);
  const nodes = (def.nodes ?? [DEFAULT_NODE]).map(node);
  const nodeName = def.nodeName ?? def.nodes?.[0]?.name ?? DEFAULT_NODE.name;
  const failing = def.createFailure ? 0 : (def.replicas ?? 1);
  const pods: Obj[] = [];
  for (let i = 0; i < failing + (def.healthyReplicas ?? 0); i++) pods.push(pod(def, owners, { name: podName(def, app, owners, i), i, healthy: i >= failing }));
  // With no pod at all (admission rejected them), pod-less events name the top owner.
  const subject = pods[0] ?? owners.top!;
  const events = (def.events ?? []).map((e, i) => event(def, e, i, { pod: subject, owners, nodeName, ns }));
  const logs: Record<string, unknown>[] = [];
  for (const p of pods.slice(0, failing)) {
    for (const [container, l] of Object.entries(def.logs ?? {})) {
      if (l.previous !== undefined) logs.push({ namespace: ns, pod: p.metadata.name, container, previous: true, text: l.previous });
      if (l.current !== undefined) logs.push({ namespace: ns, pod: p.metadata.name, container, previous: false, text: l.current });
    }
  }
  return {
    apiVersion: "productionfixer.io/v1alpha1",
    kind: "ClusterSnapshot",
    metadata: { name: def.name, annotations: { description: def.description } },
    capturedAt: CAPTURED_AT,
    expect: def.expect,
    objects: [...nodes, ...owners.objects, ...pods, ...(def.objects ?? []), ...events],
    logs,
    ...(def.metrics ? { metrics: def.metrics.map((m) => ({ ...m, metric: { ...m.metric, ...(m.metric.pod === "{pod}" ? { pod: pods[0]!.metadata.name } : {}) } })) } : {}),
  };
}
