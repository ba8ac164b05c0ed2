// IncidentApi over the kube layer's CustomObjectStore (status subresource, one field manager).
import type { ProductionIncident } from "../api/incident.js";
import type { CustomObjectStore } from "../kube/status.js";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { IncidentApi } from "./ports.js";

type Store = CustomObjectStore<ProductionIncident & KubernetesObject>;

export function incidentApiOf(store: Store): IncidentApi {
  const ns = (i: ProductionIncident): string => i.metadata.namespace ?? "default";
  return {
    create: (incident) => store.create(ns(incident), incident as ProductionIncident & KubernetesObject),
    get: (namespace, name) => store.get(namespace, name),
    replaceStatus: (incident) => store.replaceStatus(ns(incident), incident.metadata.name ?? "", incident as ProductionIncident & KubernetesObject),
    delete: (namespace, name) => store.delete(namespace, name),
  };
}
