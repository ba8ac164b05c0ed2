// In-memory stand-ins for the incident API, the informer caches and Events,
// consistent like a single apiserver (resourceVersions, 409s, AlreadyExists).
import type { V1Pod } from "@kubernetes/client-node";
import { LABEL_FINGERPRINT } from "../../src/api/common.js";
import type { ProductionIncident } from "../../src/api/incident.js";
import type { Cache, EventSink, IncidentApi, ObjectRef } from "../../src/incidents/ports.js";
import { INDEX_WORKLOAD, workloadIndex } from "../../src/incidents/resolver.js";

export function apiError(code: number, reason: string): Error {
  return Object.assign(new Error(`HTTP ${code} ${reason}`), { code, body: JSON.stringify({ kind: "Status", reason, code }) });
}

const clone = <T>(v: T): T => structuredClone(v);
const keyOf = (ns: string | undefined, name: string | undefined): string => `${ns ?? "default"}/${name ?? ""}`;

export class FakeIncidents implements IncidentApi {
  readonly items = new Map<string, ProductionIncident>();
  private rv = 100;
  creates = 0;
  statusWrites = 0;
  /** Throws this on the next replaceStatus calls (then clears). */
  failNextStatus: Error[] = [];

  async create(incident: ProductionIncident): Promise<ProductionIncident> {
    const k = keyOf(incident.metadata.namespace, incident.metadata.name);
    if (this.items.has(k)) throw apiError(409, "AlreadyExists");
    this.creates++;
    const obj = clone({ ...incident, metadata: { ...incident.metadata, uid: `uid-${this.rv}`, generation: 1, resourceVersion: String(++this.rv), creationTimestamp: new Date().toISOString() }, status: undefined });
    this.items.set(k, obj);
    return clone(obj);
  }

  async get(namespace: string, name: string): Promise<ProductionIncident | undefined> {
    const o = this.items.get(keyOf(namespace, name));
    return o && clone(o);
  }

  async replaceStatus(incident: ProductionIncident): Promise<ProductionIncident> {
    const injected = this.failNextStatus.shift();
    if (injected) throw injected;
    const k = keyOf(incident.metadata.namespace, incident.metadata.name);
    const cur = this.items.get(k);
    if (!cur) throw apiError(404, "NotFound");
    if (incident.metadata.resourceVersion !== cur.metadata.resourceVersion) throw apiError(409, "Conflict");
    this.statusWrites++;
    const obj = clone({ ...cur, status: incident.status, metadata: { ...cur.metadata, resourceVersion: String(++this.rv) } });
    this.items.set(k, obj);
    return clone(obj);
  }

  async delete(namespace: string, name: string): Promise<void> {
    this.items.delete(keyOf(namespace, name));
  }

  /** Someone else changes the object (bumps the resourceVersion). */
  touch(namespace: string, name: string): void {
    const cur = this.items.get(keyOf(namespace, name));
    if (cur) this.items.set(keyOf(namespace, name), { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++this.rv) } });
  }

  /** The informer cache's view (always up to date). */
  readonly cache: Cache<ProductionIncident> = {
    get: (namespace, name) => this.items.get(keyOf(namespace, name)),
    list: (namespace) => this.list(namespace),
    byIndex: (index, value) => this.byIndex(index, value),
  };

  list(namespace?: string): ProductionIncident[] {
    return [...this.items.values()].filter((i) => namespace === undefined || i.metadata.namespace === namespace);
  }

  byIndex(_index: string, value: string): ProductionIncident[] {
    return this.list().filter((i) => i.metadata.labels?.[LABEL_FINGERPRINT] === value);
  }
}

export class FakePods implements Cache<V1Pod> {
  readonly items = new Map<string, V1Pod>();

  set(pod: V1Pod): void {
    this.items.set(keyOf(pod.metadata?.namespace, pod.metadata?.name), pod);
  }

  remove(namespace: string, name: string): void {
    this.items.delete(keyOf(namespace, name));
  }

  get(namespace: string | undefined, name: string): V1Pod | undefined {
    return this.items.get(keyOf(namespace, name));
  }

  list(namespace?: string): V1Pod[] {
    return [...this.items.values()].filter((p) => namespace === undefined || p.metadata?.namespace === namespace);
  }

  byIndex(index: string, value: string): V1Pod[] {
    if (index !== INDEX_WORKLOAD) throw new Error(`no index ${index}`);
    return this.list().filter((p) => workloadIndex(p).includes(value));
  }
}

export interface RecordedEvent {
  regarding: ObjectRef;
  type: string;
  reason: string;
  note: string;
  related?: ObjectRef;
}

export class FakeEvents implements EventSink {
  readonly events: RecordedEvent[] = [];
  // eslint-disable-next-line max-params
  async record(regarding: ObjectRef, type: "Normal" | "Warning", reason: string, note: string, related?: ObjectRef): Promise<void> {
    this.events.push({ regarding, type, reason, note, ...(related ? { related } : {}) });
  }
}

/** A pod of Deployment `workload` in CrashLoopBackOff (or running when crashing is false). */
export function deploymentPod(input: { namespace?: string; workload: string; index: number; crashing?: boolean; exitCode?: number; restartCount?: number }): V1Pod {
  const namespace = input.namespace ?? "shop";
  const hash = "5d8f7c9b4";
  const waiting = { waiting: { reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container" } };
  const running = { running: { startedAt: new Date() } };
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: {
      name: `${input.workload}-${hash}-p${input.index}`, namespace, uid: `pod-${input.workload}-${input.index}`,
      labels: { app: input.workload, "pod-template-hash": hash },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${input.workload}-${hash}`, uid: "rs", controller: true }],
    },
    spec: { containers: [{ name: "app", image: "app:1" }] },
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "app", image: "app:1", imageID: "", ready: input.crashing === false, restartCount: input.restartCount ?? 3,
        state: input.crashing === false ? running : waiting,
        lastState: { terminated: { exitCode: input.exitCode ?? 1, reason: "Error", finishedAt: new Date() } },
      }],
    },
  };
}
