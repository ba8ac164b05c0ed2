// npm run bench -- diagnose [--quick]: time of `diagnose --snapshot` (collect +
// triage + incident assembly, rules only) per scenario snapshot, over the whole
// corpus. Prints a table, then one JSON object on the last line.
import { RulesInvestigator } from "../src/diagnosis/engine.js";
import { diagnoseSnapshot } from "../src/diagnosis/snapshot.js";
import { loadScenarios } from "../test/scenarios/load.js";

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const rounds = quick ? 3 : 20;
  const scenarios = loadScenarios();
  const investigator = new RulesInvestigator();
  for (const s of scenarios) await diagnoseSnapshot(s.snapshot, { investigator }); // warm-up
  const times: number[] = [];
  const slowest = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const s of scenarios) {
      const t0 = performance.now();
      await diagnoseSnapshot(s.snapshot, { investigator });
      const ms = performance.now() - t0;
      times.push(ms);
      slowest.set(s.name, Math.max(slowest.get(s.name) ?? 0, ms));
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    bench: "diagnose",
    snapshots: scenarios.length,
    rounds,
    samples: times.length,
    medianMs: Number(quantile(sorted, 0.5).toFixed(3)),
    p95Ms: Number(quantile(sorted, 0.95).toFixed(3)),
    maxMs: Number(sorted.at(-1)!.toFixed(3)),
    node: process.version,
  };
  const top = [...slowest.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`diagnose --snapshot, rules only, ${scenarios.length} snapshots × ${rounds} rounds`);
  console.log(`  median  ${result.medianMs.toFixed(2)} ms`);
  console.log(`  p95     ${result.p95Ms.toFixed(2)} ms`);
  console.log(`  max     ${result.maxMs.toFixed(2)} ms`);
  console.log("  slowest snapshots (max ms):");
  for (const [name, ms] of top) console.log(`    ${name.padEnd(36)} ${ms.toFixed(2)}`);
  console.log(JSON.stringify(result));
}
