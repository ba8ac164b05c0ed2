import { describe, expect, it } from "vitest";
import type { ProductionIncident } from "../api/incident.js";
import { describeIncident, incidentTable } from "./incidents.js";
import { styleFor } from "./style.js";

const incident: ProductionIncident = {
  apiVersion: "productionfixer.io/v1alpha1",
  kind: "ProductionIncident",
  metadata: { name: "web-oomkilled-1234abcd", namespace: "shop", creationTimestamp: "2026-11-27T11:55:00Z" },
  spec: { target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" }, trigger: { source: "PodFailure", reason: "OOMKilled" }, fingerprint: "shop/Deployment/web/web/OOMKilled" },
  status: {
    phase: "Diagnosed",
    occurrences: 3,
    affectedPods: [{ name: "web-1" }, { name: "web-2" }],
    redactions: 2,
    diagnosis: {
      category: "OutOfMemory",
      summary: "web is killed at its 256Mi memory limit",
      rootCause: "The container web uses more than its limit of 256Mi and the kernel kills it (exit 137, OOMKilled).",
      confidence: 0.95,
      hypotheses: [{ statement: "The limit is too low for the working set", verdict: "Confirmed", evidence: ["pod/shop/web-1/status"] }],
      evidence: [{ id: "pod/shop/web-1/status", source: "PodStatus", excerpt: "lastState.terminated: OOMKilled (exit 137)" }],
      remediation: [{ title: "Raise the memory limit", stage: "Fix", commands: ["kubectl set resources deployment/web -n shop --limits=memory=512Mi"], risk: "Low", rollback: ["kubectl rollout undo deployment/web -n shop"] }],
      prevention: ["Alert on working set above 80% of the limit"],
      mode: "rules",
      rule: "oom-killed",
      durationMs: 4,
      notes: [],
    },
  },
};

describe("incident rendering", () => {
  it("prints kubectl-like aligned columns", () => {
    const out = incidentTable([incident], new Date("2026-11-27T12:00:00Z")).split("\n");
    expect(out[0]).toMatch(/^NAMESPACE\s+NAME\s+PHASE\s+TARGET\s+CATEGORY\s+CONFIDENCE\s+AGE\s+SUMMARY$/);
    expect(out[1]).toMatch(/^shop\s+web-oomkilled-1234abcd\s+Diagnosed\s+Deployment\/web\s+OutOfMemory\s+0\.95\s+5m\s+web is killed/);
    expect(out[0]!.indexOf("PHASE")).toBe(out[1]!.indexOf("Diagnosed"));
  });

  it("describes root cause, evidence, remediation and rollback", () => {
    const text = describeIncident(incident);
    for (const part of ["Root cause:", "[pod/shop/web-1/status]", "$ kubectl set resources", "rollback:", "✔ Confirmed", "Redactions:   2", "web-1, web-2"]) {
      expect(text).toContain(part);
    }
  });

  it("uses color only on a TTY without NO_COLOR", () => {
    expect(styleFor({ isTTY: true }, {}).red("x")).not.toBe("x");
    expect(styleFor({ isTTY: true }, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(styleFor({ isTTY: false }, {}).red("x")).toBe("x");
  });
});
