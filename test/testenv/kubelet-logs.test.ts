import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { checkLogRequest, kubeletTimestamp, renderLog, type LogEntry } from "./kubelet-logs.js";

const t = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const entries: LogEntry[] = [
  { time: t(0), line: "starting" },
  { time: t(10), line: "listening on :8080" },
  { time: t(20), line: "panic: boom" },
];

function pod(status: V1Pod["status"]): V1Pod {
  return { metadata: { name: "web-1" }, spec: { containers: [{ name: "web" }] }, status };
}

describe("renderLog", () => {
  it("applies tailLines, sinceSeconds, timestamps and limitBytes", () => {
    expect(renderLog(entries, {}, t(30))).toBe("starting\nlistening on :8080\npanic: boom\n");
    expect(renderLog(entries, { tailLines: 1 }, t(30))).toBe("panic: boom\n");
    expect(renderLog(entries, { sinceSeconds: 25 }, t(30))).toBe("listening on :8080\npanic: boom\n");
    expect(renderLog(entries, { tailLines: 1, timestamps: true }, t(30))).toBe("2026-01-01T00:00:20.000000000Z panic: boom\n");
    expect(renderLog(entries, { limitBytes: 4 }, t(30))).toBe("star");
  });

  it("formats timestamps with nine fractional digits", () => {
    expect(kubeletTimestamp(new Date("2026-01-01T00:00:00.123Z"))).toBe("2026-01-01T00:00:00.123000000Z");
  });
});

describe("checkLogRequest", () => {
  const running = { name: "web", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: {} }, containerID: "containerd://a" };

  it("refuses unknown containers with 404", () => {
    expect(checkLogRequest(pod({}), "nope", false)).toEqual({ status: 404, message: 'container "nope" not found in pod "web-1"' });
  });

  it("refuses a missing previous instance like the kubelet", () => {
    expect(checkLogRequest(pod({ containerStatuses: [running] }), "web", true)).toEqual({
      status: 400,
      message: 'previous terminated container "web" in pod "web-1" not found',
    });
  });

  it("explains waiting containers", () => {
    const waiting = { ...running, containerID: undefined, state: { waiting: { reason: "ImagePullBackOff" } } };
    expect(checkLogRequest(pod({ containerStatuses: [waiting] }), "web", false)?.message).toBe(
      'container "web" in pod "web-1" is waiting to start: trying and failing to pull image',
    );
    const config = { ...waiting, state: { waiting: { reason: "CreateContainerConfigError" } } };
    expect(checkLogRequest(pod({ containerStatuses: [config] }), "web", false)?.message).toBe(
      'container "web" in pod "web-1" is waiting to start: CreateContainerConfigError',
    );
  });

  it("serves the previous instance after a crash", () => {
    const crashed = { ...running, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, containerID: "containerd://b" } } };
    expect(checkLogRequest(pod({ containerStatuses: [crashed] }), "web", true)).toBeUndefined();
    expect(checkLogRequest(pod({ containerStatuses: [crashed] }), "web", false)).toBeUndefined();
  });
});
