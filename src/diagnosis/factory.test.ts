import { afterEach, describe, expect, it } from "vitest";
import { reply, startFakeAnthropic, toolUse, type FakeAnthropic } from "../../test/fakes/anthropic.js";
import { loadScenario } from "../../test/scenarios/load.js";
import { Config } from "../config.js";
import { diagnoseSnapshot } from "./snapshot.js";
import { AgentInvestigator } from "./agent/investigator.js";
import { RulesInvestigator } from "./engine.js";
import { agentDisabledReason, createInvestigator } from "./factory.js";
import { join } from "node:path";

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("createInvestigator", () => {
  it("uses the rules without a key or with --no-agent, the agent with a key", () => {
    expect(createInvestigator(Config.parse({}))).toBeInstanceOf(RulesInvestigator);
    expect(agentDisabledReason(Config.parse({}))).toBe("no Anthropic API key configured");
    const keyed = Config.parse({ agent: { apiKey: "sk-ant-x" } });
    expect(createInvestigator(keyed)).toBeInstanceOf(AgentInvestigator);
    expect(createInvestigator(keyed, { noAgent: true })).toBeInstanceOf(RulesInvestigator);
    expect(agentDisabledReason(keyed, { noAgent: true })).toBe("--no-agent");
  });

  it("diagnoses a scenario snapshot through the agent when the key points at the fake", async () => {
    const scenario = loadScenario(join(import.meta.dirname, "../../test/scenarios/env-removed-by-rollout.yaml"));
    fake = await startFakeAnthropic((req) => {
      const n = (req.body!.messages as unknown[]).length;
      if (n === 1) return reply(toolUse("list_objects", { kind: "Pod" }));
      return reply(toolUse("submit_diagnosis", { unexpected: true }));
    });
    const config = Config.parse({ agent: { apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 } });
    const incidents = await diagnoseSnapshot(scenario.snapshot, { investigator: createInvestigator(config) });
    expect(incidents.length).toBe(scenario.expect.incidents);
    const d = incidents[0]!.status!.diagnosis!;
    // The scripted answer is malformed twice, so the rules' diagnosis stands and says why.
    expect(d.mode).toBe("rules");
    expect(d.category).toBe(scenario.expect.category);
    expect(d.notes[0]).toContain("failed validation again after one repair");
    expect(d.usage?.requests).toBe(3);
    expect(fake.requests.length).toBe(3);
  });
});
