// The rendered RBAC, parsed: exactly the access of permissions.ts, no Secrets, and
// no write verb outside our CRs, Events and the Lease.
import type { V1ClusterRole, V1Role } from "@kubernetes/client-node";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testenv/cluster.js";
import { ofKind, one, renderChart } from "./helm.js";
import { CLUSTER_ACCESS, NAMESPACED_ACCESS, NODE_AND_STORAGE_ACCESS, ruleTriples, triples, WRITABLE_GROUP_RESOURCES, WRITE_VERBS, type PolicyRule } from "./permissions.js";
import { NAMESPACED, VALUE_SETS } from "./value-sets.js";

function rulesOf(role: V1ClusterRole | V1Role): PolicyRule[] {
  return (role.rules ?? []) as PolicyRule[];
}

describe("rendered RBAC", () => {
  it("the ClusterRole grants exactly the operator's access", async () => {
    const role = one<V1ClusterRole>(await renderChart(), "ClusterRole");
    expect(ruleTriples(rulesOf(role))).toEqual(triples(CLUSTER_ACCESS));
  });

  it("each watched namespace's Role grants exactly the namespaced access; the optional ClusterRole only nodes and storage", async () => {
    const objects = await renderChart(NAMESPACED);
    for (const ns of ["team-a", "team-b"]) {
      const role = ofKind<V1Role>(objects, "Role").find((r) => r.metadata?.namespace === ns)!;
      expect(ruleTriples(rulesOf(role))).toEqual(triples(NAMESPACED_ACCESS));
    }
    expect(ruleTriples(rulesOf(one<V1ClusterRole>(objects, "ClusterRole")))).toEqual(triples(NODE_AND_STORAGE_ACCESS));
  });

  it("the Lease Role: get/update on the named lease only, create unrestricted (it cannot be named)", async () => {
    const role = one<V1Role>(await renderChart(), "Role", "production-fixer-leader-election");
    expect(role.metadata?.namespace).toBe("production-fixer");
    expect(ruleTriples(rulesOf(role))).toEqual([
      "coordination.k8s.io/leases create",
      "coordination.k8s.io/leases get [production-fixer]",
      "coordination.k8s.io/leases update [production-fixer]",
    ]);
  });

  it.each(Object.entries(VALUE_SETS))("with the %s values: no Secrets, no wildcards, no writes outside our CRs, Events and the Lease", async (_name, values) => {
    const objects = await renderChart(values);
    const roles = [...ofKind<V1ClusterRole>(objects, "ClusterRole"), ...ofKind<V1Role>(objects, "Role")];
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of rulesOf(role)) {
        const where = `${role.kind} ${role.metadata?.name}: ${JSON.stringify(rule)}`;
        expect(rule.resources ?? [], where).not.toContain("secrets");
        expect([...(rule.resources ?? []), ...(rule.apiGroups ?? []), ...rule.verbs], where).not.toContain("*");
        expect(rule.nonResourceURLs, where).toBeUndefined();
        const writes = rule.verbs.filter((v) => WRITE_VERBS.has(v));
        if (writes.length === 0) continue;
        for (const g of rule.apiGroups ?? []) {
          for (const r of rule.resources ?? []) expect(WRITABLE_GROUP_RESOURCES.has(`${g}/${r}`), `${where} writes ${g}/${r}`).toBe(true);
        }
      }
    }
  });

  it("every bound role is one of ours and binds only the chart's ServiceAccount", async () => {
    const objects = await renderChart(VALUE_SETS.everything);
    const roleNames = new Set([...ofKind(objects, "ClusterRole"), ...ofKind(objects, "Role")].map((r) => `${r.kind}/${r.metadata?.namespace ?? ""}/${r.metadata?.name}`));
    const bindings = [...ofKind<V1Role & { roleRef: { kind: string; name: string }; subjects: unknown[] }>(objects, "ClusterRoleBinding"), ...ofKind<V1Role & { roleRef: { kind: string; name: string }; subjects: unknown[] }>(objects, "RoleBinding")];
    for (const b of bindings) {
      const ns = b.roleRef.kind === "Role" ? (b.metadata?.namespace ?? "") : "";
      expect(roleNames.has(`${b.roleRef.kind}/${ns}/${b.roleRef.name}`), `${b.kind} ${b.metadata?.name}`).toBe(true);
      expect(b.subjects).toEqual([{ kind: "ServiceAccount", name: "production-fixer", namespace: "production-fixer" }]);
    }
  });

  it("docs/rbac.md explains every resource the chart grants", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs", "rbac.md"), "utf8");
    const resources = new Set([...CLUSTER_ACCESS.map((a) => a.resource), "leases"]);
    expect([...resources].filter((r) => !doc.includes(`\`${r}\``))).toEqual([]);
  });
});
