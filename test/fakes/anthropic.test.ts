import Anthropic, { AuthenticationError, BadRequestError, OverloadedError, RateLimitError } from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { apiError, overloaded, rateLimited, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic, type FakeScript } from "./anthropic.js";

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(script: FakeScript, opts: { maxRetries?: number; apiKey?: string } = {}): Promise<Anthropic> {
  fake = await startFakeAnthropic(script);
  return new Anthropic({ apiKey: opts.apiKey ?? fake.apiKey, baseURL: fake.url, maxRetries: opts.maxRetries ?? 0 });
}

const longSystem = "You investigate failing workloads. ".repeat(200);
const tool = { name: "get_logs", description: "read logs", input_schema: { type: "object" as const, properties: { pod: { type: "string" } } } };

describe("fake Anthropic API", () => {
  it("returns a message envelope with tool_use blocks and usage", async () => {
    const c = await client([reply(text("looking"), toolUse("get_logs", { pod: "web-1" }))]);
    const msg = await c.messages.create({ model: "claude-sonnet-5-5", max_tokens: 512, tools: [tool], messages: [{ role: "user", content: "why does web-1 crash?" }] });
    expect(msg.type).toBe("message");
    expect(msg.role).toBe("assistant");
    expect(msg.stop_reason).toBe("tool_use");
    const use = msg.content.find((b) => b.type === "tool_use");
    expect(use).toMatchObject({ name: "get_logs", input: { pod: "web-1" } });
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(fake!.requests[0]!.headers["anthropic-version"]).toBeTruthy();
  });

  it("reports cache creation, then cache reads for a marked prefix seen before", async () => {
    const c = await client([reply(text("a")), reply(text("b"))]);
    const params = {
      model: "claude-sonnet-5-5",
      max_tokens: 64,
      system: [{ type: "text" as const, text: longSystem, cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "first" }],
    };
    const first = await c.messages.create(params);
    const second = await c.messages.create({ ...params, messages: [{ role: "user", content: "second question" }] });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it("maps error statuses to the SDK's error classes with the request id", async () => {
    const c = await client([overloaded(), rateLimited(), apiError(400, "bad")]);
    const params = { model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user" as const, content: "hi" }] };
    const e1 = await c.messages.create(params).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(OverloadedError);
    expect((e1 as OverloadedError).requestID).toMatch(/^req_/);
    expect((e1 as OverloadedError).type).toBe("overloaded_error");
    await expect(c.messages.create(params)).rejects.toBeInstanceOf(RateLimitError);
    await expect(c.messages.create(params)).rejects.toBeInstanceOf(BadRequestError);
    expect(fake!.requests[1]!.status).toBe(429);
  });

  it("lets the SDK retry 529 and succeed", async () => {
    const c = await client([overloaded(), overloaded(), reply(text("ok"))], { maxRetries: 2 });
    const msg = await c.messages.create({ model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    expect(msg.content[0]).toMatchObject({ type: "text", text: "ok" });
    expect(fake!.requests.map((r) => r.status)).toEqual([529, 529, 200]);
  });

  it("rejects a wrong key with 401", async () => {
    const c = await client([reply(text("never"))], { apiKey: "wrong" });
    await expect(c.messages.create({ model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("rejects a tool_use left without its tool_result", async () => {
    const c = await client([reply(text("never"))]);
    const err = await c.messages
      .create({
        model: "claude-sonnet-5-5",
        max_tokens: 64,
        tools: [tool],
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_logs", input: {} }] },
          { role: "user", content: "no result" },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(String((err as Error).message)).toContain("tool_result");
  });

  it("counts tokens", async () => {
    const c = await client([]);
    const count = await c.messages.countTokens({ model: "claude-sonnet-5-5", messages: [{ role: "user", content: "x".repeat(400) }] });
    expect(count.input_tokens).toBeGreaterThanOrEqual(100);
  });

  it("answers from a function of the request", async () => {
    const c = await client((req) => reply(text(`you sent ${(req.body!.messages as unknown[]).length} message(s)`)));
    const msg = await c.messages.create({ model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    expect(msg.content[0]).toMatchObject({ text: "you sent 1 message(s)" });
  });
});
