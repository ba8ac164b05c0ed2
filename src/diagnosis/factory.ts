import type Anthropic from "@anthropic-ai/sdk";
import type { Config } from "../config.js";
import { RulesInvestigator } from "./engine.js";
import { AgentInvestigator, type AgentLogger, type Clock } from "./agent/investigator.js";
import type { Budget } from "./agent/budget.js";
import type { CircuitBreaker } from "./agent/breaker.js";
import type { Investigator } from "./types.js";

export interface InvestigatorDeps {
  /** The rules investigator to wrap (defaults to the built-in rules). */
  rules?: Investigator;
  /** Force the rules even with an API key (`--no-agent`). */
  noAgent?: boolean;
  client?: Anthropic;
  clock?: Clock;
  logger?: AgentLogger;
  /** Shared per-day budget; pass one per process so every investigation draws on it. */
  budget?: Budget;
  breaker?: CircuitBreaker;
}

/**
 * The investigator for a configuration: the Claude agent (with the rules as
 * its head start and fallback) when an API key is configured, else the rules
 * alone. The operator, `diagnose --snapshot` and `investigate` all get theirs
 * here.
 */
export function createInvestigator(config: Config, deps: InvestigatorDeps = {}): Investigator {
  const rules = deps.rules ?? new RulesInvestigator();
  if (deps.noAgent || !config.agent.apiKey) return rules;
  return new AgentInvestigator({
    config: config.agent,
    rules,
    ...(deps.client ? { client: deps.client } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.budget ? { budget: deps.budget } : {}),
    ...(deps.breaker ? { breaker: deps.breaker } : {}),
  });
}

/** Whether createInvestigator would use the agent, and if not, why (for diagnosis notes and logs). */
export function agentDisabledReason(config: Config, deps: Pick<InvestigatorDeps, "noAgent"> = {}): string | undefined {
  if (deps.noAgent) return "--no-agent";
  if (!config.agent.apiKey) return "no Anthropic API key configured";
  return undefined;
}
