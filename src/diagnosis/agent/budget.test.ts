import { describe, expect, it } from "vitest";
import { agentConfig } from "../../../test/fakes/agent-fixtures.js";
import { Budget, costUSD, totalTokens } from "./budget.js";

const prices = agentConfig().prices;
const usage = { inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 10_000, cacheCreationInputTokens: 2000 };

describe("budget", () => {
  it("prices usage per model, pricing an unknown model like the most expensive", () => {
    expect(costUSD("claude-sonnet-5-5", usage, prices)).toBeCloseTo((1000 * 3 + 500 * 15 + 10_000 * 0.3 + 2000 * 3.75) / 1e6, 10);
    expect(costUSD("claude-unknown", usage, prices)).toBe(costUSD("claude-opus-5-5", usage, prices));
    expect(totalTokens(usage)).toBe(13_500);
  });

  it("is exhausted by tokens or cost within a UTC day and starts over the next day", () => {
    let now = new Date("2026-11-27T23:00:00Z");
    const budget = new Budget({ tokensPerDay: 20_000, costPerDayUSD: 1, prices, now: () => now });
    budget.record("claude-sonnet-5-5", usage);
    expect(budget.exhausted()).toBeUndefined();
    expect(budget.remainingTokens()).toBe(6500);
    budget.record("claude-sonnet-5-5", usage);
    expect(budget.exhausted()).toMatch(/daily token budget exhausted \(27000 of 20000/);
    now = new Date("2026-11-28T00:00:01Z");
    expect(budget.exhausted()).toBeUndefined();
    const cheap = new Budget({ tokensPerDay: 1e9, costPerDayUSD: 0.01, prices, now: () => now });
    cheap.record("claude-opus-5-5", usage);
    expect(cheap.exhausted()).toMatch(/daily cost budget exhausted/);
  });
});
