import { READABLE_KINDS, type ReadableKind } from "../../context/view.js";

/** A problem with a tool call that the model can fix; it goes back as an error result, never as an exception. */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}

export const CLUSTER_SCOPED: ReadonlySet<ReadableKind> = new Set(["Node", "Namespace", "PersistentVolume", "StorageClass"]);

const READABLE: ReadonlySet<string> = new Set(READABLE_KINDS);

/**
 * What the tools of one investigation may read: the kinds of ReadableKind
 * (Secrets are not one, and no input can make them one) in the target's
 * namespace and the configured extra namespaces, plus cluster-scoped kinds.
 */
export class Scope {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    readonly targetNamespace: string,
    extraNamespaces: readonly string[] = [],
  ) {
    this.allowed = new Set([targetNamespace, ...extraNamespaces]);
  }

  kind(requested: string): ReadableKind {
    if (/^secrets?$/i.test(requested)) throw new ToolInputError("Secrets cannot be read by any tool; reason from the references in the pod spec and from events instead");
    if (!READABLE.has(requested)) throw new ToolInputError(`kind ${requested} is not readable; readable kinds: ${READABLE_KINDS.join(", ")}`);
    return requested as ReadableKind;
  }

  /** The namespace to use for a kind: undefined for cluster-scoped kinds, else the requested one if allowed, else the target's. */
  namespace(kind: ReadableKind, requested?: string): string | undefined {
    if (CLUSTER_SCOPED.has(kind)) return undefined;
    return this.ns(requested);
  }

  ns(requested?: string): string {
    const ns = requested ?? this.targetNamespace;
    if (!this.allowed.has(ns)) throw new ToolInputError(`namespace ${ns} is outside this investigation's scope (allowed: ${[...this.allowed].join(", ")})`);
    return ns;
  }
}
