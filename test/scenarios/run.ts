import { diagnoseSnapshot } from "../../src/diagnosis/snapshot.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import type { Investigator } from "../../src/diagnosis/types.js";
import { score, type Outcome } from "./accuracy.js";
import type { Scenario } from "./load.js";

/** Diagnoses one scenario as `production-fixer diagnose --snapshot` would, and scores it. */
export async function runScenario(s: Scenario, investigator: Investigator = new RulesInvestigator()): Promise<Outcome> {
  const started = performance.now();
  const incidents = await diagnoseSnapshot(s.snapshot, { investigator });
  return score(s, incidents, performance.now() - started);
}

/** Every scenario, one after the other. */
export async function runAll(scenarios: Scenario[], investigator: Investigator = new RulesInvestigator()): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const s of scenarios) out.push(await runScenario(s, investigator));
  return out;
}
