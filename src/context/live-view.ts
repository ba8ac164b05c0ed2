import type { CoreV1Api, CoreV1Event, KubeConfig, KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";
import { statusOf } from "../kube/errors.js";
import { liveClients, type KnownKind } from "./live-clients.js";
import type { ClusterView, EventQuery, ListOptions, LogRequest, LogResult, MetricsSource, ReadableKind } from "./view.js";

/**
 * A ClusterView over the Kubernetes API. Reads only (get, list, pods/log,
 * events); Secrets cannot be asked for. Results are memoised per instance, so
 * one investigation never asks twice for the same thing: use `fresh()` for the
 * next investigation. Views of one KubeConfig share their clients and
 * connections (live-clients.ts). `onRequest` sees every API request (verb, path).
 * Events come from one bounded list per namespace, filtered here.
 */

/** The most events one namespace list returns (kubectl's chunk size); beyond it, events are listed per object. */
export const EVENT_LIST_LIMIT = 500;

export interface LiveViewOptions {
  kubeConfig: KubeConfig;
  metrics?: MetricsSource;
  clock?: () => Date;
  onRequest?: (verb: string, path: string) => void;
  /** The most events one namespace list may return before events are listed per object (default EVENT_LIST_LIMIT). */
  eventListLimit?: number;
}

interface KindInfo {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

const CORE = (plural: string, namespaced = true): KindInfo => ({ apiVersion: "v1", plural, namespaced });
const APPS = (plural: string): KindInfo => ({ apiVersion: "apps/v1", plural, namespaced: true });

export const KINDS: Record<ReadableKind, KindInfo> = {
  Pod: CORE("pods"),
  Event: CORE("events"),
  ReplicaSet: APPS("replicasets"),
  Deployment: APPS("deployments"),
  StatefulSet: APPS("statefulsets"),
  DaemonSet: APPS("daemonsets"),
  ControllerRevision: APPS("controllerrevisions"),
  Job: { apiVersion: "batch/v1", plural: "jobs", namespaced: true },
  CronJob: { apiVersion: "batch/v1", plural: "cronjobs", namespaced: true },
  Node: CORE("nodes", false),
  Namespace: CORE("namespaces", false),
  PersistentVolumeClaim: CORE("persistentvolumeclaims"),
  PersistentVolume: CORE("persistentvolumes", false),
  StorageClass: { apiVersion: "storage.k8s.io/v1", plural: "storageclasses", namespaced: false },
  NetworkPolicy: { apiVersion: "networking.k8s.io/v1", plural: "networkpolicies", namespaced: true },
  Service: CORE("services"),
  Endpoints: CORE("endpoints"),
  ConfigMap: CORE("configmaps"),
  ResourceQuota: CORE("resourcequotas"),
  LimitRange: CORE("limitranges"),
  ProductionIncident: { apiVersion: "productionfixer.io/v1alpha1", plural: "productionincidents", namespaced: true },
  ProductionAlert: { apiVersion: "productionfixer.io/v1alpha1", plural: "productionalerts", namespaced: true },
};

function knownKind(apiVersion: string, kind: string): KnownKind | undefined {
  const k = (KINDS as Record<string, KindInfo | undefined>)[kind];
  return k && k.apiVersion === apiVersion ? k : undefined;
}

/** The REST path of a kind (and object), as the apiserver sees it. */
export function apiPath(kind: ReadableKind, namespace: string | undefined, name?: string): string {
  const k = KINDS[kind];
  const group = k.apiVersion === "v1" ? "/api/v1" : `/apis/${k.apiVersion}`;
  const ns = k.namespaced && namespace ? `/namespaces/${namespace}` : "";
  return `${group}${ns}/${k.plural}${name ? `/${name}` : ""}`;
}

function messageOf(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  const parsed = typeof body === "string" ? safeJson(body) : body;
  const msg = (parsed as { message?: unknown } | undefined)?.message;
  return typeof msg === "string" ? msg : err instanceof Error ? err.message : String(err);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const refOf = (kind: string, namespace: string | undefined, name?: string): string => `${kind} ${namespace ? `${namespace}/` : ""}${name ?? ""}`.trim();

export class LiveView implements ClusterView {
  readonly metrics?: MetricsSource;
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: LiveViewOptions) {
    if (opts.metrics) this.metrics = opts.metrics;
    const clients = liveClients(opts.kubeConfig, knownKind);
    this.objects = clients.objects;
    this.core = clients.core;
  }

  /** A view with an empty memo, sharing configuration: one per investigation. */
  fresh(): LiveView {
    return new LiveView(this.opts);
  }

  now(): Date {
    return this.opts.clock ? this.opts.clock() : new Date();
  }

  async get(kind: ReadableKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const k = KINDS[kind];
    const ns = k.namespaced ? namespace : undefined;
    return this.memo(`get ${apiPath(kind, ns, name)}`, async () => {
      try {
        const obj = await this.objects.read<KubernetesObject>({ apiVersion: k.apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}) } });
        return { ...obj, apiVersion: obj.apiVersion ?? k.apiVersion, kind: obj.kind ?? kind } as KubeObject;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw new Error(`could not get ${refOf(kind, ns, name)}: ${messageOf(err)}`, { cause: err });
      }
    });
  }

  async list(kind: ReadableKind, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeObject[]> {
    const k = KINDS[kind];
    const ns = k.namespaced ? namespace : undefined;
    const query = [opts.labelSelector && `labelSelector=${opts.labelSelector}`, opts.fieldSelector && `fieldSelector=${opts.fieldSelector}`].filter(Boolean).join("&");
    return this.memo(`list ${apiPath(kind, ns)}${query ? `?${query}` : ""}`, async () => {
      try {
        const list = await this.objects.list<KubernetesObject>(k.apiVersion, kind, ns, undefined, undefined, undefined, opts.fieldSelector, opts.labelSelector);
        return list.items.map((o) => ({ ...o, apiVersion: o.apiVersion ?? k.apiVersion, kind: o.kind ?? kind }) as KubeObject);
      } catch (err) {
        throw new Error(`could not list ${kind}${ns ? ` in ${ns}` : ""}: ${messageOf(err)}`, { cause: err });
      }
    });
  }

  async logs(req: LogRequest): Promise<LogResult> {
    const path = `${apiPath("Pod", req.namespace, req.pod)}/log?container=${req.container}${req.previous ? "&previous=true" : ""}`;
    return this.memo(`get ${path}&tail=${req.tailLines ?? ""}&limit=${req.limitBytes ?? ""}`, async () => {
      try {
        const text = await this.core.readNamespacedPodLog({
          name: req.pod,
          namespace: req.namespace,
          container: req.container,
          previous: req.previous ?? false,
          ...(req.limitBytes !== undefined ? { limitBytes: req.limitBytes } : {}),
          ...(req.tailLines !== undefined ? { tailLines: req.tailLines } : {}),
        });
        const body = typeof text === "string" ? text : String(text ?? "");
        return { found: true, text: body, truncated: req.limitBytes !== undefined && Buffer.byteLength(body) >= req.limitBytes };
      } catch (err) {
        return logFailure(err, req);
      }
    });
  }

  /**
   * Events of one object, from one bounded list of the namespace's events that
   * every query of this view shares (the pod and each owner cost one request
   * together). A namespace with more events than the bound falls back to one
   * field-selected list per object, so nothing is missed.
   */
  async events(q: EventQuery): Promise<CoreV1Event[]> {
    try {
      const all = await this.namespaceEvents(q.namespace);
      const mine = all ? all.filter((e) => involves(e, q)) : await this.objectEvents(q);
      return [...mine].sort((a, b) => eventTime(a) - eventTime(b));
    } catch (err) {
      throw new Error(`could not list events of ${refOf(q.kind, q.namespace, q.name)}: ${messageOf(err)}`, { cause: err });
    }
  }

  /** The namespace's events, or undefined when there are more than the limit. */
  private namespaceEvents(namespace: string): Promise<CoreV1Event[] | undefined> {
    const limit = this.opts.eventListLimit ?? EVENT_LIST_LIMIT;
    return this.memo(`list ${apiPath("Event", namespace)}?limit=${limit}`, async () => {
      const list = await this.core.listNamespacedEvent({ namespace, limit });
      return list.metadata?._continue ? undefined : list.items;
    });
  }

  private objectEvents(q: EventQuery): Promise<CoreV1Event[]> {
    const fieldSelector = q.uid ? `involvedObject.uid=${q.uid}` : `involvedObject.kind=${q.kind},involvedObject.name=${q.name}`;
    return this.memo(`list ${apiPath("Event", q.namespace)}?fieldSelector=${fieldSelector}`, async () => (await this.core.listNamespacedEvent({ namespace: q.namespace, fieldSelector })).items);
  }

  private memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit) return hit as Promise<T>;
    const [verb, path] = key.split(" ", 2) as [string, string];
    this.opts.onRequest?.(verb, path);
    const p = load();
    this.cache.set(key, p);
    // A failed request is not remembered: the next ask tries again.
    p.catch(() => this.cache.delete(key));
    return p;
  }
}

/**
 * The apiserver answers 204 No Content, without a Content-Type, for the logs of a
 * pod that has no node; the client cannot parse that and throws this, without a status.
 */
const NO_CONTENT = /No Content-Type defined/;

function logFailure(err: unknown, req: LogRequest): LogResult {
  const status = statusOf(err);
  const where = `${req.namespace}/${req.pod} (${req.container}${req.previous ? ", previous" : ""})`;
  if (status === 403) {
    throw new Error(`not allowed to read logs of ${where}: the identity needs "get" on pods/log in namespace ${req.namespace} (${messageOf(err)})`, { cause: err });
  }
  if (status === 400 || status === 404) return { found: false, reason: messageOf(err) };
  if (status === undefined && NO_CONTENT.test(messageOf(err))) return { found: false, reason: `pod ${req.namespace}/${req.pod} is not on a node yet, so it has no logs` };
  throw new Error(`could not read logs of ${where}: ${messageOf(err)}`, { cause: err });
}

/** What the apiserver's field selector on involvedObject would match: the uid when known, else kind and name. */
function involves(e: CoreV1Event, q: EventQuery): boolean {
  const io = e.involvedObject;
  return q.uid ? io?.uid === q.uid : io?.kind === q.kind && io?.name === q.name;
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const ms = t ? new Date(t as unknown as string).getTime() : 0;
  return Number.isFinite(ms) ? ms : 0;
}
