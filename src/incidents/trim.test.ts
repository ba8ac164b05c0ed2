import { describe, expect, it } from "vitest";
import { Diagnosis } from "../api/diagnosis.js";
import { IncidentStatus } from "../api/incident.js";
import { fitDiagnosis, fitStatus, MAX_STATUS_BYTES, TRIM_NOTE } from "./trim.js";

const huge = (): Diagnosis => ({
  category: "ApplicationError", summary: "s".repeat(5000), rootCause: "r".repeat(50_000), confidence: 0.5,
  hypotheses: Array.from({ length: 30 }, () => ({ statement: "h".repeat(3000), verdict: "Possible" as const, evidence: [] })),
  evidence: Array.from({ length: 200 }, (_, i) => ({ id: `logs/x#L${i}`, source: "Logs" as const, excerpt: "e".repeat(100_000) })),
  remediation: [], prevention: [], mode: "agent", durationMs: 1, notes: [],
});

describe("trim", () => {
  it("leaves a diagnosis within limits untouched", () => {
    const d: Diagnosis = { ...huge(), summary: "ok", rootCause: "ok", hypotheses: [], evidence: [] };
    expect(fitDiagnosis(d)).toBe(d);
  });

  it("clamps a huge diagnosis to the schema and the byte budget, with a note", () => {
    const d = fitDiagnosis(huge());
    expect(Diagnosis.safeParse(d).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(d))).toBeLessThanOrEqual(MAX_STATUS_BYTES);
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.notes).toContain(TRIM_NOTE);
    const status = fitStatus({ phase: "Diagnosed", diagnosis: d });
    expect(IncidentStatus.safeParse(status).success).toBe(true);
  });
});
