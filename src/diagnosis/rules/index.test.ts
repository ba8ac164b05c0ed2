import { describe, expect, it } from "vitest";
import { crashing, fixture } from "./fixtures.js";
import { triage } from "./index.js";

describe("triage", () => {
  it("cites the alert and its series when an alert matches no known signature", () => {
    const ctx = fixture({
      containers: [{ name: "web", restartCount: 0, state: { kind: "running" } }],
      metrics: [{ evidenceId: "metrics/alert/HighLatency", name: "alert_expression", points: [{ t: 1, v: 2.4 }] }, { points: [] }],
    });
    ctx.alert = { name: "HighLatency", summary: "p99 over 2s", evidenceId: "alert/HighLatency" };
    ctx.evidence.push({ id: "alert/HighLatency", source: "Alert", title: "alert HighLatency", text: "alert HighLatency" });
    const d = triage(ctx);
    expect(d.category).toBe("Unknown");
    expect(d.evidence.map((e) => e.id)).toEqual(expect.arrayContaining(["alert/HighLatency", "metrics/alert/HighLatency"]));
    expect(d.evidence.map((e) => e.id)).not.toContain("metrics/m1");
    expect(triage({ ...ctx, alert: undefined }).evidence.map((e) => e.id)).not.toContain("metrics/alert/HighLatency");
  });

  it("prefers an OOM kill over everything else in the same container", () => {
    const ctx = fixture({
      containers: [{ ...crashing("web", 137, "2026-11-27T11:58:40Z ERROR redis: dial tcp 10.96.0.7:6379: connect: connection refused\n"), lastTerminated: { reason: "OOMKilled", exitCode: 137 }, resources: { limits: { memory: "256Mi" } } }],
    });
    const d = triage(ctx);
    expect(d.category).toBe("OutOfMemory");
    expect(d.rootCause).toContain("256Mi");
    expect(d.hypotheses.map((h) => h.statement).join("\n")).toContain("DependencyFailure");
  });

  it("names the dependency when a refused connection makes the app exit 1", () => {
    const log = "Error: connect ECONNREFUSED 10.96.12.40:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)\n";
    const d = triage(fixture({ containers: [crashing("api", 1, log)] }));
    expect(d.category).toBe("DependencyFailure");
    expect(d.summary).toContain("10.96.12.40:6379");
  });

  it("uses the first error, not a later unrelated one on the last line", () => {
    const log = [
      "2026-11-27 11:58:14,771 ERROR app: model load failed",
      "Traceback (most recent call last):",
      '  File "/app/app.py", line 52, in load',
      "KeyError: 'user'",
      "2026-11-27 11:58:14,913 ERROR telemetry: flush failed: [Errno 111] Connection refused to otel:4318",
    ].join("\n");
    const d = triage(fixture({ containers: [crashing("app", 1, log)] }));
    expect(d.category).toBe("ApplicationError");
    expect(d.summary).toContain("KeyError");
  });

  it("calls a missing env var removed by the last rollout MissingConfiguration, with a rollback", () => {
    const d = triage(fixture({
      containers: [crashing("web", 1, "FATAL SMTP_HOST must be set\n")],
      rollout: [{ path: "containers[web].env[SMTP_HOST]", before: "smtp.mail", after: undefined }],
    }));
    expect(d.category).toBe("MissingConfiguration");
    expect(d.rootCause).toContain("removed");
    expect(d.remediation.flatMap((r) => r.commands).join("\n")).toContain("rollout undo deployment/web");
  });

  it("tells a liveness kill (137, not OOMKilled) from an OOM kill and names the wrong port", () => {
    const d = triage(fixture({
      containers: [{ ...crashing("web", 137, "listening on :8080\n"), ports: [{ containerPort: 8080 }], probes: { liveness: { httpGet: { path: "/healthz", port: 8081 } } } }],
      events: [
        { reason: "Unhealthy", message: 'Liveness probe failed: Get "http://10.0.0.1:8081/healthz": dial tcp 10.0.0.1:8081: connect: connection refused' },
        { reason: "Killing", message: "Container web failed liveness probe, will be restarted" },
      ],
    }));
    expect(d.category).toBe("ProbeFailure");
    expect(d.summary).toContain("wrong port");
  });

  it("answers Unknown with low confidence and the first error when nothing fits", () => {
    const d = triage(fixture({ containers: [crashing("sync", 1, "sync: step 3 returned status 17\nsync: giving up, error budget spent\n")] }));
    expect(d.category).toBe("Unknown");
    expect(d.confidence).toBeLessThan(0.5);
    expect(d.evidence.length).toBeGreaterThan(0);
  });

  it("cites only evidence ids that exist in the context", () => {
    const ctx = fixture({ containers: [crashing("web", 1, "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:9 +0x1d\n")] });
    const ids = new Set(ctx.evidence.map((e) => e.id));
    const d = triage(ctx);
    expect(d.evidence.every((e) => ids.has(e.id))).toBe(true);
    expect(d.hypotheses.every((h) => h.evidence.every((id) => ids.has(id)))).toBe(true);
  });

  it("keeps going when a rule throws, noting it", () => {
    const ctx = fixture({ containers: [crashing("web", 1, "x\n")] });
    const d = triage(ctx, [{ name: "broken", match: () => { throw new Error("bad regex"); } }]);
    expect(d.category).toBe("Unknown");
    expect(d.notes.join("\n")).toContain("rule broken failed");
  });
});
