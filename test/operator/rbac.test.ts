// The operator under the Helm chart's ServiceAccount and RBAC, and a diagnosis far
// over the object size limit stored trimmed.
import { describe, expect, it } from "vitest";
import type { Diagnosis } from "../../src/api/diagnosis.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import type { Investigator } from "../../src/diagnosis/types.js";
import { TRIM_NOTE } from "../../src/incidents/trim.js";
import { serviceAccountKubeConfig } from "../packaging/rbac.js";
import { useTestCluster } from "../testenv/vitest.js";
import { markDeploymentReady } from "../testenv/workloads.js";
import { deployment, listIncidents, prepare, ref, start, waitFor, waitForIncidents, type Env } from "./harness.js";

const cluster = useTestCluster();
let env: Env | undefined;
const E = async (): Promise<Env> => (env ??= await prepare(cluster()));

describe("the operator under the chart's RBAC", () => {
  it("detects, diagnoses, resolves and reopens with only the chart's permissions", async () => {
    const e = await E();
    const kubeConfig = await serviceAccountKubeConfig(e.cluster);
    const op = await start({ kubeConfig });
    try {
      const chain = await deployment(e, { namespace: "rbac", name: "web", replicas: 3 });
      for (const p of chain.pods) await e.pods.oomKilled(ref(p), { restartCount: 2 });
      const [incident] = await waitFor("one diagnosed incident with 3 occurrences", async () => {
        const items = await listIncidents(e, "rbac");
        return items.length === 1 && items[0]!.status?.phase === "Diagnosed" && items[0]!.status.occurrences === 3 ? items : undefined;
      });
      expect(incident!.status?.diagnosis?.category).toBe("OutOfMemory");
      for (const p of chain.pods) await e.pods.running(ref(p));
      await markDeploymentReady(e.deps, { namespace: "rbac", name: "web" });
      await waitForIncidents(e, "rbac", 1, "Resolved");
      await e.pods.oomKilled(ref(chain.pods[1]!));
      await waitFor("reopened", async () => {
        const items = await listIncidents(e, "rbac");
        return items.length === 1 && items[0]!.status?.recurrences === 1 && items[0]!.status.phase === "Diagnosed";
      });
      const forbidden = (await op.metrics.kubeApiErrors.get()).values.filter((v) => v.labels.code === "403");
      expect(forbidden).toEqual([]);
    } finally {
      await op.stop();
    }
  });
});

describe("object size", () => {
  it("stores a diagnosis far over the size limit trimmed instead of failing", async () => {
    const e = await E();
    const rules = new RulesInvestigator();
    const huge: Investigator = {
      investigate: async (view, req) => {
        const result = await rules.investigate(view, req);
        const diagnosis: Diagnosis = {
          ...result.diagnosis,
          rootCause: "x".repeat(100_000),
          evidence: Array.from({ length: 300 }, (_, i) => ({ id: `logs/big#L${i}`, source: "Logs" as const, excerpt: `line ${i} `.repeat(2_000) })),
        };
        return { ...result, diagnosis };
      },
    };
    const op = await start({ kubeConfig: e.cluster.kubeConfig, investigator: huge, identity: "size" });
    try {
      const chain = await deployment(e, { namespace: "size", name: "web" });
      await e.pods.crashLoop(ref(chain.pods[0]!), { exitCode: 1, restartCount: 2 });
      const [incident] = await waitForIncidents(e, "size", 1, "Diagnosed");
      const d = incident!.status!.diagnosis!;
      expect(d.notes).toContain(TRIM_NOTE);
      expect(d.evidence.length).toBeGreaterThan(0);
      expect(d.evidence.length).toBeLessThanOrEqual(40);
      expect(d.rootCause.length).toBeLessThanOrEqual(4000);
      expect(Buffer.byteLength(JSON.stringify(incident!.status))).toBeLessThanOrEqual(256 * 1024);
    } finally {
      await op.stop();
    }
  });
});
