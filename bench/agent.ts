// Agent cost per investigation on the scenario corpus, against the fake
// Anthropic API and a scripted model that makes two turns of read-only tool
// calls, then submits. Tokens are the fake's estimate (4 characters a token,
// see test/fakes/anthropic-tokens.ts).
//   npm run bench -- agent [--quick]
import Anthropic from "@anthropic-ai/sdk";
import { Config } from "../src/config.js";
import type { ClusterView } from "../src/context/view.js";
import { diagnoseSnapshot } from "../src/diagnosis/snapshot.js";
import { createInvestigator } from "../src/diagnosis/factory.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../src/diagnosis/types.js";
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from "../test/fakes/anthropic.js";
import { estimateTokens } from "../test/fakes/anthropic-tokens.js";
import { scriptedInvestigation } from "../test/fakes/scripted-model.js";
import { loadScenarios } from "../test/scenarios/load.js";
import { median, pct } from "./stats.js";

interface Row {
  scenario: string;
  mode: string;
  requests: number;
  steps: number;
  input: number;
  uncached: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  prefixShare: number;
  cachedShare: number;
}

/** Tokens of the stable prefix (system + tools) of one request, by the fake's estimate. */
function prefixTokens(r: RecordedRequest): number {
  return estimateTokens(JSON.stringify(r.body?.tools ?? []) + JSON.stringify(r.body?.system ?? ""));
}

function measure(scenario: string, result: InvestigationResult, reqs: RecordedRequest[]): Row {
  const ok = reqs.filter((r) => r.usage);
  const sum = (f: (r: RecordedRequest) => number): number => ok.reduce((n, r) => n + f(r), 0);
  const uncached = sum((r) => r.usage!.input_tokens);
  const cacheRead = sum((r) => r.usage!.cache_read_input_tokens);
  const cacheWrite = sum((r) => r.usage!.cache_creation_input_tokens);
  const input = uncached + cacheRead + cacheWrite;
  return {
    scenario,
    mode: result.diagnosis.mode,
    requests: reqs.length,
    steps: result.diagnosis.usage?.steps ?? 0,
    input,
    uncached,
    cacheRead,
    cacheWrite,
    output: sum((r) => r.usage!.output_tokens),
    prefixShare: input ? sum(prefixTokens) / input : 0,
    cachedShare: input ? cacheRead / input : 0,
  };
}

/** Wraps the investigator to attribute the fake's requests to each investigation. */
class Measured implements Investigator {
  readonly rows: Row[] = [];
  scenario = "";
  constructor(
    private readonly inner: Investigator,
    private readonly fake: FakeAnthropic,
  ) {}

  async investigate(view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    const start = this.fake.requests.length;
    const result = await this.inner.investigate(view, req);
    this.rows.push(measure(this.scenario, result, this.fake.requests.slice(start)));
    return result;
  }
}


export async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const scenarios = loadScenarios().slice(0, quick ? 12 : undefined);
  const fake = await startFakeAnthropic(scriptedInvestigation({ toolTurns: 2 }));
  try {
    const config = Config.parse({ agent: { apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 } });
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
    const measured = new Measured(createInvestigator(config, { client }), fake);
    for (const s of scenarios) {
      measured.scenario = s.name;
      await diagnoseSnapshot(s.snapshot, { investigator: measured });
    }
    report(measured.rows);
  } finally {
    await fake.close();
  }
}

function report(rows: Row[]): void {
  const head = ["scenario", "mode", "req", "steps", "input", "uncached", "cache rd", "cache wr", "output", "prefix", "cached"];
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(36) : h.padStart(9))).join(""));
  for (const r of rows) {
    const cells = [r.mode, r.requests, r.steps, r.input, r.uncached, r.cacheRead, r.cacheWrite, r.output, pct(r.prefixShare), pct(r.cachedShare)];
    console.log(r.scenario.slice(0, 35).padEnd(36) + cells.map((c) => String(c).padStart(9)).join(""));
  }
  const summary = {
    investigations: rows.length,
    agent_diagnoses: rows.filter((r) => r.mode === "agent").length,
    median_input_tokens: median(rows.map((r) => r.input)),
    median_uncached_input_tokens: median(rows.map((r) => r.uncached)),
    median_output_tokens: median(rows.map((r) => r.output)),
    median_requests: median(rows.map((r) => r.requests)),
    median_steps: median(rows.map((r) => r.steps)),
    max_input_tokens: Math.max(0, ...rows.map((r) => r.input)),
    prefix_share: Number((rows.reduce((n, r) => n + r.prefixShare * r.input, 0) / Math.max(1, rows.reduce((n, r) => n + r.input, 0))).toFixed(3)),
    cached_share: Number((rows.reduce((n, r) => n + r.cacheRead, 0) / Math.max(1, rows.reduce((n, r) => n + r.input, 0))).toFixed(3)),
    target_median_input_tokens: 15_000,
  };
  console.log(`median input ${summary.median_input_tokens} tokens per investigation (target <= 15000), ${summary.agent_diagnoses}/${summary.investigations} agent diagnoses`);
  console.log(JSON.stringify(summary));
}
