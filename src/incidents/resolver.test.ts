import { describe, expect, it } from "vitest";
import type { ProductionIncident } from "../api/incident.js";
import { resolutionStep } from "./resolver.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const inc = (status: ProductionIncident["status"]): ProductionIncident => ({
  apiVersion: "productionfixer.io/v1alpha1", kind: "ProductionIncident", metadata: { name: "i", namespace: "n" },
  spec: { target: { kind: "Deployment", namespace: "n", name: "w" }, trigger: { source: "PodFailure", reason: "CrashLoopBackOff" }, fingerprint: "f" },
  status,
});
const input = { now: T0, failingNow: false, healthyMs: 60_000, retentionMs: 3_600_000 };

describe("resolutionStep", () => {
  it("waits while a pod fails and until the workload has been quiet long enough", () => {
    const d = inc({ phase: "Diagnosed", lastSeen: new Date(T0 - 10_000).toISOString() });
    expect(resolutionStep(d, { ...input, failingNow: true })).toEqual({ kind: "wait", ms: 60_000 });
    expect(resolutionStep(d, { ...input, failingNow: true, healthyMs: 600_000 })).toEqual({ kind: "wait", ms: 600_000 });
    expect(resolutionStep(d, input)).toEqual({ kind: "wait", ms: 50_000 });
    expect(resolutionStep(d, { ...input, lastFailing: T0 - 5_000 })).toEqual({ kind: "wait", ms: 55_000 });
    expect(resolutionStep(d, { ...input, now: T0 + 50_000 })).toEqual({ kind: "resolve" });
    expect(resolutionStep(inc({ phase: "Failed", lastSeen: new Date(T0 - 61_000).toISOString() }), input)).toEqual({ kind: "resolve" });
  });

  it("waits while an alert recorded on the incident fires, then counts the quiet period from its end", () => {
    const lastSeen = new Date(T0 - 600_000).toISOString();
    const alert = { name: "shop/am-1", alertname: "HighLatency", startsAt: new Date(T0 - 600_000).toISOString() };
    const firing = inc({ phase: "Diagnosed", lastSeen, alerts: [{ ...alert, state: "firing" }] });
    expect(resolutionStep(firing, input)).toEqual({ kind: "wait", ms: 60_000 });
    expect(resolutionStep(firing, { ...input, now: T0 + 86_400_000 })).toEqual({ kind: "wait", ms: 60_000 });
    const oneOfTwo = inc({ phase: "Failed", lastSeen, alerts: [{ ...alert, state: "firing" }, { name: "shop/am-2", state: "resolved", endsAt: lastSeen }] });
    expect(resolutionStep(oneOfTwo, input)).toEqual({ kind: "wait", ms: 60_000 });
    const ended = inc({ phase: "Diagnosed", lastSeen, alerts: [{ ...alert, state: "resolved", endsAt: new Date(T0 - 20_000).toISOString() }] });
    expect(resolutionStep(ended, input)).toEqual({ kind: "wait", ms: 40_000 });
    expect(resolutionStep(ended, { ...input, now: T0 + 40_000 })).toEqual({ kind: "resolve" });
  });

  it("leaves incidents under investigation alone", () => {
    expect(resolutionStep(inc({ phase: "Investigating" }), input)).toEqual({ kind: "none" });
    expect(resolutionStep(inc({ phase: "Detected" }), input)).toEqual({ kind: "none" });
  });

  it("deletes Resolved incidents after the retention, or keeps them with 0", () => {
    const r = inc({ phase: "Resolved", resolvedAt: new Date(T0 - 3_000_000).toISOString() });
    expect(resolutionStep(r, input)).toEqual({ kind: "wait", ms: 600_000 });
    expect(resolutionStep(r, { ...input, now: T0 + 600_000 })).toEqual({ kind: "delete" });
    expect(resolutionStep(r, { ...input, retentionMs: 0 })).toEqual({ kind: "none" });
  });
});
