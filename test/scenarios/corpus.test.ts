import { describe, expect, it } from "vitest";
import { accuracyRows, accuracyTable, failureReport } from "./accuracy.js";
import { loadScenarios } from "./load.js";
import { runAll } from "./run.js";

const MIN_ACCURACY = 0.95;

describe("scenario corpus", () => {
  const scenarios = loadScenarios();

  it("has at least 60 scenarios covering every category and healthy controls", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(60);
    const categories = new Set(scenarios.filter((s) => s.expect.incidents > 0).map((s) => s.expect.category));
    expect([...categories].sort()).toEqual(
      ["ApplicationConfiguration", "ApplicationError", "BadCommand", "DependencyFailure", "ImagePull", "MissingConfiguration", "NetworkPolicy", "NodeFailure", "OutOfMemory", "PermissionDenied", "ProbeFailure", "QuotaExceeded", "StorageFailure", "Unknown", "Unschedulable"],
    );
    expect(scenarios.some((s) => s.expect.incidents === 0)).toBe(true);
  });

  it(`diagnoses at least ${MIN_ACCURACY * 100}% right (category, keywords, incident count)`, async () => {
    const outcomes = await runAll(scenarios);
    const { overall } = accuracyRows(outcomes);
    const report = `${accuracyTable(outcomes)}\n${failureReport(outcomes)}`;
    console.log(report);
    expect(overall.passed / overall.total, report).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });

  it("cites only evidence the investigation collected, and never Unknown with high confidence", async () => {
    const { diagnoseSnapshot } = await import("../../src/diagnosis/snapshot.js");
    const { RulesInvestigator } = await import("../../src/diagnosis/engine.js");
    const investigator = new RulesInvestigator();
    for (const s of scenarios) {
      for (const incident of await diagnoseSnapshot(s.snapshot, { investigator })) {
        const d = incident.status!.diagnosis!;
        expect(d.evidence.length, `${s.name} cites no evidence`).toBeGreaterThan(0);
        expect(d.remediation.length, `${s.name} has no remediation`).toBeGreaterThan(0);
        if (d.category === "Unknown") expect(d.confidence, s.name).toBeLessThan(0.5);
      }
    }
  });
});
