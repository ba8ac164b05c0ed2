// Writes incidents: create with spec, then status through the status subresource
// on the newest copy we know (ours or the informer's), re-reading and retrying on
// 409. Our own last write is remembered so a lagging cache never sends a stale
// resourceVersion or makes us act on an old phase.
import type { IncidentStatus, ProductionIncident } from "../api/incident.js";
import { isAlreadyExists, isConflict, isNotFound } from "../kube/errors.js";
import type { Cache, IncidentApi } from "./ports.js";
import { fitStatus } from "./trim.js";

export type StatusMutation = (current: ProductionIncident) => IncidentStatus | undefined;

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Compares resourceVersions when both are numbers (etcd's are); otherwise b is taken as newer. */
export function newer(a: ProductionIncident, b: ProductionIncident): ProductionIncident {
  const ra = a.metadata.resourceVersion ?? "";
  const rb = b.metadata.resourceVersion ?? "";
  if (/^\d+$/.test(ra) && /^\d+$/.test(rb)) return BigInt(ra) > BigInt(rb) ? a : b;
  return b;
}

export class IncidentWriter {
  private readonly written = new Map<string, ProductionIncident>();

  constructor(
    private readonly api: IncidentApi,
    private readonly cache: Cache<ProductionIncident>,
    private readonly maxAttempts = 5,
  ) {}

  /** The newest copy known without a request. */
  current(namespace: string, name: string): ProductionIncident | undefined {
    const cached = this.cache.get(namespace, name);
    const mine = this.written.get(key(namespace, name));
    if (!mine) return cached;
    if (!cached) return mine;
    const best = newer(mine, cached);
    if (best === cached) this.written.delete(key(namespace, name));
    return best;
  }

  /** The newest copy, read from the API when neither the cache nor our writes have it. */
  async read(namespace: string, name: string): Promise<ProductionIncident | undefined> {
    return this.current(namespace, name) ?? this.remember(await this.api.get(namespace, name));
  }

  forget(namespace: string, name: string): void {
    this.written.delete(key(namespace, name));
  }

  /** Creates the incident; when it already exists (another path made it), returns that one. */
  async create(incident: ProductionIncident): Promise<{ incident: ProductionIncident; created: boolean }> {
    const { namespace = "default", name = "" } = incident.metadata;
    try {
      return { incident: this.remember(await this.api.create(incident))!, created: true };
    } catch (err) {
      if (!isAlreadyExists(err)) throw new Error(`could not create ProductionIncident ${namespace}/${name}`, { cause: err });
    }
    const existing = await this.api.get(namespace, name);
    if (!existing) throw new Error(`ProductionIncident ${namespace}/${name} already existed but is gone; it will be created again`);
    return { incident: this.remember(existing)!, created: false };
  }

  /**
   * Applies mutate to the newest copy and writes the status; on 409 re-reads and
   * applies it again. mutate returning undefined (or the same status) writes nothing.
   * Returns the incident as written, or undefined when it no longer exists.
   */
  async updateStatus(namespace: string, name: string, mutate: StatusMutation): Promise<ProductionIncident | undefined> {
    let incident = await this.read(namespace, name);
    for (let attempt = 1; incident; attempt++) {
      const next = mutate(incident);
      if (!next) return incident;
      const status = fitStatus(next);
      if (JSON.stringify(status) === JSON.stringify(incident.status ?? {})) return incident;
      try {
        return this.remember(await this.api.replaceStatus({ ...incident, status }));
      } catch (err) {
        if (isNotFound(err)) return this.gone(namespace, name);
        if (!isConflict(err) || attempt >= this.maxAttempts) {
          throw new Error(`could not write the status of ProductionIncident ${namespace}/${name} (attempt ${attempt})`, { cause: err });
        }
      }
      incident = this.remember(await this.api.get(namespace, name));
    }
    return undefined;
  }

  async delete(namespace: string, name: string): Promise<void> {
    this.forget(namespace, name);
    try {
      await this.api.delete(namespace, name);
    } catch (err) {
      throw new Error(`could not delete ProductionIncident ${namespace}/${name}`, { cause: err });
    }
  }

  private gone(namespace: string, name: string): undefined {
    this.forget(namespace, name);
    return undefined;
  }

  private remember(incident: ProductionIncident | undefined): ProductionIncident | undefined {
    if (incident) this.written.set(key(incident.metadata.namespace ?? "default", incident.metadata.name ?? ""), incident);
    return incident;
  }
}
