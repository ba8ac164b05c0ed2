// What the fake kubelet knows about container logs, and how a kubelet answers a
// /containerLogs request: the same checks (pkg/kubelet/server/server.go getContainerLogs
// and kubelet_pods.go validateContainerLogStatus), the same messages and status codes.
import type { V1Container, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

export interface SetLogInput {
  namespace: string;
  pod: string;
  container: string;
  /** The log of the previous (terminated) instance, as `kubectl logs --previous` shows it. */
  previous?: boolean;
  text: string;
  /** Time stamped on every line (default: now). Use `lines` for per-line times. */
  time?: Date;
  /** Per-line times instead of text. */
  lines?: Array<{ time: Date; line: string }>;
}

export interface LogEntry {
  time: Date;
  line: string;
}

export interface LogQuery {
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
  timestamps?: boolean;
}

export interface LogRefusal {
  status: number;
  message: string;
}

const key = (ns: string, pod: string, container: string, previous: boolean): string =>
  `${ns}/${pod}/${container}/${previous ? "previous" : "current"}`;

export class LogStore {
  private readonly logs = new Map<string, LogEntry[]>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  set(input: SetLogInput): void {
    const time = input.time ?? this.clock();
    const entries =
      input.lines ?? input.text.replace(/\n$/, "").split("\n").map((line) => ({ time, line }));
    this.logs.set(key(input.namespace, input.pod, input.container, input.previous ?? false), entries);
  }

  get(ns: string, pod: string, container: string, previous: boolean): LogEntry[] {
    return this.logs.get(key(ns, pod, container, previous)) ?? [];
  }
}

/** kubelet's log timestamp format: RFC 3339 with nine fractional digits. */
export function kubeletTimestamp(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** Applies sinceSeconds/sinceTime, tailLines, timestamps and limitBytes like the kubelet. */
export function renderLog(entries: LogEntry[], query: LogQuery, now: Date): string {
  let selected = entries;
  const since = query.sinceTime ?? (query.sinceSeconds !== undefined ? new Date(now.getTime() - query.sinceSeconds * 1000) : undefined);
  if (since) selected = selected.filter((e) => e.time.getTime() >= since.getTime());
  if (query.tailLines !== undefined && query.tailLines >= 0) selected = query.tailLines === 0 ? [] : selected.slice(-query.tailLines);
  const text = selected.map((e) => `${query.timestamps ? `${kubeletTimestamp(e.time)} ` : ""}${e.line}\n`).join("");
  if (query.limitBytes === undefined || query.limitBytes <= 0) return text;
  return Buffer.from(text, "utf8").subarray(0, query.limitBytes).toString("utf8");
}

function allContainers(pod: V1Pod): V1Container[] {
  const spec = pod.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...((spec?.ephemeralContainers ?? []) as V1Container[])];
}

function allStatuses(pod: V1Pod): V1ContainerStatus[] {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])];
}

/** undefined when the kubelet would serve the log; otherwise its refusal. */
export function checkLogRequest(pod: V1Pod, container: string, previous: boolean): LogRefusal | undefined {
  const podName = pod.metadata?.name ?? "";
  if (!allContainers(pod).some((c) => c.name === container)) {
    return { status: 404, message: `container "${container}" not found in pod "${podName}"` };
  }
  const message = containerStatusProblem(allStatuses(pod).find((s) => s.name === container), previous);
  return message === undefined ? undefined : { status: 400, message: message(container, podName) };
}

type Message = (container: string, pod: string) => string;

function containerStatusProblem(status: V1ContainerStatus | undefined, previous: boolean): Message | undefined {
  if (!status) return (c, p) => `container "${c}" in pod "${p}" is not available`;
  const last = status.lastState?.terminated;
  const { waiting, running, terminated } = status.state ?? {};
  if (previous) {
    return last?.containerID ? undefined : (c, p) => `previous terminated container "${c}" in pod "${p}" not found`;
  }
  if (running) return undefined;
  if (terminated) {
    return terminated.containerID || last?.containerID ? undefined : (c, p) => `container "${c}" in pod "${p}" is terminated`;
  }
  if (last) return last.containerID ? undefined : (c, p) => `container "${c}" in pod "${p}" is terminated`;
  if (waiting) return waitingProblem(waiting.reason ?? "");
  return (c, p) => `container "${c}" in pod "${p}" is waiting to start - no logs yet`;
}

function waitingProblem(reason: string): Message {
  if (reason === "ErrImagePull") return (c, p) => `container "${c}" in pod "${p}" is waiting to start: image can't be pulled`;
  if (reason === "ImagePullBackOff") return (c, p) => `container "${c}" in pod "${p}" is waiting to start: trying and failing to pull image`;
  return (c, p) => `container "${c}" in pod "${p}" is waiting to start: ${reason}`;
}
