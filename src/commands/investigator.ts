import type { Config } from "../config.js";
import { RulesInvestigator } from "../diagnosis/engine.js";
import type { Investigator } from "../diagnosis/types.js";

/**
 * The investigator for CLI commands: the agent (through
 * src/diagnosis/factory.ts) when an API key is configured and --no-agent is
 * not given, otherwise the rules alone, with the reason recorded.
 */
export interface InvestigatorChoice {
  investigator: Investigator;
  rulesOnly?: { reason: string };
}

type Factory = (config: Config, deps: Record<string, unknown>) => Investigator;

async function loadFactory(): Promise<Factory | undefined> {
  const specifier = "../diagnosis/factory.js";
  try {
    const mod = (await import(specifier)) as { createInvestigator?: Factory };
    return mod.createInvestigator;
  } catch {
    return undefined;
  }
}

export async function chooseInvestigator(config: Config, noAgent: boolean): Promise<InvestigatorChoice> {
  if (noAgent) return { investigator: new RulesInvestigator(), rulesOnly: { reason: "--no-agent was given" } };
  if (!config.agent.apiKey) return { investigator: new RulesInvestigator(), rulesOnly: { reason: "no Anthropic API key is configured (ANTHROPIC_API_KEY)" } };
  const factory = await loadFactory();
  if (!factory) return { investigator: new RulesInvestigator(), rulesOnly: { reason: "the agent is not available in this build" } };
  return { investigator: factory(config, {}) };
}
