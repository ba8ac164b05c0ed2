// The conversation with Claude: send the brief, run the read-only tools the
// model asks for, stop when it submits a diagnosis that validates and
// verifies. Bounded by steps, tokens per investigation, the daily budget and
// the wall clock. API errors are thrown to the caller (the investigator
// decides what they mean); every other way the loop can end is an outcome.
import type Anthropic from "@anthropic-ai/sdk";
import type { Config } from "../../config.js";
import { addUsage, totalTokens, ZERO_USAGE, type Budget, type TokenUsage } from "./budget.js";
import type { EvidenceLedger } from "./ledger.js";
import { SYSTEM_PROMPT } from "./prompt.js";
import { parseSubmission, submitTool, SUBMIT_TOOL, type Submission } from "./schema.js";
import type { ToolBox } from "./tools.js";
import { formatIssues, verifySubmission } from "./verifier.js";

const CACHE = { type: "ephemeral" } as const;
/** What a submission usually costs in output tokens; used to decide when only one turn is left. */
const EXPECTED_ANSWER_TOKENS = 2000;

export interface LoopDeps {
  client: Anthropic;
  config: Config["agent"];
  budget: Budget;
  tools: ToolBox;
  ledger: EvidenceLedger;
  now: () => number;
}

export interface LoopInput {
  brief: string;
  signal: AbortSignal;
  /** Epoch ms after which no new request starts. */
  deadline: number;
}

export interface LoopProgress {
  usage: TokenUsage;
  costUSD: number;
  /** Model turns that returned. */
  steps: number;
  /** messages.create calls made (SDK retries inside one call are not counted). */
  requests: number;
  notes: string[];
}

export type LoopOutcome = ({ kind: "submitted"; submission: Submission } | { kind: "stopped"; reason: string }) & { progress: LoopProgress };

export class AgentLoopError extends Error {
  override name = "AgentLoopError";
  constructor(
    message: string,
    readonly progress: LoopProgress,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

type ToolReply = { kind: "reply"; block: { content: string; is_error?: boolean } };
type TurnResult = { kind: "continue"; reply: Anthropic.ContentBlockParam[] } | { kind: "submitted"; submission: Submission } | { kind: "stopped"; reason: string };

/** The stable prefix: system prompt and tool definitions, with a cache breakpoint at the end of each. */
export function stablePrefix(tools: Anthropic.Tool[]): { system: Anthropic.TextBlockParam[]; tools: Anthropic.Tool[] } {
  const all = [...tools, submitTool];
  const last = all.length - 1;
  return {
    system: [{ type: "text", text: SYSTEM_PROMPT, cache_control: CACHE }],
    tools: all.map((t, i) => (i === last ? { ...t, cache_control: CACHE } : t)),
  };
}

/** The conversation with one more breakpoint on its last block, so the next turn reads everything before it from the cache. */
function withTailBreakpoint(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const last = messages.at(-1);
  if (!last || typeof last.content === "string" || last.content.length === 0) return messages;
  const blocks = [...last.content];
  blocks[blocks.length - 1] = { ...blocks.at(-1)!, cache_control: CACHE } as Anthropic.ContentBlockParam;
  return [...messages.slice(0, -1), { ...last, content: blocks } as Anthropic.MessageParam];
}

function asParams(content: Anthropic.ContentBlock[]): Anthropic.ContentBlockParam[] {
  const out: Anthropic.ContentBlockParam[] = [];
  for (const b of content) {
    if (b.type === "text") out.push({ type: "text", text: b.text });
    else if (b.type === "tool_use") out.push({ type: "tool_use", id: b.id, name: b.name, input: b.input });
  }
  return out;
}

export class AgentLoop {
  private readonly progress: LoopProgress = { usage: ZERO_USAGE, costUSD: 0, steps: 0, requests: 0, notes: [] };
  private readonly messages: Anthropic.MessageParam[] = [];
  private repairsLeft = 1;
  private repairPending = false;
  private nudged = false;
  private lastInput = 0;
  private pendingChars = 0;

  constructor(private readonly deps: LoopDeps) {}

  async run(input: LoopInput): Promise<LoopOutcome> {
    const prefix = stablePrefix(this.deps.tools.definitions());
    this.messages.push({ role: "user", content: [{ type: "text", text: input.brief }] });
    this.pendingChars = input.brief.length;
    let limit = this.deps.config.maxSteps;
    for (let step = 0; step < limit; step++) {
      const stop = this.limitReached(input.deadline);
      if (stop) return this.stopped(stop);
      const force = step === limit - 1 || this.onlyOneTurnLeft();
      const res = await this.request(prefix, force, input);
      const turn = await this.handle(res);
      if (turn.kind === "submitted") return { kind: "submitted", submission: turn.submission, progress: this.progress };
      if (turn.kind === "stopped") return this.stopped(turn.reason);
      this.messages.push({ role: "user", content: turn.reply });
      this.pendingChars = JSON.stringify(turn.reply).length;
      // A repair asked for on the last turn gets one more turn to answer it.
      if (this.repairPending && step === limit - 1) limit += 1;
      this.repairPending = false;
    }
    return this.stopped(`step limit of ${this.deps.config.maxSteps} reached without a diagnosis`);
  }

  private stopped(reason: string): LoopOutcome {
    return { kind: "stopped", reason, progress: this.progress };
  }

  private estimateNext(): number {
    return this.lastInput + Math.ceil(this.pendingChars / 4);
  }

  private onlyOneTurnLeft(): boolean {
    const left = this.deps.config.maxTokensPerInvestigation - totalTokens(this.progress.usage);
    return left < 2 * (this.estimateNext() + EXPECTED_ANSWER_TOKENS);
  }

  private limitReached(deadline: number): string | undefined {
    const daily = this.deps.budget.exhausted();
    if (daily) return daily;
    if (this.deps.now() >= deadline) return `wall-clock limit of ${this.deps.config.timeoutSeconds}s reached after ${this.progress.steps} step(s)`;
    const used = totalTokens(this.progress.usage);
    const limit = this.deps.config.maxTokensPerInvestigation;
    if (used + this.estimateNext() + EXPECTED_ANSWER_TOKENS > limit) return `token budget of ${limit} per investigation exhausted after ${this.progress.steps} step(s) (${used} used)`;
    return undefined;
  }

  private async request(prefix: ReturnType<typeof stablePrefix>, force: boolean, input: LoopInput): Promise<Anthropic.Message> {
    const { config, client } = this.deps;
    this.progress.requests += 1;
    try {
      return await client.messages.create(
        {
          model: config.model,
          max_tokens: config.maxOutputTokens,
          system: prefix.system,
          tools: prefix.tools,
          tool_choice: force ? { type: "tool", name: SUBMIT_TOOL } : { type: "auto" },
          messages: withTailBreakpoint(this.messages),
        },
        { signal: input.signal, timeout: Math.max(1000, input.deadline - this.deps.now()) },
      );
    } catch (cause) {
      throw new AgentLoopError(`request ${this.progress.requests} to the Anthropic API failed`, this.progress, { cause });
    }
  }

  private record(res: Anthropic.Message): void {
    const u = res.usage;
    const usage: TokenUsage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadInputTokens: u.cache_read_input_tokens ?? 0, cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0 };
    this.progress.usage = addUsage(this.progress.usage, usage);
    this.progress.costUSD += this.deps.budget.record(this.deps.config.model, usage);
    this.progress.steps += 1;
    this.lastInput = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens + usage.outputTokens;
  }

  private async handle(res: Anthropic.Message): Promise<TurnResult> {
    this.record(res);
    const content = asParams(res.content);
    this.messages.push({ role: "assistant", content: content.length ? content : [{ type: "text", text: "(no content)" }] });
    const uses = res.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
    if (uses.length === 0) return this.nudge(res.stop_reason);
    const reply: Anthropic.ContentBlockParam[] = [];
    for (const use of uses) {
      const result = use.name === SUBMIT_TOOL ? this.judge(use.input) : await this.runTool(use);
      if (result.kind !== "reply") return result;
      reply.push({ type: "tool_result", tool_use_id: use.id, ...result.block });
    }
    return { kind: "continue", reply };
  }

  private nudge(stopReason: Anthropic.StopReason | null): TurnResult {
    if (this.nudged) return { kind: "stopped", reason: `the model ended its turn (${stopReason ?? "no stop reason"}) twice without submitting a diagnosis` };
    this.nudged = true;
    return { kind: "continue", reply: [{ type: "text", text: `Call ${SUBMIT_TOOL} now with your conclusion; if the evidence is insufficient, submit category Unknown with a low confidence.` }] };
  }

  private async runTool(use: Anthropic.ToolUseBlock): Promise<ToolReply> {
    const out = await this.deps.tools.run(use.name, use.input);
    return { kind: "reply", block: out.isError ? { content: out.content, is_error: true } : { content: out.content } };
  }

  /** Validates and verifies a submission; the first failure gets one repair, the second ends the loop. */
  private judge(input: unknown): Exclude<TurnResult, { kind: "continue" }> | ToolReply {
    const parsed = parseSubmission(input);
    const problems = parsed.ok ? verifySubmission(parsed.value, this.deps.ledger) : formatIssues(parsed.issues);
    if (parsed.ok && problems.length === 0) return { kind: "submitted", submission: parsed.value };
    const summary = problems.slice(0, 5).join("; ");
    if (this.repairsLeft === 0) return { kind: "stopped", reason: `the diagnosis failed validation again after one repair: ${summary}` };
    this.repairsLeft -= 1;
    this.repairPending = true;
    this.progress.notes.push(`The agent's first answer was rejected and repaired: ${summary}`.slice(0, 1000));
    return { kind: "reply", block: { content: `Your diagnosis was rejected:\n- ${problems.join("\n- ")}\nFix these and call ${SUBMIT_TOOL} again.`, is_error: true } };
  }
}
