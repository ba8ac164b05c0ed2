import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.js";

async function value(m: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await m.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

describe("Metrics.recordLlmUsage", () => {
  it("adds tokens by type and the cost, per model, and skips zero counts", async () => {
    const m = new Metrics();
    const usage = { inputTokens: 12, outputTokens: 340, cacheReadInputTokens: 2048, cacheCreationInputTokens: 0, costUSD: 0.0125, steps: 3, requests: 3 };
    m.recordLlmUsage("claude-sonnet-5-5", usage);
    m.recordLlmUsage("claude-sonnet-5-5", { ...usage, cacheCreationInputTokens: 1500 });
    const model = "claude-sonnet-5-5";
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "input" })).toBe(24);
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "output" })).toBe(680);
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "cache_read" })).toBe(4096);
    expect(await value(m, "production_fixer_llm_tokens_total", { model, type: "cache_write" })).toBe(1500);
    expect(await value(m, "production_fixer_llm_cost_usd_total", { model })).toBeCloseTo(0.025, 6);
    expect(await value(m, "production_fixer_llm_cost_usd_total", { model: "other" })).toBeUndefined();
  });
});
