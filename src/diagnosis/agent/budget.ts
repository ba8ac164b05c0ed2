import type { Config } from "../../config.js";

export type Prices = Config["agent"]["prices"];
export type Price = Prices[string];

/** Token counts of one or more API responses, in the API's own terms. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
  };
}

/** All tokens processed: uncached input, cache reads and writes, and output. */
export function totalTokens(u: TokenUsage): number {
  return u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens + u.outputTokens;
}

/**
 * Cost in USD from a price table (USD per million tokens). A model missing from
 * the table is priced like the most expensive one listed, so an unknown model
 * can never make spending look free.
 */
export function costUSD(model: string, u: TokenUsage, prices: Prices): number {
  const price = prices[model] ?? mostExpensive(prices);
  if (!price) return 0;
  const micro = u.inputTokens * price.input + u.outputTokens * price.output + u.cacheReadInputTokens * price.cacheRead + u.cacheCreationInputTokens * price.cacheWrite;
  return micro / 1_000_000;
}

function mostExpensive(prices: Prices): Price | undefined {
  return Object.values(prices).sort((a, b) => b.output - a.output)[0];
}

export interface BudgetOptions {
  tokensPerDay: number;
  costPerDayUSD: number;
  prices: Prices;
  now?: () => Date;
}

/**
 * Per-UTC-day token and cost budget shared by all investigations of one
 * process. Spending is recorded from the usage of every response; a new UTC day
 * starts from zero. A limit of 0 means "no agent at all".
 */
export class Budget {
  private day = "";
  private tokens = 0;
  private cost = 0;
  private readonly now: () => Date;

  constructor(private readonly opts: BudgetOptions) {
    this.now = opts.now ?? ((): Date => new Date());
  }

  static fromConfig(agent: Config["agent"], now?: () => Date): Budget {
    return new Budget({ tokensPerDay: agent.tokensPerDay, costPerDayUSD: agent.costPerDayUSD, prices: agent.prices, ...(now ? { now } : {}) });
  }

  /** Records one response's usage; returns its cost in USD. */
  record(model: string, u: TokenUsage): number {
    this.roll();
    const cost = costUSD(model, u, this.opts.prices);
    this.tokens += totalTokens(u);
    this.cost += cost;
    return cost;
  }

  /** Why no more may be spent today, or undefined while there is budget left. */
  exhausted(): string | undefined {
    this.roll();
    if (this.tokens >= this.opts.tokensPerDay) return `daily token budget exhausted (${this.tokens} of ${this.opts.tokensPerDay} tokens used today, UTC)`;
    if (this.cost >= this.opts.costPerDayUSD) return `daily cost budget exhausted ($${this.cost.toFixed(2)} of $${this.opts.costPerDayUSD.toFixed(2)} spent today, UTC)`;
    return undefined;
  }

  /** Tokens still available today. */
  remainingTokens(): number {
    this.roll();
    return Math.max(0, this.opts.tokensPerDay - this.tokens);
  }

  spentToday(): { tokens: number; costUSD: number } {
    this.roll();
    return { tokens: this.tokens, costUSD: this.cost };
  }

  private roll(): void {
    const day = this.now().toISOString().slice(0, 10);
    if (day === this.day) return;
    this.day = day;
    this.tokens = 0;
    this.cost = 0;
  }
}
