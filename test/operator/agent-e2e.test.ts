// The operator with an API key, against the real control plane, talking to the
// fake Anthropic API: broken Deployments become incidents diagnosed by the
// agent, with usage, citations and metrics; API trouble and malformed answers
// end in the rules' diagnosis, saying why.
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { ProductionIncident } from "../../src/api/incident.js";
import type { ConfigInput } from "../../src/config.js";
import { TOOL_INPUTS } from "../../src/diagnosis/agent/tool-defs.js";
import { SUBMIT_TOOL } from "../../src/diagnosis/agent/schema.js";
import { startOperator, type OperatorHandle } from "../../src/operator.js";
import { overloaded, reply, startFakeAnthropic, toolUse, type FakeAnthropic, type FakeScript, type RecordedRequest } from "../fakes/anthropic.js";
import { scriptedInvestigation } from "../fakes/scripted-model.js";
import { useTestCluster } from "../testenv/vitest.js";
import { BROKEN, deployBroken, SECRETS } from "./agent-shop.js";
import { prepare, testConfig, waitForIncidents, type Env } from "./harness.js";

const cluster = useTestCluster();
let env: Env | undefined;
const E = async (): Promise<Env> => (env ??= await prepare(cluster()));

const MODEL = "claude-sonnet-5-5";
const READ_ONLY = new Set<string>([...Object.keys(TOOL_INPUTS), SUBMIT_TOOL]);

let running: { op: OperatorHandle; fake: FakeAnthropic } | undefined;
afterEach(async () => {
  await running?.op.stop();
  await running?.fake.close();
  running = undefined;
});

/** The operator, watching one namespace, with the agent pointed at a fake serving script. */
async function startWithAgent(e: Env, namespace: string, script: FakeScript, agent: NonNullable<ConfigInput["agent"]> = {}): Promise<{ op: OperatorHandle; fake: FakeAnthropic }> {
  const fake = await startFakeAnthropic(script);
  const config = testConfig({
    namespaces: [namespace],
    server: { port: 0 },
    agent: { apiKey: fake.apiKey, baseURL: fake.url, model: MODEL, maxRetries: 1, ...agent },
  });
  const op = await startOperator({
    config: { ...config, leaderElection: { ...config.leaderElection, identity: `agent-e2e-${namespace}` } },
    kubeConfig: e.cluster.kubeConfig,
    logger: pino({ level: process.env.PF_TEST_LOG ?? "silent" }),
  });
  running = { op, fake };
  return running;
}

function citedIds(incident: ProductionIncident): string[] {
  return (incident.status?.diagnosis?.hypotheses ?? []).flatMap((h) => h.evidence);
}

/** Tool calls the model made, as the operator sent them back in later requests. */
function toolCalls(requests: RecordedRequest[]): string[] {
  const out: string[] = [];
  for (const r of requests) {
    const messages = (r.body?.messages ?? []) as { role: string; content: string | { type: string; name?: string }[] }[];
    for (const m of messages.filter((x) => x.role === "assistant" && Array.isArray(x.content))) {
      for (const b of m.content as { type: string; name?: string }[]) if (b.type === "tool_use") out.push(b.name ?? "");
    }
  }
  return out;
}

function cacheMarked(r: RecordedRequest): { system: boolean; tools: boolean } {
  const system = (r.body?.system ?? []) as { cache_control?: unknown }[];
  const tools = (r.body?.tools ?? []) as { cache_control?: unknown }[];
  return { system: system.at(-1)?.cache_control !== undefined, tools: tools.at(-1)?.cache_control !== undefined };
}

async function metricValue(op: OperatorHandle, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await op.metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe("the operator with the agent against the fake Anthropic API", () => {
  it("diagnoses broken Deployments with the agent: usage, citations, read-only tools, caching, no secrets, metrics", async () => {
    const e = await E();
    const { op, fake } = await startWithAgent(e, "agent-shop", scriptedInvestigation());
    await deployBroken(e, "agent-shop");
    const incidents = await waitForIncidents(e, "agent-shop", BROKEN.length, "Diagnosed");

    for (const service of BROKEN) {
      const incident = incidents.find((i) => i.spec.target.name === service.name);
      const d = incident?.status?.diagnosis;
      expect(d, service.name).toBeDefined();
      expect({ service: service.name, mode: d!.mode, model: d!.model, category: d!.category }).toEqual({ service: service.name, mode: "agent", model: MODEL, category: service.expect });
      const u = d!.usage!;
      expect(u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens).toBeGreaterThan(0);
      expect(u.cacheReadInputTokens, `${service.name} reads the stable prefix from the cache`).toBeGreaterThan(0);
      expect(d!.usage!.outputTokens).toBeGreaterThan(0);
      expect(d!.usage!.costUSD).toBeGreaterThan(0);
      expect(d!.usage!.steps).toBeGreaterThanOrEqual(3);
      expect(d!.usage!.requests).toBe(d!.usage!.steps);
      const present = new Set(d!.evidence.map((x) => x.id));
      expect(citedIds(incident!).length).toBeGreaterThan(0);
      for (const id of citedIds(incident!)) expect(present, `${service.name} cites ${id}`).toContain(id);
    }

    const messages = fake.requests.filter((r) => r.path === "/v1/messages");
    expect(messages.length).toBeGreaterThanOrEqual(BROKEN.length * 3);
    const calls = toolCalls(messages);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((n) => !READ_ONLY.has(n))).toEqual([]);
    for (const r of messages) {
      expect(cacheMarked(r)).toEqual({ system: true, tools: true });
      for (const secret of Object.values(SECRETS)) expect(r.raw, `request #${r.index}`).not.toContain(secret);
    }
    // The credentials were in what the model was shown, redacted.
    expect(messages.some((r) => r.raw.includes("DB_PASSWORD=[REDACTED"))).toBe(true);
    expect(messages.some((r) => r.raw.includes("aws_secret_access_key = [REDACTED"))).toBe(true);
    for (const i of incidents) expect(i.status?.redactions, i.spec.target.name).toBeGreaterThan(0);

    const usage = incidents.map((i) => i.status!.diagnosis!.usage!);
    const sum = (f: (u: (typeof usage)[number]) => number): number => usage.reduce((a, u) => a + f(u), 0);
    expect(await metricValue(op, "production_fixer_llm_tokens_total", { model: MODEL, type: "output" })).toBe(sum((u) => u.outputTokens));
    expect(await metricValue(op, "production_fixer_llm_tokens_total", { model: MODEL, type: "cache_read" })).toBe(sum((u) => u.cacheReadInputTokens));
    expect(await metricValue(op, "production_fixer_llm_cost_usd_total", { model: MODEL })).toBeGreaterThan(0);
    const scraped = await (await fetch(`http://127.0.0.1:${op.port}/metrics`)).text();
    expect(scraped).toMatch(new RegExp(`production_fixer_llm_tokens_total\\{model="${MODEL}",type="output"\\} [1-9]`));
    expect(scraped).toContain('production_fixer_investigations_total{mode="agent",outcome="success"} 4');
  });

  it("ends Diagnosed by the rules, saying why, when the API answers 529 overloaded to every call", async () => {
    const e = await E();
    const { fake } = await startWithAgent(e, "agent-overloaded", () => overloaded());
    await deployBroken(e, "agent-overloaded", [BROKEN[1]!]);
    const [incident] = await waitForIncidents(e, "agent-overloaded", 1, "Diagnosed");
    const d = incident!.status!.diagnosis!;
    expect(d.mode).toBe("rules");
    expect(d.category).toBe("OutOfMemory");
    expect(d.notes.join("\n")).toMatch(/The agent did not produce the diagnosis \(Anthropic API error 529 overloaded_error after 1 retry/);
    expect(fake.requests.filter((r) => r.path === "/v1/messages").every((r) => r.status === 529)).toBe(true);
  });

  it("uses the rules' diagnosis, and says so, when the model's answer is malformed twice", async () => {
    const e = await E();
    const malformed = (): ReturnType<typeof reply> => reply(toolUse(SUBMIT_TOOL, { category: "Broken", summary: "" }));
    const { op, fake } = await startWithAgent(e, "agent-malformed", malformed);
    await deployBroken(e, "agent-malformed", [BROKEN[2]!]);
    const [incident] = await waitForIncidents(e, "agent-malformed", 1, "Diagnosed");
    const d = incident!.status!.diagnosis!;
    expect(d.mode).toBe("rules");
    expect(d.category).toBe("ImagePull");
    const notes = d.notes.join("\n");
    expect(notes).toContain("The agent's first answer was rejected and repaired");
    expect(notes).toMatch(/The agent did not produce the diagnosis \(the diagnosis failed validation again after one repair/);
    expect(fake.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(2);
    expect(d.usage?.requests).toBe(2);
    expect(await metricValue(op, "production_fixer_llm_tokens_total", { model: MODEL, type: "output" })).toBeGreaterThan(0);
    expect(await metricValue(op, "production_fixer_investigations_total", { mode: "agent", outcome: "fallback" })).toBe(1);
  });
});
