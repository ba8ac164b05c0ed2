// core/v1 Events as the kubelet and the scheduler record them, aggregated the way
// client-go's event correlator does: the same reason and message on the same object
// bump count and lastTimestamp instead of creating a new Event.
import type { CoreV1Api, CoreV1Event, V1Pod } from "@kubernetes/client-node";

export type EventComponent = "kubelet" | "default-scheduler" | "taint-eviction-controller";

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** e.g. "spec.containers{web}"; absent for pod-level events. */
  fieldPath?: string;
  component?: EventComponent;
}

export interface EventRecorderOptions {
  core: CoreV1Api;
  /** Node name reported as source.host for kubelet events. */
  host: string;
  clock?: () => Date;
}

export class EventRecorder {
  private readonly names = new Map<string, string>();
  private readonly clock: () => Date;
  private sequence = 0;

  constructor(private readonly opts: EventRecorderOptions) {
    this.clock = opts.clock ?? ((): Date => new Date());
  }

  async record(pod: V1Pod, input: EventInput): Promise<CoreV1Event> {
    const namespace = pod.metadata?.namespace ?? "default";
    const key = [pod.metadata?.uid, input.reason, input.message, input.fieldPath ?? "", input.component ?? "kubelet"].join("\0");
    const existing = this.names.get(key);
    const now = this.clock();
    if (existing) {
      const event = await this.opts.core.readNamespacedEvent({ namespace, name: existing });
      event.count = (event.count ?? 1) + 1;
      event.lastTimestamp = now;
      return this.opts.core.replaceNamespacedEvent({ namespace, name: existing, body: event });
    }
    const body = this.newEvent(pod, input, now);
    const created = await this.opts.core.createNamespacedEvent({ namespace, body });
    this.names.set(key, created.metadata?.name ?? "");
    return created;
  }

  private newEvent(pod: V1Pod, input: EventInput, now: Date): CoreV1Event {
    const component = input.component ?? "kubelet";
    const host = component === "kubelet" ? this.opts.host : undefined;
    const suffix = (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++)).toString(16);
    return {
      metadata: { name: `${pod.metadata?.name}.${suffix}`, namespace: pod.metadata?.namespace },
      involvedObject: {
        apiVersion: "v1",
        kind: "Pod",
        namespace: pod.metadata?.namespace,
        name: pod.metadata?.name,
        uid: pod.metadata?.uid,
        resourceVersion: pod.metadata?.resourceVersion,
        ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}),
      },
      type: input.type,
      reason: input.reason,
      message: input.message,
      source: { component, ...(host ? { host } : {}) },
      reportingComponent: component,
      reportingInstance: host ?? "",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
  }
}

export const containerPath = (name: string, init = false): string => `spec.${init ? "initContainers" : "containers"}{${name}}`;
