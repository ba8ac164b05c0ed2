import type { Config } from "../config.js";
import { RulesInvestigator } from "../diagnosis/engine.js";
import { createInvestigator } from "../diagnosis/factory.js";
import type { Investigator } from "../diagnosis/types.js";

/**
 * The investigator for CLI commands: the agent (createInvestigator) when an API key is configured and --no-agent is
 * not given, otherwise the rules alone, with the reason recorded.
 */
export interface InvestigatorChoice {
  investigator: Investigator;
  rulesOnly?: { reason: string };
}

export async function chooseInvestigator(config: Config, noAgent: boolean): Promise<InvestigatorChoice> {
  if (noAgent) return { investigator: new RulesInvestigator(), rulesOnly: { reason: "--no-agent was given" } };
  if (!config.agent.apiKey) return { investigator: new RulesInvestigator(), rulesOnly: { reason: "no Anthropic API key is configured (ANTHROPIC_API_KEY)" } };
  return { investigator: createInvestigator(config) };
}
