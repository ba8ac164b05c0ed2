// Every manifest the chart renders, applied with `kubectl apply --dry-run=server
// --validate=strict`: the apiserver validates it (schemas, unknown fields, admission)
// without persisting it. Run from cluster.test.ts, which owns the control plane.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { REPO_ROOT, type TestCluster } from "../testenv/cluster.js";
import { one, renderChart, renderChartText } from "./helm.js";
import { kubectl } from "./kubectl.js";
import { VALUE_SETS } from "./value-sets.js";

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "pf-apply-")), name);
  writeFileSync(path, text);
  return path;
}

export function describeServerDryRun(env: () => TestCluster): void {
  describe("kubectl apply --dry-run=server", () => {
    it.each(Object.entries(VALUE_SETS))("accepts every manifest rendered with the %s values", async (name, values) => {
      const file = tempFile(`${name}.yaml`, await renderChartText(values));
      const res = await kubectl(env().kubeconfigPath, ["apply", "--dry-run=server", "--validate=strict", "-f", file]);
      expect(res.stderr).toBe("");
      expect(res.ok).toBe(true);
      expect(res.stdout).toMatch(/deployment\.apps\/production-fixer (created|configured) \(server dry run\)/);
    });

    it("accepts deploy/production-fixer.yaml (Namespace, CRDs and all) under the restricted Pod Security profile", async () => {
      const res = await kubectl(env().kubeconfigPath, ["apply", "--dry-run=server", "--validate=strict", "--server-side", "-f", join(REPO_ROOT, "deploy", "production-fixer.yaml")]);
      expect(res.stderr).toBe("");
      expect(res.ok).toBe(true);
    });

    it("is not vacuous: a misspelt field in the Deployment is refused", async () => {
      const deploy = one(await renderChart(), "Deployment") as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
      deploy.spec.template.spec.containers[0]!.securityContxt = { runAsNonRoot: true };
      const file = tempFile("broken.yaml", stringify(deploy));
      const res = await kubectl(env().kubeconfigPath, ["apply", "--dry-run=server", "--validate=strict", "-f", file]);
      expect(res.ok).toBe(false);
      expect(res.stderr).toContain('unknown field "spec.template.spec.containers[0].securityContxt"');
    });

    it("is not vacuous: a Deployment that the restricted Pod Security profile refuses draws a warning", async () => {
      const deploy = one(await renderChart(), "Deployment") as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
      deploy.spec.template.spec.containers[0]!.securityContext = { allowPrivilegeEscalation: true };
      const file = tempFile("privileged.yaml", stringify(deploy));
      const res = await kubectl(env().kubeconfigPath, ["apply", "--dry-run=server", "-f", file]);
      expect(res.stderr).toContain('would violate PodSecurity "restricted:latest"');
    });

    it("refuses a PrometheusRule whose `for` is not a duration (the stand-in CRD validates)", async () => {
      const rule = one(await renderChart(VALUE_SETS.monitoring!), "PrometheusRule") as { spec: { groups: { rules: Record<string, unknown>[] }[] } };
      rule.spec.groups[0]!.rules[0]!.for = "five minutes";
      const file = tempFile("bad-rule.yaml", stringify(rule));
      const res = await kubectl(env().kubeconfigPath, ["apply", "--dry-run=server", "--validate=strict", "-f", file]);
      expect(res.ok).toBe(false);
      expect(res.stderr).toContain("spec.groups[0].rules[0].for");
    });
  });
}
