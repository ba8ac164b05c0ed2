// IncidentApi over the kube layer's CustomObjectStore (status subresource, one field manager).
import type { ProductionIncident } from "../api/incident.js";
import type { CustomObjectStore } from "../kube/status.js";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { IncidentApi } from "./ports.js";

/** A ProductionIncident as the kube layer's store types it. */
export type StoredIncident = ProductionIncident & KubernetesObject;
type Store = CustomObjectStore<StoredIncident>;

export function incidentApiOf(store: Store): IncidentApi {
  const ns = (i: ProductionIncident): string => i.metadata.namespace ?? "default";
  return {
    create: (incident) => store.create(ns(incident), incident as StoredIncident),
    get: (namespace, name) => store.get(namespace, name),
    replaceStatus: (incident) => store.replaceStatus(ns(incident), incident.metadata.name ?? "", incident as StoredIncident),
    delete: (namespace, name) => store.delete(namespace, name),
  };
}
