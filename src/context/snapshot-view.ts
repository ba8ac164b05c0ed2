import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import type { ClusterSnapshot, KubeObject, SnapshotLog } from "../api/snapshot.js";
import { matchesFieldSelector, matchesLabelSelector } from "./selectors.js";
import { SnapshotMetrics } from "./snapshot-metrics.js";
import type { ClusterView, EventQuery, ListOptions, LogRequest, LogResult, MetricsSource, ReadableKind } from "./view.js";

export { loadSnapshot, parseSnapshot, SnapshotError, formatPath } from "./snapshot-load.js";

const CLUSTER_SCOPED = new Set(["Node", "Namespace", "PersistentVolume", "StorageClass"]);

/** Everything a ClusterView can say about a ClusterSnapshot, answered as the API server and kubelet would. */
export class SnapshotView implements ClusterView {
  readonly metrics?: MetricsSource;
  private readonly captured: Date;

  constructor(private readonly snapshot: ClusterSnapshot) {
    this.captured = new Date(snapshot.capturedAt);
    if (snapshot.metrics.length > 0) this.metrics = new SnapshotMetrics(snapshot.metrics);
  }

  now(): Date {
    return new Date(this.captured);
  }

  async get(kind: ReadableKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return this.objectsOf(kind, namespace).find((o) => o.metadata.name === name);
  }

  async list(kind: ReadableKind, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeObject[]> {
    const labels = (o: KubeObject): Record<string, string> | undefined => (o.metadata as { labels?: Record<string, string> }).labels;
    return this.objectsOf(kind, namespace).filter((o) => matchesLabelSelector(labels(o), opts.labelSelector) && matchesFieldSelector(o, opts.fieldSelector));
  }

  async logs(req: LogRequest): Promise<LogResult> {
    const pod = (await this.get("Pod", req.namespace, req.pod)) as V1Pod | undefined;
    if (!pod) return { found: false, reason: `pods "${req.pod}" not found` };
    const entry = this.snapshot.logs.find(
      (l) => l.namespace === req.namespace && l.pod === req.pod && l.container === req.container && l.previous === (req.previous ?? false),
    );
    if (!entry) return { found: false, reason: missingLogReason(pod, req) };
    return sliceLog(entry, req);
  }

  async events(q: EventQuery): Promise<CoreV1Event[]> {
    return this.objectsOf("Event", q.namespace)
      .map(asCoreEvent)
      .filter((e) => involves(e, q))
      .sort((a, b) => eventTime(a) - eventTime(b));
  }

  private objectsOf(kind: string, namespace: string | undefined): KubeObject[] {
    const scoped = !CLUSTER_SCOPED.has(kind) && namespace !== undefined;
    return this.snapshot.objects.filter((o) => o.kind === kind && (!scoped || o.metadata.namespace === namespace));
  }
}

/** What a kubelet answers when the log asked for does not exist. */
function missingLogReason(pod: V1Pod, req: LogRequest): string {
  const { spec, status } = pod;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
  if (!all.includes(req.container)) return `container ${req.container} is not valid for pod ${req.pod}`;
  if (req.previous) return `previous terminated container "${req.container}" in pod "${req.pod}" not found`;
  const waiting = waitingState(status, req.container);
  if (waiting) return `container "${req.container}" in pod "${req.pod}" is waiting to start: ${waiting.reason ?? "ContainerCreating"}`;
  return `no log of container "${req.container}" in pod "${req.pod}" was captured in the snapshot`;
}

function waitingState(status: V1Pod["status"], container: string): { reason?: string } | undefined {
  const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  return statuses.find((s) => s.name === container)?.state?.waiting;
}

/** tailLines first, then limitBytes, as the kubelet applies them. */
function sliceLog(entry: SnapshotLog, req: LogRequest): LogResult {
  let text = entry.text;
  let truncated = false;
  if (req.tailLines !== undefined) {
    const lines = text.split("\n");
    const trailing = lines.at(-1) === "" ? 1 : 0;
    if (lines.length - trailing > req.tailLines) {
      text = lines.slice(lines.length - trailing - req.tailLines).join("\n");
      truncated = true;
    }
  }
  if (req.limitBytes !== undefined && Buffer.byteLength(text) > req.limitBytes) {
    text = Buffer.from(text).subarray(0, req.limitBytes).toString("utf8");
    truncated = true;
  }
  return { found: true, text, truncated };
}

interface EventsV1Shape {
  regarding?: CoreV1Event["involvedObject"];
  note?: string;
  deprecatedCount?: number;
  deprecatedLastTimestamp?: string;
  deprecatedFirstTimestamp?: string;
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
}

/** Accepts core/v1 Events and events.k8s.io/v1 Events alike, returning the core/v1 shape. */
function asCoreEvent(o: KubeObject): CoreV1Event {
  const e = o as unknown as CoreV1Event & EventsV1Shape;
  if (e.involvedObject || !e.regarding) return e;
  const last = e.series?.lastObservedTime ?? e.deprecatedLastTimestamp ?? (e.eventTime as unknown as string | undefined);
  return {
    ...e,
    involvedObject: e.regarding,
    message: e.note,
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    lastTimestamp: last as unknown as Date,
    firstTimestamp: (e.deprecatedFirstTimestamp ?? last) as unknown as Date,
    source: { component: e.reportingController },
  } as CoreV1Event;
}

function involves(e: CoreV1Event, q: EventQuery): boolean {
  const io = e.involvedObject;
  if (q.uid && io.uid) return io.uid === q.uid;
  return io.kind === q.kind && io.name === q.name;
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const ms = t ? new Date(t as unknown as string).getTime() : 0;
  return Number.isFinite(ms) ? ms : 0;
}
