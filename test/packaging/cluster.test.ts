// The packaging tests that need the real control plane, in one file so that they share
// one kube-apiserver (the machine has two cores). Under CI=true, or anywhere, a control
// plane or kubectl that cannot start fails these tests; they never skip.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { useTestCluster } from "../testenv/vitest.js";
import { describeServerDryRun } from "./apply.suite.js";
import { CHART_DIR } from "./helm.js";
import { kubectl } from "./kubectl.js";
import { describeOperatorUnderChartIdentity } from "./operator.suite.js";
import { describeClusterScopeRbac, describeNamespaceScopeRbac } from "./rbac.suite.js";

const CHART_CRDS = join(CHART_DIR, "crds");
const MONITORING_CRDS = join(import.meta.dirname, "fixtures", "monitoring-crds.yaml");

// Our CRDs come from the chart's crds/ with the command docs/install.md gives for upgrades.
const env = useTestCluster({ crdDir: null });

beforeAll(async () => {
  const path = env().kubeconfigPath;
  for (const file of [CHART_CRDS, MONITORING_CRDS]) {
    const res = await kubectl(path, ["apply", "--server-side", "-f", file]);
    if (!res.ok) throw new Error(`kubectl apply --server-side -f ${file} failed:\n${res.stderr}`);
  }
  const wait = await kubectl(path, ["wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"]);
  if (!wait.ok) throw new Error(`the CRDs did not become Established:\n${wait.stderr}`);
  const core = env().kubeConfig.makeApiClient(CoreV1Api);
  // In the release namespace, Pod Security admission warns on any workload that the
  // restricted profile would refuse, and the dry-run tests require an empty stderr.
  const restricted = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted" };
  await core.createNamespace({ body: { metadata: { name: "production-fixer", labels: restricted } } });
  for (const name of ["team-a", "team-b"]) await core.createNamespace({ body: { metadata: { name } } });
});

describe("the chart's CRDs", () => {
  it("are applied with kubectl apply --server-side, and re-applying them (the upgrade path) is a no-op", async () => {
    const res = await kubectl(env().kubeconfigPath, ["apply", "--server-side", "-f", CHART_CRDS]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain("customresourcedefinition.apiextensions.k8s.io/productionincidents.productionfixer.io serverside-applied");
    const names = readFileSync(join(CHART_CRDS, "productionfixer.io_productionincidents.yaml"), "utf8");
    expect(names).toContain("kind: CustomResourceDefinition");
  });
});

describeServerDryRun(env);
describeClusterScopeRbac(env);
describeNamespaceScopeRbac(env);
describeOperatorUnderChartIdentity(env);
