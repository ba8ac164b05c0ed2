// What an agent diagnosis on the live path must show: mode agent, the model,
// usage filled, every cited evidence id present; and the incidents opened are
// the ones the snapshot path opens.
import type { Diagnosis } from "../../src/api/diagnosis.js";
import { TOOL_INPUTS } from "../../src/diagnosis/agent/tool-defs.js";
import { SUBMIT_TOOL } from "../../src/diagnosis/agent/schema.js";
import type { RecordedRequest } from "../fakes/anthropic.js";

export interface LiveIncident {
  /** kind/namespace/name/container */
  target: string;
  phase: string;
  diagnosis: Diagnosis | undefined;
}

export interface IncidentExpectation {
  incidents: LiveIncident[];
  expectedCount: number;
  expectedTargets: string[];
  model: string;
}

/** Problems with one scenario's incidents; empty when it passes. */
export function checkIncidents(e: IncidentExpectation): string[] {
  const problems: string[] = [];
  if (e.incidents.length !== e.expectedCount) problems.push(`${e.incidents.length} incident(s), expected ${e.expectedCount}`);
  const targets = e.incidents.map((i) => i.target).sort();
  if (targets.join(",") !== e.expectedTargets.join(",")) problems.push(`targets ${targets.join(",") || "none"}, expected ${e.expectedTargets.join(",") || "none"}`);
  for (const i of e.incidents) problems.push(...checkDiagnosis(i, e.model).map((p) => `${i.target}: ${p}`));
  return problems;
}

function checkDiagnosis(i: LiveIncident, model: string): string[] {
  const d = i.diagnosis;
  if (i.phase !== "Diagnosed" || !d) return [`phase ${i.phase}, not Diagnosed`];
  const problems: string[] = [];
  if (d.mode !== "agent") problems.push(`mode ${d.mode}: ${d.notes[0] ?? ""}`);
  if (d.model !== model) problems.push(`model ${d.model ?? "missing"}`);
  const u = d.usage;
  if (!u || u.steps === 0 || u.requests === 0 || u.outputTokens === 0 || u.costUSD === 0) problems.push(`usage not filled: ${JSON.stringify(u)}`);
  const present = new Set(d.evidence.map((x) => x.id));
  const cited = d.hypotheses.flatMap((h) => h.evidence);
  if (d.mode === "agent" && cited.length === 0) problems.push("no cited evidence");
  for (const id of cited.filter((x) => !present.has(x))) problems.push(`cites ${id}, which is not in diagnosis.evidence`);
  return problems;
}

const READ_ONLY = new Set<string>([...Object.keys(TOOL_INPUTS), SUBMIT_TOOL]);

/** Names of tool calls in the conversations sent that are not read-only tools. */
export function readOnlyViolations(requests: RecordedRequest[]): string[] {
  const out: string[] = [];
  for (const r of requests) {
    const messages = (r.body?.messages ?? []) as { role: string; content: string | { type: string; name?: string }[] }[];
    for (const m of messages) {
      if (m.role !== "assistant" || typeof m.content === "string") continue;
      for (const b of m.content) if (b.type === "tool_use" && !READ_ONLY.has(b.name ?? "")) out.push(b.name ?? "");
    }
  }
  return out;
}
