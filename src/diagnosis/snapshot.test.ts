import { describe, expect, it } from "vitest";
import { LABEL_FINGERPRINT } from "../api/common.js";
import type { ClusterSnapshot, KubeObject } from "../api/snapshot.js";
import { RulesInvestigator } from "./engine.js";
import { diagnoseSnapshot } from "./snapshot.js";

const ns = "shop";

function oomPod(i: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `api-5d8f7c6b9d-p${i}`, namespace: ns, uid: `uid-${i}`, labels: { app: "api", "pod-template-hash": "5d8f7c6b9d" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-5d8f7c6b9d", uid: "rs", controller: true }] },
    spec: { containers: [{ name: "api", image: "api:1", resources: { limits: { memory: "128Mi" } } }] },
    status: {
      phase: "Running",
      containerStatuses: [
        {
          name: "api",
          ready: false,
          restartCount: 4 + (i % 3),
          image: "api:1",
          imageID: "",
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container=api" } },
          lastState: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: "2026-11-27T11:58:00Z", finishedAt: "2026-11-27T11:59:00Z" } },
        },
      ],
    },
  };
}

function snapshot(objects: KubeObject[]): ClusterSnapshot {
  return { apiVersion: "productionfixer.io/v1alpha1", kind: "ClusterSnapshot", metadata: { name: "s" }, capturedAt: "2026-11-27T12:00:00Z", objects, logs: [], metrics: [] };
}

describe("diagnoseSnapshot", () => {
  it("makes one incident for 200 crashing replicas of one Deployment", async () => {
    const incidents = await diagnoseSnapshot(snapshot(Array.from({ length: 200 }, (_, i) => oomPod(i))), { investigator: new RulesInvestigator() });
    expect(incidents).toHaveLength(1);
    const inc = incidents[0]!;
    expect(inc.spec.target).toMatchObject({ kind: "Deployment", namespace: ns, name: "api", container: "api" });
    expect(inc.metadata.labels?.[LABEL_FINGERPRINT]).toMatch(/^[0-9a-f]{20}$/);
    expect(inc.status).toMatchObject({ phase: "Diagnosed", occurrences: 200, diagnosis: { category: "OutOfMemory", mode: "rules" } });
    expect(inc.status?.affectedPods).toHaveLength(20);
    expect(inc.status?.diagnosis?.evidence.length).toBeGreaterThan(0);
  });

  it("returns nothing for a healthy snapshot", async () => {
    const healthy = oomPod(1) as { status: { containerStatuses: unknown[] } } & KubeObject;
    healthy.status.containerStatuses = [{ name: "api", ready: true, restartCount: 0, image: "api:1", imageID: "", state: { running: { startedAt: "2026-11-27T10:00:00Z" } } }];
    expect(await diagnoseSnapshot(snapshot([healthy]), { investigator: new RulesInvestigator() })).toEqual([]);
  });

  it("records the rules-only reason in the notes", async () => {
    const [inc] = await diagnoseSnapshot(snapshot([oomPod(0)]), { investigator: new RulesInvestigator(), rulesOnly: { reason: "--no-agent was given" } });
    expect(inc!.status?.diagnosis?.notes[0]).toBe("Rules only: --no-agent was given");
  });

  it("makes an incident for a failed Job whose pods are gone", async () => {
    const job: KubeObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "migrate", namespace: ns, uid: "job-uid" },
      status: { failed: 4, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }] },
    };
    const [inc] = await diagnoseSnapshot(snapshot([job]), { investigator: new RulesInvestigator() });
    expect(inc!.spec).toMatchObject({ target: { kind: "Job", name: "migrate" }, trigger: { source: "PodFailure", reason: "BackoffLimitExceeded" } });
    expect(inc!.status?.phase).toBe("Diagnosed");
  });
});
