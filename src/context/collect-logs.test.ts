import type { ClusterSnapshot } from "../api/snapshot.js";
import { describe, expect, it } from "vitest";
import { collectLogs } from "./collect-logs.js";
import { SnapshotView } from "./snapshot-view.js";
import type { ContainerFacts } from "./types.js";
import type { LogRequest as ViewLogRequest } from "./view.js";

const ns = "shop";
const snapshot: ClusterSnapshot = {
  apiVersion: "productionfixer.io/v1alpha1",
  kind: "ClusterSnapshot",
  metadata: { name: "logs" },
  capturedAt: "2026-11-27T12:00:00Z",
  objects: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: ns }, spec: { containers: [{ name: "web", image: "web:1" }, { name: "proxy", image: "proxy:1" }] } }],
  logs: [
    { namespace: ns, pod: "web-1", container: "web", previous: true, text: "panic: boom\n" },
    { namespace: ns, pod: "web-1", container: "proxy", previous: false, text: "listening on :8080\n" },
  ],
  metrics: [],
};

const facts = (name: string, over: Partial<ContainerFacts>): ContainerFacts => ({
  name, init: false, image: `${name}:1`, env: [], envFrom: [], resources: {}, probes: {}, ports: [], volumeMounts: [], ready: false, restartCount: 0, state: { kind: "running" }, ...over,
});

describe("collectLogs", () => {
  it("asks for the previous log only of a container waiting to restart, and the current log of a running one", async () => {
    const asked: ViewLogRequest[] = [];
    const view = new SnapshotView(snapshot);
    const spy = Object.assign(Object.create(view) as SnapshotView, { logs: (req: ViewLogRequest) => (asked.push(req), view.logs(req)) });
    const containers = [
      facts("web", { restartCount: 4, state: { kind: "waiting", reason: "CrashLoopBackOff" }, lastTerminated: { exitCode: 1, reason: "Error" } }),
      facts("proxy", { ready: true }),
    ];
    const out = await collectLogs(spy, { namespace: ns, pod: "web-1", containers, focus: "web" });
    expect(asked.map((r) => `${r.container}${r.previous ? " previous" : ""}`)).toEqual(["web previous", "proxy"]);
    expect(out.logs.web?.previous?.text).toContain("panic: boom");
    expect(out.logs.proxy?.current?.text).toContain("listening");
  });
});
