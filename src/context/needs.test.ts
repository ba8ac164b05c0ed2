import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { relatedNeeds, type NeedsInput } from "./needs.js";
import type { ContainerFacts, EventFacts } from "./types.js";

const container = (over: Partial<ContainerFacts> = {}): ContainerFacts => ({
  name: "app", init: false, image: "app:1", env: [], envFrom: [], resources: { limits: { memory: "256Mi" } }, probes: {}, ports: [], volumeMounts: [],
  ready: false, restartCount: 3, state: { kind: "waiting", reason: "CrashLoopBackOff" }, lastTerminated: { exitCode: 1, reason: "Error" }, ...over,
});
const event = (reason: string, message: string): EventFacts => ({ evidenceId: `event/${reason}`, type: "Warning", reason, message, count: 1, involved: { kind: "Pod", name: "app-1" } });
const log = (text: string): NeedsInput["logs"] => ({ app: { previous: { evidenceId: "logs/x", text, lines: [], totalLines: 1, totalBytes: text.length, truncated: false } } });

function input(over: Partial<NeedsInput> & { pod?: Partial<V1Pod> } = {}): NeedsInput {
  const pod: V1Pod = { metadata: { name: "app-1" }, spec: { nodeName: "worker-1", containers: [{ name: "app" }] }, status: { phase: "Running" }, ...over.pod };
  return { containers: [container()], logs: log("panic: assertion failed\n"), events: [event("BackOff", "Back-off restarting failed container app")], ...over, pod };
}

describe("relatedNeeds", () => {
  it("reads nothing around a plain application crash", () => {
    expect(relatedNeeds(input())).toEqual({ node: false, networkPolicies: false, services: false, quotas: false });
  });

  it.each([
    ["a refused connection", "Error: connect ECONNREFUSED 10.0.0.7:5432"],
    ["a DNS failure", "dial tcp: lookup db on 10.96.0.10:53: no such host"],
    ["a timeout", "dial tcp 10.0.0.7:5432: i/o timeout"],
  ])("reads policies and services after %s in the logs", (_, text) => {
    expect(relatedNeeds(input({ logs: log(text) }))).toMatchObject({ networkPolicies: true, services: true, node: false, quotas: false });
  });

  it("reads policies and services when a probe fails on the network, services alone for a TLS failure", () => {
    expect(relatedNeeds(input({ events: [event("Unhealthy", 'Liveness probe failed: Get "http://10.1.0.4:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)')] }))).toMatchObject({ networkPolicies: true, services: true });
    expect(relatedNeeds(input({ logs: log("x509: certificate has expired or is not yet valid") }))).toMatchObject({ networkPolicies: false, services: true });
  });

  it("ignores network words outside the app and its probes (an image pull is the kubelet's)", () => {
    expect(relatedNeeds(input({ events: [event("Failed", "dial tcp: lookup registry.example.com: no such host")] }))).toMatchObject({ networkPolicies: false, services: false });
  });

  it("reads the node of a bound pod that was evicted, lost its node or was SIGKILLed without an OOM of its own", () => {
    expect(relatedNeeds(input({ pod: { status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." } } })).node).toBe(true);
    expect(relatedNeeds(input({ events: [event("NodeNotReady", "Node is not ready")] })).node).toBe(true);
    expect(relatedNeeds(input({ containers: [container({ lastTerminated: { exitCode: 137, reason: "Error" } })] })).node).toBe(true);
    expect(relatedNeeds(input({ containers: [container({ lastTerminated: { exitCode: 137, reason: "OOMKilled" } })] })).node).toBe(false);
    expect(relatedNeeds(input({ containers: [container({ resources: {}, lastTerminated: { exitCode: 137, reason: "OOMKilled" } })] })).node).toBe(true);
  });

  it("never reads the node of a pod that is not bound", () => {
    expect(relatedNeeds(input({ pod: { spec: { containers: [{ name: "app" }] }, status: { phase: "Pending", reason: "Evicted" } } })).node).toBe(false);
  });

  it("reads quotas and limit ranges on quota events, FailedCreate, or resources a LimitRange set", () => {
    expect(relatedNeeds(input({ events: [event("FailedCreate", 'pods "web-x" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi')] })).quotas).toBe(true);
    expect(relatedNeeds(input({ pod: { metadata: { name: "app-1", annotations: { "kubernetes.io/limit-ranger": "LimitRanger plugin set: memory limit for container app" } } } })).quotas).toBe(true);
  });
});
