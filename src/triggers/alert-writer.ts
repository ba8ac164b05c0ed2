// Writes ProductionAlerts for the webhook: create, or, when the object exists
// (Alertmanager re-sends), update its spec only if it changed. Errors keep the
// apiserver's status so the webhook can answer 5xx only when retrying can help.
import type { CustomObjectsApi } from "@kubernetes/client-node";
import { API_VERSION, FIELD_MANAGER, GROUP, VERSION } from "../api/common.js";
import type { AlertSpec, ProductionAlert } from "../api/alert.js";
import { isAlreadyExists, isConflict, isNotFound, reasonOf } from "../kube/errors.js";

export type UpsertResult = "created" | "updated" | "unchanged";

export interface AlertUpsert {
  namespace: string;
  name: string;
  spec: AlertSpec;
  labels?: Record<string, string>;
}

/** The apiserver as the webhook needs it. */
export interface AlertWriter {
  /** Creates the alert, or updates the spec of the existing one when it differs. Throws NamespaceNotFoundError when the namespace does not exist. */
  upsert(input: AlertUpsert): Promise<UpsertResult>;
}

export class NamespaceNotFoundError extends Error {
  override name = "NamespaceNotFoundError";
}

const base = { group: GROUP, version: VERSION, plural: "productionalerts" };
const MAX_ATTEMPTS = 5;

export interface KubeAlertWriterOptions {
  /**
   * How long a spec this writer stored (or found stored) is trusted without asking
   * the apiserver again; re-sends within it cost no request. Default 5 minutes; 0
   * asks every time. An object deleted meanwhile is re-created once it expires.
   */
  rememberMs?: number;
  /** Objects remembered at most; default 10,000. */
  maxRemembered?: number;
  now?: () => number;
}

/** Specs known to be stored, by namespace/name, oldest first (a Map keeps insertion order). */
class Remembered {
  private readonly entries = new Map<string, { spec: string; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  has(key: string, spec: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && e.spec === spec && this.now() - e.at < this.ttlMs;
  }

  set(key: string, spec: string): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { spec, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** JSON with sorted keys: specs compare equal whatever the key order the apiserver returns. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export class KubeAlertWriter implements AlertWriter {
  private readonly remembered: Remembered;

  constructor(
    private readonly custom: CustomObjectsApi,
    opts: KubeAlertWriterOptions = {},
  ) {
    this.remembered = new Remembered(opts.rememberMs ?? 300_000, opts.maxRemembered ?? 10_000, opts.now ?? Date.now);
  }

  async upsert(input: AlertUpsert): Promise<UpsertResult> {
    const { namespace, name } = input;
    const key = `${namespace}/${name}`;
    const spec = stableJson(input.spec);
    if (this.remembered.has(key, spec)) return "unchanged";
    const body: ProductionAlert = { apiVersion: API_VERSION, kind: "ProductionAlert", metadata: { name, namespace, ...(input.labels ? { labels: input.labels } : {}) }, spec: input.spec };
    try {
      await this.custom.createNamespacedCustomObject({ ...base, namespace, body, fieldManager: FIELD_MANAGER });
      this.remembered.set(key, spec);
      return "created";
    } catch (err) {
      if (isNotFound(err) && namespaceMissing(err)) throw new NamespaceNotFoundError(`namespace ${namespace} does not exist (creating ProductionAlert ${name})`, { cause: err });
      if (!isAlreadyExists(err)) throw new Error(`could not create ProductionAlert ${namespace}/${name}`, { cause: err });
    }
    try {
      const result = await this.updateSpec(input);
      this.remembered.set(key, spec);
      return result;
    } catch (err) {
      this.remembered.forget(key);
      throw err;
    }
  }

  private async updateSpec(input: AlertUpsert): Promise<UpsertResult> {
    const { namespace, name } = input;
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(namespace, name);
      if (stableJson(current.spec) === stableJson(input.spec)) return "unchanged";
      try {
        await this.custom.replaceNamespacedCustomObject({ ...base, namespace, name, body: { ...current, spec: input.spec }, fieldManager: FIELD_MANAGER });
        return "updated";
      } catch (err) {
        if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw new Error(`could not update ProductionAlert ${namespace}/${name} (attempt ${attempt})`, { cause: err });
      }
    }
  }

  private async read(namespace: string, name: string): Promise<ProductionAlert> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...base, namespace, name })) as ProductionAlert;
    } catch (err) {
      throw new Error(`could not read ProductionAlert ${namespace}/${name}${reasonOf(err) ? ` (${reasonOf(err)})` : ""}`, { cause: err });
    }
  }
}

/** A 404 on create names the namespace (details.kind "namespaces") when the namespace is missing, not the CRD. */
function namespaceMissing(err: unknown): boolean {
  const body = (err as { body?: unknown } | null)?.body;
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  return /"kind"\s*:\s*"namespaces"/.test(text);
}
