import { describe, expect, it } from "vitest";
import type { Diagnosis } from "../api/diagnosis.js";
import { LABEL_FINGERPRINT } from "../api/common.js";
import { fingerprintFor } from "./fingerprint.js";
import { detected, diagnosed, failed, investigating, newIncident, recordPods, reopened, resolved, setCondition } from "./lifecycle.js";

const t = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const obs = (pod: string, s = 0) => ({ pod, reason: "CrashLoopBackOff", restartCount: 3, seenAt: t(s).toISOString() });
const diagnosis: Diagnosis = {
  category: "OutOfMemory", summary: "web exceeds 64Mi", rootCause: "heap", confidence: 0.9,
  hypotheses: [], evidence: [], remediation: [], prevention: [], mode: "rules", durationMs: 5, notes: [],
};

describe("lifecycle", () => {
  it("builds the incident to create from the fingerprint", () => {
    const workload = { kind: "Deployment", name: "web", namespace: "shop" };
    const failure = { reason: "OOMKilled", container: "web", init: false, signature: "OOMKilled" };
    const fp = fingerprintFor(workload, failure);
    const inc = newIncident({ fingerprint: fp, workload, failure });
    expect(inc.metadata).toMatchObject({ name: fp.incidentName, namespace: "shop", labels: { [LABEL_FINGERPRINT]: fp.hash } });
    expect(inc.spec).toEqual({ target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" }, trigger: { source: "PodFailure", reason: "OOMKilled" }, fingerprint: fp.fingerprint });
    expect(inc.status).toBeUndefined();
  });

  it("counts distinct pods and bounds the list", () => {
    const s = detected([obs("a"), obs("b"), obs("a", 1)], t(0), 3);
    expect(s).toMatchObject({ phase: "Detected", occurrences: 2 });
    const counted = new Set<string>();
    const more = recordPods(s, ["c", "d", "e", "a"].map((p, i) => obs(p, 10 + i)), counted, 3);
    for (const p of ["a", "b", "c", "d", "e"]) counted.add(p);
    expect(more.occurrences).toBe(5);
    expect(more.affectedPods?.map((p) => p.name)).toEqual(["d", "e", "a"]);
    expect(more.lastSeen).toBe(t(13).toISOString());
    // a pod pushed out of the list but already counted is not counted again
    expect(recordPods(more, [obs("c", 20)], counted, 3).occurrences).toBe(5);
  });

  it("keeps lastTransitionTime while a condition's status does not change", () => {
    const a = setCondition(undefined, { type: "Resolved", status: "False", reason: "FailureObserved", message: "x" }, t(0), 1);
    const b = setCondition(a, { type: "Resolved", status: "False", reason: "FailureRecurred", message: "y" }, t(5), 2);
    expect(b[0]).toMatchObject({ reason: "FailureRecurred", lastTransitionTime: t(0).toISOString(), observedGeneration: 2 });
    const c = setCondition(b, { type: "Resolved", status: "True", reason: "WorkloadHealthy", message: "z" }, t(9), 2);
    expect(c[0]?.lastTransitionTime).toBe(t(9).toISOString());
  });

  it("goes Detected → Investigating → Diagnosed → Resolved → reopened", () => {
    let s = detected([obs("a")], t(0), 20, 1);
    s = investigating(s, t(1), 1);
    expect(s.conditions?.find((c) => c.type === "Investigated")).toMatchObject({ status: "Unknown", reason: "InvestigationInProgress" });
    s = diagnosed(s, { diagnosis, redactions: 2 }, t(2), 1);
    expect(s).toMatchObject({ phase: "Diagnosed", redactions: 2, investigatedAt: t(2).toISOString(), observedGeneration: 1 });
    expect(s.conditions?.find((c) => c.type === "Investigated")).toMatchObject({ status: "True", reason: "DiagnosedByRules" });
    s = resolved(s, 60, t(70), 1);
    expect(s).toMatchObject({ phase: "Resolved", resolvedAt: t(70).toISOString() });
    s = reopened(s, [obs("z")], t(90), 1);
    expect(s).toMatchObject({ phase: "Detected", recurrences: 1, resolvedAt: undefined });
    expect(s.conditions?.find((c) => c.type === "Resolved")).toMatchObject({ status: "False", reason: "FailureRecurred", lastTransitionTime: t(90).toISOString() });
  });

  it("records why an investigation failed", () => {
    const s = failed(investigating(detected([obs("a")], t(0), 20), t(1)), "timed out after 120s", t(2));
    expect(s).toMatchObject({ phase: "Failed", failureReason: "timed out after 120s" });
    expect(s.conditions?.find((c) => c.type === "Investigated")).toMatchObject({ status: "False", reason: "InvestigationFailed" });
  });
});
