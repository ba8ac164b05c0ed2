// Kubernetes Events (events.k8s.io/v1) on the objects the operator looks at.
// Repeats of the same event (same object, type, reason and note) within the
// dedup window update the first event's series.count instead of creating more.
// Recording never throws: a lost Event must not fail a reconcile.
import { randomBytes } from "node:crypto";
import { V1MicroTime, type EventsV1Event } from "@kubernetes/client-node";
import type { KubeClients } from "./clients.js";
import { isNotFound } from "./errors.js";
import type { Logger } from "../telemetry/logger.js";

export const REPORTING_CONTROLLER = "productionfixer.io/production-fixer";
const NOTE_LIMIT = 1024;
const MAX_TRACKED = 4096;

export interface EventObjectRef {
  apiVersion?: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  clients: KubeClients;
  /** reportingController; default "productionfixer.io/production-fixer". */
  component?: string;
  /** reportingInstance, e.g. the pod name of this replica. */
  instance: string;
  clock?: () => Date;
  logger: Logger;
  /** Repeats within this window become series updates; default 10 minutes. */
  dedupWindowMs?: number;
}

interface Tracked {
  namespace: string;
  name: string;
  count: number;
  firstSeen: number;
  /** Serialises records of one key so repeats never race into two Events. */
  chain: Promise<void>;
}

export class EventRecorder {
  private readonly tracked = new Map<string, Tracked>();
  private readonly clock: () => Date;
  private readonly windowMs: number;
  private failed = 0;

  constructor(private readonly opts: EventRecorderOptions) {
    this.clock = opts.clock ?? ((): Date => new Date());
    this.windowMs = opts.dedupWindowMs ?? 10 * 60_000;
  }

  /** Events that could not be written. */
  errors(): number {
    return this.failed;
  }

  // The signature mirrors client-go's recorder.Eventf (regarding, type, reason, note) plus related.
  // eslint-disable-next-line max-params
  record(regarding: EventObjectRef, type: EventType, reason: string, note: string, related?: Omit<EventObjectRef, "uid"> & { uid?: string }): Promise<void> {
    const key = [regarding.namespace, regarding.kind, regarding.name, regarding.uid ?? "", type, reason, note].join("\u0000");
    const now = this.clock().getTime();
    let entry = this.tracked.get(key);
    if (entry && now - entry.firstSeen > this.windowMs) entry = undefined;
    if (!entry) {
      entry = { namespace: regarding.namespace, name: "", count: 0, firstSeen: now, chain: Promise.resolve() };
      this.remember(key, entry);
    }
    const current = entry;
    const input = { regarding, type, reason, note, related };
    current.chain = current.chain.then(() => this.write(current, input)).catch((err: unknown) => this.fail(err, input));
    return current.chain;
  }

  private remember(key: string, entry: Tracked): void {
    this.tracked.delete(key);
    this.tracked.set(key, entry);
    if (this.tracked.size > MAX_TRACKED) {
      const oldest = this.tracked.keys().next().value;
      if (oldest !== undefined) this.tracked.delete(oldest);
    }
  }

  private async write(entry: Tracked, input: EventInput): Promise<void> {
    if (entry.count > 0 && (await this.bump(entry))) return;
    const created = await this.opts.clients.events.createNamespacedEvent({ namespace: input.regarding.namespace, body: this.build(input) });
    entry.name = created.metadata?.name ?? "";
    entry.count = 1;
  }

  /** Updates series of the tracked event; false when it is gone (expired) and a new one must be created. */
  private async bump(entry: Tracked): Promise<boolean> {
    const count = entry.count + 1;
    const series = { count, lastObservedTime: new V1MicroTime(this.clock().getTime()) };
    try {
      await this.opts.clients.events.patchNamespacedEvent({
        namespace: entry.namespace,
        name: entry.name,
        body: [{ op: "add", path: "/series", value: series }],
      });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    entry.count = count;
    return true;
  }

  private build(input: EventInput): EventsV1Event {
    const { regarding, related } = input;
    const now = this.clock();
    return {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: `${regarding.name}.${now.getTime().toString(16)}${randomBytes(3).toString("hex")}`, namespace: regarding.namespace },
      eventTime: new V1MicroTime(now.getTime()),
      reportingController: this.opts.component ?? REPORTING_CONTROLLER,
      reportingInstance: this.opts.instance.slice(0, 128),
      action: input.reason.slice(0, 128),
      reason: input.reason.slice(0, 128),
      type: input.type,
      note: truncate(input.note, NOTE_LIMIT),
      regarding: { apiVersion: regarding.apiVersion, kind: regarding.kind, namespace: regarding.namespace, name: regarding.name, uid: regarding.uid },
      related: related ? { apiVersion: related.apiVersion, kind: related.kind, namespace: related.namespace, name: related.name, uid: related.uid } : undefined,
    };
  }

  private fail(err: unknown, input: EventInput): void {
    this.failed++;
    const { regarding } = input;
    this.opts.logger.warn({ err, reason: input.reason, object: `${regarding.kind} ${regarding.namespace}/${regarding.name}` }, `could not record event ${input.reason} on ${regarding.kind} ${regarding.namespace}/${regarding.name}`);
  }
}

interface EventInput {
  regarding: EventObjectRef;
  type: EventType;
  reason: string;
  note: string;
  related?: EventObjectRef | undefined;
}

function truncate(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}
