// A list+watch informer over the apiserver with a cache of transformed objects.
//
//   list (paged) ─► replace cache, emit diffs ─► watch from resourceVersion ─► apply events
//        ▲                                           │ 410 Gone: relist
//        └──────────── backoff + jitter ◄────────────┘ error or end: resume the watch
//
// Handlers run after the cache is updated and must be cheap (enqueue a key).
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { abortableDelay, backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
import { isGone } from "./errors.js";
import type { RequestCounter } from "./request-counter.js";
import { keyOf, objectKey, Store, type IndexFunc } from "./store.js";
import { stripMetadata } from "./transform.js";
import { HttpsTransport, type InformerTransport, type Query, type WatchEvent } from "./transport.js";
import { KubeHttpError } from "./errors.js";
import type { Logger } from "../telemetry/logger.js";

export type InformerEvent = "add" | "update" | "delete";
export type InformerHandler<T> = (obj: T, old?: T) => void;

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** Collection path, e.g. "/api/v1/pods", "/api/v1/namespaces/shop/pods", "/apis/productionfixer.io/v1alpha1/productionincidents". */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to each object before it is cached (may mutate and return its argument); default strips managedFields. */
  transform?: (obj: T) => T;
  logger: Logger;
  clock?: () => Date;
  backoff?: BackoffOptions;
  requestCounter?: RequestCounter;
  /** Objects per list page; default 100 (smaller pages keep the peak heap of a large first list low). */
  pageSize?: number;
  /** Server-side watch timeout in seconds (randomised up to twice this); default 300. */
  watchTimeoutSeconds?: number;
  /** Counts restarts (production_fixer_informer_restarts_total{resource}). */
  onRestart?: (resource: string, reason: string) => void;
  /** Tests: the list/watch transport, the delay function and the random source of the jitter. */
  transport?: InformerTransport;
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export class Informer<T extends KubernetesObject> {
  private readonly store = new Store<T>();
  private readonly handlers: Record<InformerEvent, InformerHandler<T>[]> = { add: [], update: [], delete: [] };
  private readonly syncedCallbacks: (() => void)[] = [];
  private readonly transport: InformerTransport;
  private readonly transform: (obj: T) => T;
  private readonly backoff: BackoffOptions;
  private readonly logger: Logger;
  readonly resource: string;
  private resourceVersion: string | undefined;
  private isSynced = false;
  private running = false;
  private abort = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  private syncedPromise: Promise<void>;
  private resolveSynced!: () => void;
  /** Last time an event or a list arrived (for diagnostics). */
  lastActivity: Date | undefined;

  constructor(private readonly opts: InformerOptions<T>) {
    if (!opts.path.startsWith("/api")) throw new Error(`informer path must start with /api or /apis, got "${opts.path}"`);
    this.transport = opts.transport ?? new HttpsTransport(opts.kubeConfig, opts.requestCounter);
    this.transform = opts.transform ?? stripMetadata;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.resource = opts.path.split("/").filter(Boolean).at(-1) ?? opts.path;
    this.logger = opts.logger.child({ informer: this.resource, path: opts.path });
    this.syncedPromise = new Promise((resolve) => (this.resolveSynced = resolve));
  }

  on(event: InformerEvent, handler: InformerHandler<T>): void {
    this.handlers[event].push(handler);
  }

  /** Called once, after the first complete list has filled the cache (immediately if already synced). */
  onSynced(cb: () => void): void {
    if (this.isSynced) cb();
    else this.syncedCallbacks.push(cb);
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  synced(): Promise<void> {
    return this.syncedPromise;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loopDone = this.loop(this.abort.signal);
  }

  /** Stops the list/watch; the cache stays readable. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort(new Error(`informer ${this.resource} stopped`));
    await this.loopDone;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(keyOf(namespace, name));
  }

  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  get size(): number {
    return this.store.size;
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.store.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist(signal);
        const received = await this.watchOnce(signal);
        failures = received ? 0 : failures + 1;
        this.restarted("watch ended", failures);
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        this.handleError(err, failures);
      }
      await this.pause(Math.max(1, failures), signal);
    }
  }

  private handleError(err: unknown, failures: number): void {
    if (isGone(err)) {
      this.logger.info({ resourceVersion: this.resourceVersion }, "resourceVersion expired (410 Gone); relisting");
      this.resourceVersion = undefined;
      this.restarted("gone", failures);
      return;
    }
    this.logger.warn({ err, failures }, `list/watch of ${this.resource} failed; retrying with backoff`);
    this.restarted("error", failures);
  }

  private restarted(reason: string, failures: number): void {
    this.logger.debug({ reason, failures }, "restarting watch");
    this.opts.onRestart?.(this.resource, reason);
  }

  private async pause(attempt: number, signal: AbortSignal): Promise<void> {
    const ms = backoffDelay(attempt, this.backoff, this.opts.random);
    try {
      await (this.opts.delay ?? abortableDelay)(ms, signal);
    } catch {
      // stopped
    }
  }

  private baseQuery(): Query {
    return { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
  }

  /** Lists every page, then replaces the cache and emits the differences. */
  private async relist(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.transport.list<T>(this.opts.path, { ...this.baseQuery(), limit: this.opts.pageSize ?? 100, continue: cont }, signal);
      for (const item of page.items ?? []) {
        const obj = this.transform(item);
        fresh.set(objectKey(obj), obj);
      }
      cont = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (cont);
    this.replace(fresh);
    this.resourceVersion = resourceVersion;
    this.lastActivity = this.now();
    this.logger.debug({ objects: fresh.size, resourceVersion }, "listed");
    this.markSynced();
  }

  private replace(fresh: Map<string, T>): void {
    const gone = [...this.store.keys()].filter((k) => !fresh.has(k));
    for (const key of gone) {
      const old = this.store.delete(key);
      if (old) this.emit("delete", old);
    }
    for (const obj of fresh.values()) {
      const old = this.store.set(obj);
      if (!old) this.emit("add", obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit("update", obj, old);
    }
  }

  private markSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.resolveSynced();
    for (const cb of this.syncedCallbacks.splice(0)) this.safely(cb);
  }

  /** One watch request; resolves true when it delivered at least one event. */
  private async watchOnce(signal: AbortSignal): Promise<boolean> {
    const base = this.opts.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.round(base * (1 + (this.opts.random ?? Math.random)()));
    let received = false;
    const query = { ...this.baseQuery(), resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
    await this.transport.watch<T>(this.opts.path, query, signal, (event) => {
      received = true;
      this.apply(event);
    });
    return received;
  }

  private apply(event: WatchEvent<T>): void {
    this.lastActivity = this.now();
    if (event.type === "ERROR") throw statusError(event.object);
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === "BOOKMARK") {
      if (rv) this.resourceVersion = rv;
      return;
    }
    const obj = this.transform(event.object);
    if (event.type === "DELETED") {
      const old = this.store.delete(objectKey(obj));
      this.emit("delete", old ?? obj);
    } else {
      const old = this.store.set(obj);
      if (old) this.emit("update", obj, old);
      else this.emit("add", obj);
    }
    if (rv) this.resourceVersion = rv;
  }

  private emit(event: InformerEvent, obj: T, old?: T): void {
    for (const handler of this.handlers[event]) this.safely(() => handler(obj, old));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err }, "informer handler threw; handlers must not throw");
    }
  }

  private now(): Date {
    return this.opts.clock ? this.opts.clock() : new Date();
  }
}

function statusError(status: unknown): KubeHttpError {
  const s = (status ?? {}) as { code?: number; message?: string; reason?: string };
  return new KubeHttpError(`watch error: ${s.message ?? s.reason ?? "unknown"}`, s.code ?? 500, JSON.stringify(status));
}
