import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { agentConfig, clusterView, goodSubmission, REQUEST, StubRules } from "../../../test/fakes/agent-fixtures.js";
import { overloaded, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic, type FakeScript } from "../../../test/fakes/anthropic.js";
import type { ConfigInput } from "../../config.js";
import { Budget } from "./budget.js";
import { CircuitBreaker } from "./breaker.js";
import { AgentInvestigator, type Clock } from "./investigator.js";

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Setup {
  agent?: NonNullable<ConfigInput["agent"]>;
  budget?: Budget;
  breaker?: CircuitBreaker;
  clock?: Clock;
  rules?: StubRules;
}

async function setup(script: FakeScript, s: Setup = {}): Promise<{ investigator: AgentInvestigator; fake: FakeAnthropic; rules: StubRules }> {
  fake = await startFakeAnthropic(script);
  const config = agentConfig({ baseURL: fake.url, ...s.agent });
  const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: config.maxRetries });
  const rules = s.rules ?? new StubRules();
  const investigator = new AgentInvestigator({ config, rules, client, ...(s.budget ? { budget: s.budget } : {}), ...(s.breaker ? { breaker: s.breaker } : {}), ...(s.clock ? { clock: s.clock } : {}) });
  return { investigator, fake, rules };
}

const investigationScript = (): FakeScript => [
  reply(text("Baseline first: what did the last working revision look like?"), toolUse("describe", { kind: "Pod", name: "web-1" }), toolUse("get_logs", { pod: "web-1", previous: true, grep: "fatal|error" })),
  reply(toolUse("rollout_diff", { kind: "Deployment", name: "web" }), toolUse("related_objects", { pod: "web-1" })),
  reply(toolUse("submit_diagnosis", goodSubmission())),
];

type Body = { messages: { role: string; content: { type: string; tool_use_id?: string; is_error?: boolean; content?: string; cache_control?: unknown }[] }[]; tools: { name: string; cache_control?: unknown }[]; system: { cache_control?: unknown }[]; tool_choice?: { type: string; name?: string } };
const bodyOf = (f: FakeAnthropic, i: number): Body => f.requests.filter((r) => r.path === "/v1/messages")[i]!.body as unknown as Body;

describe("AgentInvestigator against the fake API", () => {
  it("runs several read-only tool calls and ends in a valid, cited diagnosis", async () => {
    const { investigator, fake } = await setup(investigationScript());
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(diagnosis.mode).toBe("agent");
    expect(diagnosis.category).toBe("ApplicationConfiguration");
    expect(diagnosis.model).toBe("claude-sonnet-5-5");
    expect(diagnosis.usage).toMatchObject({ steps: 3, requests: 3 });
    expect(diagnosis.usage!.cacheReadInputTokens + diagnosis.usage!.cacheCreationInputTokens).toBeGreaterThan(0);
    expect(diagnosis.usage!.costUSD).toBeGreaterThan(0);
    const rollout = diagnosis.evidence.find((e) => e.id === "tool/rollout/Deployment/shop/web/1-2");
    expect(rollout?.source).toBe("Rollout");
    expect(rollout?.excerpt).toContain("DATABASE_HOST");
    expect(diagnosis.evidence.map((e) => e.id)).toContain("logs/shop/web-1/web/previous");
    expect(diagnosis.notes.some((n) => n.startsWith("Baseline:"))).toBe(true);
    // Every tool_use was answered by its tool_result (the fake rejects the request otherwise).
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    const second = bodyOf(fake, 1).messages.at(-1)!.content;
    expect(second.filter((b) => b.type === "tool_result")).toHaveLength(2);
    expect(second.every((b) => !b.is_error)).toBe(true);
    expect(second[0]!.content).toContain("<untrusted-data");
  });

  it("marks the stable prefix for caching and reads it from the cache on later turns", async () => {
    const { investigator, fake } = await setup(investigationScript());
    await investigator.investigate(clusterView(), REQUEST);
    for (let i = 0; i < 3; i++) {
      const body = bodyOf(fake, i);
      expect(body.system.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
      expect(body.tools.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
      expect(body.tools.slice(0, -1).every((t) => t.cache_control === undefined)).toBe(true);
    }
    const usage = fake.requests.map((r) => r.usage!);
    expect(usage[0]!.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(usage[1]!.cache_read_input_tokens).toBeGreaterThanOrEqual(usage[0]!.cache_creation_input_tokens);
    expect(usage[2]!.cache_read_input_tokens).toBeGreaterThan(usage[1]!.cache_read_input_tokens);
    // The prefix is byte-identical from request to request.
    const prefix = (i: number): string => JSON.stringify({ s: bodyOf(fake, i).system, t: bodyOf(fake, i).tools });
    expect(prefix(1)).toBe(prefix(0));
    expect(prefix(2)).toBe(prefix(0));
  });

  it("repairs a malformed answer once", async () => {
    const bad = { ...goodSubmission(), category: "DNS", rootCauseEvidence: ["made/up#1"] };
    const { investigator, fake } = await setup([reply(toolUse("rollout_diff", { kind: "Deployment", name: "web" })), reply(toolUse("submit_diagnosis", bad)), reply(toolUse("submit_diagnosis", goodSubmission()))]);
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(diagnosis.mode).toBe("agent");
    const rejection = bodyOf(fake, 2).messages.at(-1)!.content[0]!;
    expect(rejection).toMatchObject({ type: "tool_result", is_error: true });
    expect(rejection.content).toContain("category");
    expect(diagnosis.notes.some((n) => n.includes("rejected and repaired"))).toBe(true);
  });

  it("rejects citations of evidence that was never shown, then falls back after the repair fails too", async () => {
    const unseen = goodSubmission({ rootCauseEvidence: ["tool/rollout/Deployment/shop/web/1-2"] });
    const { investigator } = await setup([reply(toolUse("submit_diagnosis", unseen)), reply(toolUse("submit_diagnosis", unseen))]);
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(diagnosis.mode).toBe("rules");
    expect(diagnosis.category).toBe("DependencyFailure");
    expect(diagnosis.notes[0]).toMatch(/failed validation again after one repair: .*does not exist/);
  });

  it("retries 529 overloaded through the SDK, then falls back to the rules and opens the breaker", async () => {
    const breaker = new CircuitBreaker({ threshold: 2, openMs: 60_000 });
    const { investigator, fake } = await setup(() => overloaded(), { agent: { maxRetries: 2 }, breaker });
    const first = await investigator.investigate(clusterView(), REQUEST);
    expect(fake.requests.map((r) => r.status)).toEqual([529, 529, 529]);
    expect(first.diagnosis.mode).toBe("rules");
    expect(first.diagnosis.notes[0]).toMatch(/Anthropic API error 529 overloaded_error after 2 retries \(request-id req_/);
    await investigator.investigate(clusterView(), REQUEST);
    expect(breaker.state()).toBe("open");
    const third = await investigator.investigate(clusterView(), REQUEST);
    expect(fake.requests).toHaveLength(6);
    expect(third.diagnosis.mode).toBe("rules");
    expect(third.diagnosis.notes[0]).toContain("circuit breaker is open");
  });

  it("stops when the daily token budget runs out mid-investigation", async () => {
    const budget = new Budget({ tokensPerDay: 1000, costPerDayUSD: 100, prices: agentConfig().prices });
    const { investigator, fake } = await setup(investigationScript(), { budget });
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(fake.requests).toHaveLength(1);
    expect(diagnosis.mode).toBe("rules");
    expect(diagnosis.notes[0]).toContain("daily token budget exhausted");
    expect(diagnosis.usage).toMatchObject({ requests: 1, steps: 1 });
    expect(budget.exhausted()).toBeDefined();
  });

  it("forces a submission when the per-investigation token budget is nearly spent, then stops", async () => {
    const stubborn: FakeScript = () => reply(toolUse("get_logs", { pod: "web-1", previous: true }));
    const { investigator, fake } = await setup(stubborn, { agent: { maxTokensPerInvestigation: 30_000 } });
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    const choices = fake.requests.map((r) => (r.body as unknown as Body).tool_choice);
    expect(choices.at(-1)).toEqual({ type: "tool", name: "submit_diagnosis" });
    expect(diagnosis.mode).toBe("rules");
    expect(diagnosis.notes[0]).toMatch(/token budget of 30000 per investigation exhausted/);
    expect(diagnosis.usage!.inputTokens + diagnosis.usage!.cacheReadInputTokens + diagnosis.usage!.cacheCreationInputTokens).toBeLessThanOrEqual(30_000);
  });

  it("stops at the wall-clock limit using the injected clock", async () => {
    let t = 0;
    const clock: Clock = { now: () => t };
    const script: FakeScript = () => {
      t += 200_000;
      return reply(toolUse("get_logs", { pod: "web-1", previous: true }));
    };
    const { investigator, fake } = await setup(script, { clock, agent: { timeoutSeconds: 120 } });
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(fake.requests).toHaveLength(1);
    expect(diagnosis.notes[0]).toContain("wall-clock limit of 120s");
  });

  it("asks once for a submission when the model ends its turn without one", async () => {
    const { investigator, fake } = await setup([reply(text("I think it is DNS.")), reply(toolUse("rollout_diff", { kind: "Deployment", name: "web" })), reply(toolUse("submit_diagnosis", goodSubmission()))]);
    const { diagnosis } = await investigator.investigate(clusterView(), REQUEST);
    expect(diagnosis.mode).toBe("agent");
    expect(JSON.stringify(bodyOf(fake, 1).messages.at(-1))).toContain("Call submit_diagnosis now");
  });

  it("leaves the API alone when the request says rules only", async () => {
    const { investigator, fake } = await setup(investigationScript());
    const { diagnosis } = await investigator.investigate(clusterView(), { ...REQUEST, rulesOnly: { reason: "hourly investigation budget spent" } });
    expect(fake.requests).toHaveLength(0);
    expect(diagnosis.mode).toBe("rules");
    expect(diagnosis.notes.join(" ")).toContain("hourly investigation budget spent");
  });

  it("falls back with the reason when the API rejects the key or cannot be reached", async () => {
    const { investigator } = await setup([reply(text("never"))], { agent: {} });
    const wrongKey = new AgentInvestigator({ config: agentConfig({ baseURL: fake!.url }), rules: new StubRules(), client: new Anthropic({ apiKey: "wrong", baseURL: fake!.url, maxRetries: 0 }) });
    const rejected = await wrongKey.investigate(clusterView(), REQUEST);
    expect(rejected.diagnosis.mode).toBe("rules");
    expect(rejected.diagnosis.notes[0]).toMatch(/Anthropic API error 401 authentication_error \(request-id req_/);
    await fake!.close();
    const down = await investigator.investigate(clusterView(), REQUEST);
    expect(down.diagnosis.mode).toBe("rules");
    expect(down.diagnosis.notes[0]).toContain("Anthropic API unreachable");
    fake = undefined;
  });

  it("throws when the caller cancels, so the incident is handed back rather than diagnosed", async () => {
    const ctl = new AbortController();
    const { investigator } = await setup(() => {
      ctl.abort(new Error("shutdown"));
      return reply(toolUse("get_logs", { pod: "web-1", previous: true }));
    });
    await expect(investigator.investigate(clusterView(), { ...REQUEST, signal: ctl.signal })).rejects.toThrow(/was cancelled/);
  });
});
