// Pod drivers: write pod status through the status subresource the way a kubelet
// does, and record the Events the kubelet and the scheduler emit, for each failure
// the responder must recognise.
import type { CoreV1Api, V1Pod, V1PodStatus } from "@kubernetes/client-node";
import { containerPath, EventRecorder, type EventInput } from "./events.js";
import {
  backOffSeconds, baseStatus, containerSpec, goDuration, podConditions, podFullName, previousStatus,
  runningStatus, waitingStatus, withContainer, type Termination, type TerminationReason,
} from "./pod-status.js";

export interface PodRef {
  namespace: string;
  name: string;
}

export interface PodDriverOptions {
  core: CoreV1Api;
  /** The fake kubelet's node; pods are bound to it. */
  nodeName: string;
  clock?: () => Date;
}

export interface CrashOptions {
  container?: string;
  exitCode?: number;
  reason?: TerminationReason;
  /** Termination message (lastState.terminated.message). */
  message?: string;
  /** restartCount to write; default: one more than now. */
  restartCount?: number;
}

type Built = { status: V1PodStatus; events: EventInput[] };

export class PodDriver {
  readonly events: EventRecorder;
  private readonly clock: () => Date;

  constructor(private readonly opts: PodDriverOptions) {
    this.clock = opts.clock ?? ((): Date => new Date());
    this.events = new EventRecorder({ core: opts.core, host: opts.nodeName, clock: this.clock });
  }

  /** Creates the pod bound to the fake node (unless schedule is false) with the scheduler's Scheduled event. */
  async createPod(pod: V1Pod, opts: { schedule?: boolean } = {}): Promise<V1Pod> {
    const namespace = pod.metadata?.namespace ?? "default";
    const schedule = opts.schedule ?? true;
    const body: V1Pod = { ...pod, metadata: { ...pod.metadata, namespace }, spec: { ...pod.spec!, ...(schedule ? { nodeName: this.opts.nodeName } : {}) } };
    const created = await this.opts.core.createNamespacedPod({ namespace, body });
    if (schedule) {
      await this.events.record(created, {
        type: "Normal", reason: "Scheduled", component: "default-scheduler",
        message: `Successfully assigned ${namespace}/${created.metadata?.name} to ${this.opts.nodeName}`,
      });
    }
    return created;
  }

  /** Running and Ready, every container started: Pulling, Pulled, Created, Started. */
  running(ref: PodRef): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => ({
      status: {
        ...baseStatus(pod, now), phase: "Running", conditions: podConditions({ now }),
        containerStatuses: (pod.spec?.containers ?? []).map((c) => runningStatus(pod, c, { now, restartCount: previousStatus(pod, c.name)?.restartCount ?? 0 })),
      },
      events: (pod.spec?.containers ?? []).flatMap((c) => startEvents(c.name, c.image ?? "", true)),
    }));
  }

  /** The container exited and waits in CrashLoopBackOff; restartCount grows by one per call. */
  crashLoop(ref: PodRef, opts: CrashOptions = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod, opts.container);
      const restartCount = opts.restartCount ?? (previousStatus(pod, c.name)?.restartCount ?? 0) + 1;
      const last = termination(now, opts);
      const message = `back-off ${goDuration(backOffSeconds(restartCount))} restarting failed container=${c.name} pod=${podFullName(pod)}`;
      const status = waitingStatus(pod, c, { reason: "CrashLoopBackOff", message, restartCount, last });
      return {
        status: notReady(pod, now, withContainer(pod, status, now), [c.name]),
        events: [
          ...startEvents(c.name, c.image ?? "", false),
          { type: "Warning", reason: "BackOff", fieldPath: containerPath(c.name), message: `Back-off restarting failed container ${c.name} in pod ${podFullName(pod)}` },
        ],
      };
    });
  }

  /** CrashLoopBackOff after the container was OOMKilled (exit 137). */
  oomKilled(ref: PodRef, opts: Omit<CrashOptions, "reason" | "exitCode"> = {}): Promise<V1Pod> {
    return this.crashLoop(ref, { ...opts, reason: "OOMKilled", exitCode: 137 });
  }

  /** ErrImagePull (backOff false) or ImagePullBackOff (default) with the kubelet's messages. */
  imagePull(ref: PodRef, opts: { container?: string; backOff?: boolean; error?: string } = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod, opts.container);
      const image = c.image ?? "";
      const error = opts.error ?? imageNotFound(image);
      const backOff = opts.backOff ?? true;
      const waiting = backOff
        ? { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}": ErrImagePull: ${error}` }
        : { reason: "ErrImagePull", message: error };
      const status = waitingStatus(pod, c, { ...waiting, restartCount: 0, pulled: false });
      const fieldPath = containerPath(c.name);
      const events: EventInput[] = [
        { type: "Normal", reason: "Pulling", fieldPath, message: `Pulling image "${image}"` },
        { type: "Warning", reason: "Failed", fieldPath, message: `Failed to pull image "${image}": ${error}` },
        { type: "Warning", reason: "Failed", fieldPath, message: "Error: ErrImagePull" },
      ];
      if (backOff) {
        events.push({ type: "Normal", reason: "BackOff", fieldPath, message: `Back-off pulling image "${image}"` });
        events.push({ type: "Warning", reason: "Failed", fieldPath, message: "Error: ImagePullBackOff" });
      }
      return { status: pending(pod, now, withContainer(pod, status, now), [c.name]), events };
    });
  }

  /** CreateContainerConfigError, e.g. `configmap "app" not found`, `couldn't find key K in ConfigMap ns/app`, `secret "db" not found`. */
  createContainerConfigError(ref: PodRef, opts: { container?: string; message: string }): Promise<V1Pod> {
    return this.waitingWith(ref, { container: opts.container, reason: "CreateContainerConfigError", message: opts.message });
  }

  /** RunContainerError: the runtime could not start the process (e.g. executable not found). */
  runContainerError(ref: PodRef, opts: { container?: string; message?: string } = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod, opts.container);
      const command = c.command?.[0] ?? c.args?.[0] ?? "app";
      const message = opts.message ?? `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${command}": executable file not found in $PATH: unknown`;
      const restartCount = (previousStatus(pod, c.name)?.restartCount ?? 0) + 1;
      const last = termination(now, { exitCode: 128, reason: "StartError", message });
      const status = waitingStatus(pod, c, { reason: "RunContainerError", message, restartCount, last });
      return {
        status: notReady(pod, now, withContainer(pod, status, now), [c.name]),
        events: [{ type: "Warning", reason: "Failed", fieldPath: containerPath(c.name), message: `Error: ${message}` }],
      };
    });
  }

  /** PodScheduled=False/Unschedulable with the scheduler's message and a FailedScheduling event. */
  unschedulable(ref: PodRef, opts: { message?: string } = {}): Promise<V1Pod> {
    const message = opts.message ??
      "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    return this.drive(ref, (pod, now) => ({
      status: {
        ...pod.status, phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastTransitionTime: now, lastProbeTime: null as unknown as undefined }],
      },
      events: [{ type: "Warning", reason: "FailedScheduling", component: "default-scheduler", message }],
    }));
  }

  /** An init container keeps failing: Init:CrashLoopBackOff, main containers PodInitializing. */
  initContainerFailure(ref: PodRef, opts: CrashOptions = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const init = (pod.spec?.initContainers ?? []).find((c) => opts.container === undefined || c.name === opts.container);
      if (!init) throw new Error(`pod ${ref.namespace}/${ref.name} has no init container ${opts.container ?? ""}`);
      const restartCount = opts.restartCount ?? (previousStatus(pod, init.name)?.restartCount ?? 0) + 1;
      const message = `back-off ${goDuration(backOffSeconds(restartCount))} restarting failed container=${init.name} pod=${podFullName(pod)}`;
      const initStatus = waitingStatus(pod, init, { reason: "CrashLoopBackOff", message, restartCount, last: termination(now, opts) });
      const mains = (pod.spec?.containers ?? []).map((c) => waitingStatus(pod, c, { reason: "PodInitializing", restartCount: 0 }));
      const names = mains.map((s) => s.name);
      return {
        status: {
          ...baseStatus(pod, now), phase: "Pending",
          conditions: podConditions({ now, initialized: false, ready: false, notReady: names, notInitialized: [init.name] }),
          initContainerStatuses: [initStatus], containerStatuses: mains,
        },
        events: [{ type: "Warning", reason: "BackOff", fieldPath: containerPath(init.name, true), message: `Back-off restarting failed container ${init.name} in pod ${podFullName(pod)}` }],
      };
    });
  }

  /** A liveness probe fails: Unhealthy, Killing, then the restarted container runs again. */
  livenessFailure(ref: PodRef, opts: { container?: string; probeMessage?: string } = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod, opts.container);
      const restartCount = (previousStatus(pod, c.name)?.restartCount ?? 0) + 1;
      const last = termination(now, { exitCode: 137, reason: "Error" });
      const status = runningStatus(pod, c, { now, restartCount, last });
      const fieldPath = containerPath(c.name);
      return {
        status: { ...baseStatus(pod, now), phase: "Running", conditions: podConditions({ now }), containerStatuses: withContainer(pod, status, now) },
        events: [
          { type: "Warning", reason: "Unhealthy", fieldPath, message: `Liveness probe failed: ${opts.probeMessage ?? "HTTP probe failed with statuscode: 500"}` },
          { type: "Normal", reason: "Killing", fieldPath, message: `Container ${c.name} failed liveness probe, will be restarted` },
        ],
      };
    });
  }

  /** Evicted by the kubelet under node memory pressure: phase Failed, reason Evicted. */
  evicted(ref: PodRef, opts: { message?: string } = {}): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod);
      const message = opts.message ??
        `The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container ${c.name} was using 1048576Ki, request is 0, has larger consumption of memory. `;
      const statuses = (pod.spec?.containers ?? []).map((cs) => ({
        ...waitingStatus(pod, cs, { reason: "", restartCount: previousStatus(pod, cs.name)?.restartCount ?? 0 }),
        state: { terminated: { exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be located when the pod was terminated", startedAt: now, finishedAt: now } },
      }));
      const conditions = podConditions({ now, ready: false, notReady: statuses.map((s) => s.name) });
      conditions.push({ type: "DisruptionTarget", status: "True", reason: "TerminationByKubelet", message, lastTransitionTime: now });
      return {
        status: { ...baseStatus(pod, now), phase: "Failed", reason: "Evicted", message, conditions, containerStatuses: statuses },
        events: [
          { type: "Warning", reason: "Evicted", message },
          { type: "Normal", reason: "Killing", fieldPath: containerPath(c.name), message: `Stopping container ${c.name}` },
        ],
      };
    });
  }

  private waitingWith(ref: PodRef, w: { container?: string; reason: string; message: string }): Promise<V1Pod> {
    return this.drive(ref, (pod, now) => {
      const c = containerSpec(pod, w.container);
      const status = waitingStatus(pod, c, { reason: w.reason, message: w.message, restartCount: previousStatus(pod, c.name)?.restartCount ?? 0 });
      const fieldPath = containerPath(c.name);
      return {
        status: pending(pod, now, withContainer(pod, status, now), [c.name]),
        events: [
          { type: "Normal", reason: "Pulled", fieldPath, message: `Container image "${c.image}" already present on machine` },
          { type: "Warning", reason: "Failed", fieldPath, message: `Error: ${w.message}` },
        ],
      };
    });
  }

  /** Read, build, write the status (retrying on conflict), then record the events. */
  private async drive(ref: PodRef, build: (pod: V1Pod, now: Date) => Built): Promise<V1Pod> {
    for (let attempt = 0; ; attempt++) {
      const pod = await this.opts.core.readNamespacedPod(ref);
      const { status, events } = build(pod, this.clock());
      try {
        const written = await this.opts.core.replaceNamespacedPodStatus({ ...ref, body: { ...pod, status } });
        for (const event of events) await this.events.record(written, event);
        return written;
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt >= 5) {
          throw new Error(`could not write the status of pod ${ref.namespace}/${ref.name}`, { cause: err });
        }
      }
    }
  }
}

function termination(now: Date, opts: CrashOptions): Termination {
  return {
    exitCode: opts.exitCode ?? 1,
    reason: opts.reason ?? "Error",
    message: opts.message,
    startedAt: new Date(now.getTime() - 5000),
    finishedAt: new Date(now.getTime() - 1000),
  };
}

function startEvents(name: string, image: string, firstStart: boolean): EventInput[] {
  const fieldPath = containerPath(name);
  const pulled: EventInput[] = firstStart
    ? [
        { type: "Normal", reason: "Pulling", fieldPath, message: `Pulling image "${image}"` },
        { type: "Normal", reason: "Pulled", fieldPath, message: `Successfully pulled image "${image}" in 1.042s (1.042s including waiting). Image size: 48213120 bytes.` },
      ]
    : [{ type: "Normal", reason: "Pulled", fieldPath, message: `Container image "${image}" already present on machine` }];
  return [
    ...pulled,
    { type: "Normal", reason: "Created", fieldPath, message: `Created container: ${name}` },
    { type: "Normal", reason: "Started", fieldPath, message: `Started container ${name}` },
  ];
}

function imageNotFound(image: string): string {
  const ref = image.includes("/") ? `docker.io/${image}` : `docker.io/library/${image}`;
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

function notReady(pod: V1Pod, now: Date, containerStatuses: V1PodStatus["containerStatuses"], names: string[]): V1PodStatus {
  return { ...baseStatus(pod, now), phase: "Running", conditions: podConditions({ now, ready: false, notReady: names }), containerStatuses };
}

function pending(pod: V1Pod, now: Date, containerStatuses: V1PodStatus["containerStatuses"], names: string[]): V1PodStatus {
  return { ...baseStatus(pod, now), phase: "Pending", conditions: podConditions({ now, ready: false, notReady: names }), containerStatuses };
}
