// A representative subset of the scenario corpus end to end with the agent: one
// or two scenarios per kind of failure (rollout, memory, image, dependency,
// probe, scheduling, storage on a StatefulSet, many replicas, a healthy
// control). The whole corpus takes minutes on two cores, too long for every
// run: `npm run bench -- agent-live` runs all of it and reports tokens.
import { describe, expect, it } from "vitest";
import { prepare } from "../operator/harness.js";
import { useTestCluster } from "../testenv/vitest.js";
import { runAgentCorpus, SUBSET } from "./agent-live.js";
import { loadScenarios } from "./load.js";

const cluster = useTestCluster();

describe("the scenario corpus through the operator with the agent", () => {
  it("gives every failing scenario agent diagnoses for the workloads the snapshot path names", async () => {
    const env = await prepare(cluster());
    const scenarios = loadScenarios().filter((s) => SUBSET.includes(s.name));
    expect(scenarios.map((s) => s.name).sort()).toEqual([...SUBSET].sort());
    try {
      const run = await runAgentCorpus({ cluster: cluster(), kubelet: env.kubelet, scenarios });
      expect(run.writeCalls).toEqual([]);
      expect(run.rows.filter((r) => r.problems.length > 0).map((r) => ({ scenario: r.scenario, problems: r.problems }))).toEqual([]);
      for (const r of run.rows.filter((x) => x.expectedTargets.length > 0)) {
        expect(r.requests.length, r.scenario).toBeGreaterThanOrEqual(3);
        // The scripted model adopts the triage category it is shown, so this checks the live evidence reached the brief.
        expect(r.incidents.map((i) => i.diagnosis?.category), r.scenario).toContain(r.expectedCategory);
      }
    } finally {
      await env.kubelet.close();
    }
  });
});
