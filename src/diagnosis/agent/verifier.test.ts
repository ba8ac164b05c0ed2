import { describe, expect, it } from "vitest";
import { goodSubmission } from "../../../test/fakes/agent-fixtures.js";
import { EvidenceLedger } from "./ledger.js";
import { parseSubmission, submitTool, type Submission } from "./schema.js";
import { citedIds, verifySubmission } from "./verifier.js";

function ledger(): EvidenceLedger {
  const l = new EvidenceLedger();
  l.add({ id: "tool/rollout/Deployment/shop/web/1-2", source: "Rollout", title: "diff", text: "env changed" }, true);
  l.add({ id: "logs/shop/web-1/web/previous", source: "Logs", title: "logs", text: "FATAL" }, true);
  l.add({ id: "events/unseen", source: "Event", title: "events", text: "x" }, false);
  return l;
}

const parse = (input: unknown): Submission => {
  const p = parseSubmission(input);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
};

describe("submission schema and verifier", () => {
  it("accepts a well-formed, well-cited answer", () => {
    const s = parse(goodSubmission());
    expect(verifySubmission(s, ledger())).toEqual([]);
    expect(citedIds(s)).toEqual(["tool/rollout/Deployment/shop/web/1-2", "logs/shop/web-1/web/previous"]);
    expect(ledger().items(citedIds(s)).map((e) => e.source)).toEqual(["Rollout", "Logs"]);
  });

  it("rejects malformed input with readable issues", () => {
    const p = parseSubmission({ ...goodSubmission(), category: "DNS", confidence: 3, extra: 1 });
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["category", "confidence"]));
    expect(submitTool.input_schema.type).toBe("object");
    expect(submitTool.input_schema.required).toEqual(expect.arrayContaining(["category", "rootCauseEvidence", "hypotheses", "remediation"]));
  });

  it("flags invented ids, unseen ids, unsupported verdicts and a missing fix", () => {
    const s = parse(
      goodSubmission({
        rootCauseEvidence: ["made/up", "events/unseen"],
        hypotheses: [{ statement: "x", verdict: "Confirmed", evidence: [] }],
        remediation: [{ title: "roll back", stage: "Stabilize", risk: "Low" }],
      }),
    );
    const problems = verifySubmission(s, ledger());
    expect(problems).toEqual([
      expect.stringContaining(`"made/up" does not exist`),
      expect.stringContaining(`"events/unseen" was never shown`),
      "hypotheses[0] is Confirmed but cites no evidence",
      `remediation has no step with stage "Fix"`,
    ]);
  });
});
