import { describe, expect, it } from "vitest";
import { parseSchedulerMessage } from "./scheduling.js";

describe("parseSchedulerMessage", () => {
  it("reads node counts and reasons from a FailedScheduling message", () => {
    const r = parseSchedulerMessage("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    expect(r).toEqual([
      { nodes: 1, text: "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", kind: "taint", detail: "node-role.kubernetes.io/control-plane: " },
      { nodes: 2, text: "Insufficient nvidia.com/gpu", kind: "resource", detail: "nvidia.com/gpu" },
    ]);
  });

  it("recognises unbound claims and selector mismatches", () => {
    expect(parseSchedulerMessage("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.")[0]?.kind).toBe("pvc");
    expect(parseSchedulerMessage("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.")[0]?.kind).toBe("selector");
  });
});
