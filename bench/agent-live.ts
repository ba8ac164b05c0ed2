// The scenario corpus end to end with the agent: every scenario loaded into a
// real control plane, the operator in-process with its API key pointed at the
// fake Anthropic API and the scripted model (two turns of read-only tool
// calls, then a submission). Per investigation: requests, steps, input and
// output tokens (the fake's estimate, 4 characters a token), the share of input
// that is the cacheable prefix (system prompt and tools) and the share read
// from the cache.
//   npm run bench -- agent-live [--quick]
import { estimateTokens } from "../test/fakes/anthropic-tokens.js";
import type { RecordedRequest } from "../test/fakes/anthropic.js";
import { prepare } from "../test/operator/harness.js";
import { runAgentCorpus, SUBSET, type AgentLiveRow } from "../test/scenarios/agent-live.js";
import { loadScenarios } from "../test/scenarios/load.js";
import { startTestCluster } from "../test/testenv/cluster.js";
import { median, pct } from "./stats.js";

interface Line {
  scenario: string;
  incident: string;
  mode: string;
  agrees: boolean;
  requests: number;
  steps: number;
  input: number;
  output: number;
  cacheRead: number;
  prefixShare: number;
}

const prefixTokens = (r: RecordedRequest): number => estimateTokens(JSON.stringify(r.body?.tools ?? []) + JSON.stringify(r.body?.system ?? ""));

function lines(row: AgentLiveRow): Line[] {
  const prefix = row.requests.reduce((n, r) => n + prefixTokens(r), 0);
  const sent = row.requests.reduce((n, r) => n + (r.usage ? r.usage.input_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0), 0);
  return row.incidents.map((i) => {
    const u = i.diagnosis?.usage;
    return {
      scenario: row.scenario,
      incident: i.target,
      mode: i.diagnosis?.mode ?? i.phase,
      agrees: i.diagnosis?.category === row.expectedCategory,
      requests: u?.requests ?? 0,
      steps: u?.steps ?? 0,
      input: u ? u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens : 0,
      output: u?.outputTokens ?? 0,
      cacheRead: u?.cacheReadInputTokens ?? 0,
      prefixShare: sent ? prefix / sent : 0,
    };
  });
}


export async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const scenarios = loadScenarios().filter((s) => !quick || SUBSET.includes(s.name));
  const cluster = await startTestCluster();
  try {
    const env = await prepare(cluster);
    const started = performance.now();
    const run = await runAgentCorpus({ cluster, kubelet: env.kubelet, scenarios });
    const seconds = (performance.now() - started) / 1000;
    await env.kubelet.close();
    report(run.rows, { seconds, writeCalls: run.writeCalls.length });
  } finally {
    await cluster.stop();
  }
}

function report(rows: AgentLiveRow[], run: { seconds: number; writeCalls: number }): void {
  const all = rows.flatMap(lines);
  const head = ["scenario", "mode", "agrees", "req", "steps", "input", "output", "cache rd", "prefix"];
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(36) : h.padStart(9))).join(""));
  for (const l of all) {
    const cells = [l.mode, l.agrees ? "yes" : "no", l.requests, l.steps, l.input, l.output, l.cacheRead, pct(l.prefixShare)];
    console.log(l.scenario.slice(0, 35).padEnd(36) + cells.map((c) => String(c).padStart(9)).join(""));
  }
  const failing = rows.filter((r) => r.expectedTargets.length > 0);
  const problems = rows.filter((r) => r.problems.length > 0);
  for (const r of problems) console.log(`! ${r.scenario}: ${r.problems.join("; ").slice(0, 300)}`);
  const inputs = all.map((l) => l.input);
  const summary = {
    scenarios: rows.length,
    failing_scenarios: failing.length,
    scenarios_with_problems: problems.length,
    investigations: all.length,
    agent_diagnoses: all.filter((l) => l.mode === "agent").length,
    category_as_expected: all.filter((l) => l.agrees).length,
    median_input_tokens: median(inputs),
    max_input_tokens: Math.max(0, ...inputs),
    median_output_tokens: median(all.map((l) => l.output)),
    median_requests: median(all.map((l) => l.requests)),
    median_steps: median(all.map((l) => l.steps)),
    cached_share: Number((all.reduce((n, l) => n + l.cacheRead, 0) / Math.max(1, inputs.reduce((a, b) => a + b, 0))).toFixed(3)),
    prefix_share: Number((all.reduce((n, l) => n + l.prefixShare * l.input, 0) / Math.max(1, inputs.reduce((a, b) => a + b, 0))).toFixed(3)),
    write_tool_calls: run.writeCalls,
    seconds: Number(run.seconds.toFixed(1)),
    target_median_input_tokens: 15_000,
  };
  console.log(`${summary.agent_diagnoses}/${summary.investigations} agent diagnoses; median input ${summary.median_input_tokens} tokens per investigation (target <= 15000)`);
  console.log(JSON.stringify(summary));
}
