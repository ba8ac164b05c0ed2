// Writing our custom resources: create, read, list, delete, and status updates
// through the status subresource with optimistic concurrency (PUT with the
// resourceVersion that was read; 409 means re-read and re-apply). See
// docs/adr/0003-status-writes.md.
import type { KubernetesObject } from "@kubernetes/client-node";
import { FIELD_MANAGER, GROUP, VERSION } from "../api/index.js";
import type { KubeClients } from "./clients.js";
import { isConflict, isNotFound, KubeHttpError } from "./errors.js";

export interface UpdateStatusOptions<T> {
  /** Reads the current object (fresh from the API, not from a cache). */
  get: () => Promise<T>;
  /** Returns the object with its new status, or undefined when nothing changes. May modify its argument (a fresh read). */
  mutate: (current: T) => T | undefined;
  /** PUTs the status subresource; the object's resourceVersion makes the write conditional. */
  replaceStatus: (next: T) => Promise<T>;
  /** Tries in all; default 5. */
  attempts?: number;
}

/** Applies mutate to a fresh read and writes it; on 409 Conflict reads again and re-applies. Undefined when mutate made no change. */
export async function updateStatusWithRetry<T>(opts: UpdateStatusOptions<T>): Promise<T | undefined> {
  const attempts = opts.attempts ?? 5;
  let lastConflict: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const next = opts.mutate(await opts.get());
    if (next === undefined) return undefined;
    try {
      return await opts.replaceStatus(next);
    } catch (err) {
      if (!isConflict(err)) throw err;
      lastConflict = err;
    }
  }
  throw new Error(`status update still conflicted after ${attempts} attempts`, { cause: lastConflict });
}

export type CustomPlural = "productionincidents" | "productionalerts";

export interface CustomObjectStoreOptions<T> {
  clients: KubeClients;
  plural: CustomPlural;
  /** Checks or converts what the API returns (e.g. a zod parse); default: a cast. */
  parse?: (obj: unknown) => T;
}

/** CRUD and status writes for one of our custom resources, with FIELD_MANAGER on every write. */
export class CustomObjectStore<T extends KubernetesObject> {
  private readonly parse: (obj: unknown) => T;

  constructor(private readonly opts: CustomObjectStoreOptions<T>) {
    this.parse = opts.parse ?? ((obj: unknown): T => obj as T);
  }

  private get api(): KubeClients["custom"] {
    return this.opts.clients.custom;
  }

  private where(ns: string, name?: string): string {
    return `${this.opts.plural} ${name ? `${ns}/${name}` : `in ${ns}`}`;
  }

  private get base(): { group: string; version: string; plural: string } {
    return { group: GROUP, version: VERSION, plural: this.opts.plural };
  }

  async create(ns: string, body: T): Promise<T> {
    try {
      return this.parse(await this.api.createNamespacedCustomObject({ ...this.base, namespace: ns, body, fieldManager: FIELD_MANAGER }));
    } catch (err) {
      throw new Error(`could not create ${this.where(ns, body.metadata?.name ?? body.metadata?.generateName)}`, { cause: err });
    }
  }

  /** The object, or undefined when it does not exist. */
  async get(ns: string, name: string): Promise<T | undefined> {
    try {
      return this.parse(await this.api.getNamespacedCustomObject({ ...this.base, namespace: ns, name }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new Error(`could not read ${this.where(ns, name)}`, { cause: err });
    }
  }

  /** All objects in ns (all namespaces when ns is undefined), optionally by label selector. */
  async list(ns?: string, labelSelector?: string): Promise<T[]> {
    try {
      const res = (ns === undefined
        ? await this.api.listClusterCustomObject({ ...this.base, labelSelector })
        : await this.api.listNamespacedCustomObject({ ...this.base, namespace: ns, labelSelector })) as { items?: unknown[] };
      return (res.items ?? []).map((o) => this.parse(o));
    } catch (err) {
      throw new Error(`could not list ${this.where(ns ?? "all namespaces")}`, { cause: err });
    }
  }

  /** PUTs status; body.metadata.resourceVersion makes it conditional (409 when stale). */
  async replaceStatus(ns: string, name: string, body: T): Promise<T> {
    try {
      return this.parse(await this.api.replaceNamespacedCustomObjectStatus({ ...this.base, namespace: ns, name, body, fieldManager: FIELD_MANAGER }));
    } catch (err) {
      throw new Error(`could not write the status of ${this.where(ns, name)}`, { cause: err });
    }
  }

  /** Deletes the object; a missing object is not an error. */
  async delete(ns: string, name: string): Promise<void> {
    try {
      await this.api.deleteNamespacedCustomObject({ ...this.base, namespace: ns, name, propagationPolicy: "Background" });
    } catch (err) {
      if (isNotFound(err)) return;
      throw new Error(`could not delete ${this.where(ns, name)}`, { cause: err });
    }
  }

  /**
   * Reads the object, applies mutate and writes the status, retrying on conflicts.
   * Undefined when mutate returned undefined; throws (404 in the cause) when the object is gone.
   */
  async updateStatus(ns: string, name: string, mutate: (current: T) => T | undefined, attempts?: number): Promise<T | undefined> {
    return updateStatusWithRetry<T>({
      get: async () => {
        const current = await this.get(ns, name);
        if (!current) throw new KubeHttpError(`${this.where(ns, name)} no longer exists`, 404);
        return current;
      },
      mutate,
      replaceStatus: (next) => this.replaceStatus(ns, name, next),
      attempts,
    });
  }
}
