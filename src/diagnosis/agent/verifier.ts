import type { Submission } from "./schema.js";
import type { EvidenceLedger } from "./ledger.js";

export interface ZodIssueLike {
  path: string[];
  message: string;
}

/** Every evidence id a submission cites, in order of appearance. */
export function citedIds(s: Submission): string[] {
  return [...new Set([...s.rootCauseEvidence, ...s.hypotheses.flatMap((h) => h.evidence)])];
}

/**
 * Checks what the schema cannot: every cited id exists and was shown to the
 * model, verdicts that decide something cite evidence, and a diagnosis with a
 * cause proposes a fix. Returns the problems, empty when the answer holds.
 */
export function verifySubmission(s: Submission, ledger: EvidenceLedger): string[] {
  const problems: string[] = [];
  for (const id of citedIds(s)) {
    if (!ledger.has(id)) problems.push(`evidence id "${id}" does not exist; cite only ids shown in brackets in the evidence or in tool results`);
    else if (!ledger.wasSeen(id)) problems.push(`evidence id "${id}" was never shown to you; read it with a tool before citing it`);
  }
  for (const [i, h] of s.hypotheses.entries()) {
    const decided = h.verdict === "Confirmed" || h.verdict === "Refuted";
    if (decided && h.evidence.length === 0) problems.push(`hypotheses[${i}] is ${h.verdict} but cites no evidence`);
  }
  const hasFix = s.remediation.some((r) => r.stage === "Fix");
  if (s.category !== "Unknown" && !hasFix) problems.push(`remediation has no step with stage "Fix"`);
  return problems;
}

export function formatIssues(issues: ZodIssueLike[]): string[] {
  return issues.slice(0, 15).map((i) => `${i.path.length ? i.path.join(".") : "(input)"}: ${i.message}`);
}
