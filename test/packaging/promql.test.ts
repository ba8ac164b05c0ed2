// The PromQL of the chart's PrometheusRule and Grafana dashboard, checked by promtool
// (Debian's prometheus package; .ci/run installs it). Missing promtool fails the test.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { one, renderChart } from "./helm.js";
import { MONITORING } from "./value-sets.js";

const run = promisify(execFile);

interface RuleGroup {
  name: string;
  rules: Record<string, unknown>[];
}

async function checkRules(groups: RuleGroup[]): Promise<{ ok: boolean; output: string }> {
  const file = join(mkdtempSync(join(tmpdir(), "pf-promtool-")), "rules.yaml");
  writeFileSync(file, stringify({ groups }));
  try {
    const { stdout, stderr } = await run("promtool", ["check", "rules", file]);
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: string | number };
    if (e.code === "ENOENT") throw new Error("promtool is not installed (apt-get install prometheus)", { cause: err });
    return { ok: false, output: (e.stdout ?? "") + (e.stderr ?? "") };
  }
}

describe("promtool check rules", () => {
  it("accepts the PrometheusRule's alerts", async () => {
    const rule = one(await renderChart(MONITORING), "PrometheusRule") as unknown as { spec: { groups: RuleGroup[] } };
    const res = await checkRules(rule.spec.groups);
    expect(res.output).toContain("SUCCESS: 5 rules found");
    expect(res.ok).toBe(true);
  });

  it("accepts every dashboard query (Grafana variables replaced by values)", async () => {
    const cm = one<V1ConfigMap>(await renderChart(MONITORING), "ConfigMap", "production-fixer-dashboard");
    const dashboard = JSON.parse(cm.data!["production-fixer.json"]!) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr.replaceAll("$__rate_interval", "5m").replaceAll("$namespace", ".*")));
    const rules = exprs.map((expr, i) => ({ record: `production_fixer:dashboard_query_${i}`, expr }));
    const res = await checkRules([{ name: "dashboard", rules }]);
    expect(res.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(res.ok).toBe(true);
  });

  it("is not vacuous: a broken expression is refused", async () => {
    const res = await checkRules([{ name: "broken", rules: [{ alert: "Broken", expr: "sum(rate(production_fixer_leader[5m])" }] }]);
    expect(res.ok).toBe(false);
  });
});
