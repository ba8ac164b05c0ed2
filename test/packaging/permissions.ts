// What the operator is allowed to do, as (group, resource, verb) triples: the single
// list the chart's rendered RBAC is compared with (docs/rbac.md explains each one).
export interface Access {
  group: string;
  resource: string;
  verbs: string[];
}

const READ = ["get", "list", "watch"];
const GET_LIST = ["get", "list"];

/** Namespaced resources: in the ClusterRole (scope cluster) or in each watched namespace's Role. */
export const NAMESPACED_ACCESS: Access[] = [
  { group: "", resource: "pods", verbs: READ },
  { group: "", resource: "pods/log", verbs: ["get"] },
  { group: "", resource: "events", verbs: [...READ, "create", "patch"] },
  { group: "events.k8s.io", resource: "events", verbs: [...READ, "create", "patch"] },
  ...["persistentvolumeclaims", "services", "endpoints", "configmaps", "resourcequotas", "limitranges"].map((resource) => ({ group: "", resource, verbs: GET_LIST })),
  ...["replicasets", "deployments", "statefulsets", "daemonsets", "controllerrevisions"].map((resource) => ({ group: "apps", resource, verbs: READ })),
  ...["jobs", "cronjobs"].map((resource) => ({ group: "batch", resource, verbs: READ })),
  { group: "networking.k8s.io", resource: "networkpolicies", verbs: GET_LIST },
  { group: "discovery.k8s.io", resource: "endpointslices", verbs: GET_LIST },
  { group: "productionfixer.io", resource: "productionincidents", verbs: [...READ, "create", "update", "patch", "delete"] },
  { group: "productionfixer.io", resource: "productionincidents/status", verbs: ["get", "update", "patch"] },
  { group: "productionfixer.io", resource: "productionalerts", verbs: [...READ, "create", "update", "patch"] },
  { group: "productionfixer.io", resource: "productionalerts/status", verbs: ["get", "update", "patch"] },
];

/** Cluster-scoped reads that need a ClusterRole (scope namespaces: only with rbac.clusterResources). */
export const NODE_AND_STORAGE_ACCESS: Access[] = [
  { group: "", resource: "nodes", verbs: READ },
  { group: "", resource: "persistentvolumes", verbs: GET_LIST },
  { group: "storage.k8s.io", resource: "storageclasses", verbs: GET_LIST },
];

/** Scope cluster only. */
export const NAMESPACE_ACCESS: Access[] = [{ group: "", resource: "namespaces", verbs: READ }];

/** The whole ClusterRole of scope cluster. */
export const CLUSTER_ACCESS: Access[] = [...NAMESPACED_ACCESS, ...NAMESPACE_ACCESS, ...NODE_AND_STORAGE_ACCESS];

/** Where writes are allowed at all: our CRs and their status, Events (and the Lease, in its own Role). */
export const WRITABLE_GROUP_RESOURCES = new Set([
  "productionfixer.io/productionincidents",
  "productionfixer.io/productionincidents/status",
  "productionfixer.io/productionalerts",
  "productionfixer.io/productionalerts/status",
  "/events",
  "events.k8s.io/events",
  "coordination.k8s.io/leases",
]);

export const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate", "approve", "sign", "*"]);

/** "group/resource verb" strings, sorted: easy to diff in a failing assertion. */
export function triples(access: Access[]): string[] {
  return access.flatMap((a) => a.verbs.map((v) => `${a.group}/${a.resource} ${v}`)).sort();
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** Flattens RBAC rules the same way (resourceNames are kept as a suffix). */
export function ruleTriples(rules: PolicyRule[]): string[] {
  return rules
    .flatMap((r) =>
      (r.apiGroups ?? []).flatMap((g) =>
        (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}${r.resourceNames ? ` [${r.resourceNames.join(",")}]` : ""}`)),
      ),
    )
    .sort();
}
