// Fixtures for agent tests: a small cluster (shop/web, a Deployment whose
// second revision points at a wrong database host), a stand-in for the rules
// investigator, and agent configuration.
import { ClusterSnapshot, type KubeObject } from "../../src/api/snapshot.js";
import type { Diagnosis } from "../../src/api/diagnosis.js";
import { Config, type ConfigInput } from "../../src/config.js";
import type { Evidence, InvestigationContext } from "../../src/context/types.js";
import { SnapshotView } from "../../src/context/snapshot-view.js";
import type { ClusterView } from "../../src/context/view.js";
import type { InvestigationRequest, InvestigationResult, Investigator } from "../../src/diagnosis/types.js";

export const NOW = "2026-11-27T12:00:00Z";

export interface ClusterOptions {
  previousLog?: string;
  configData?: Record<string, string>;
  env?: { name: string; value: string }[];
  extraObjects?: KubeObject[];
}

const template = (host: string, env: { name: string; value: string }[]): Record<string, unknown> => ({
  metadata: { labels: { app: "web" } },
  spec: {
    containers: [
      {
        name: "web",
        image: "registry.example/shop/web:1.4.2",
        env: [{ name: "DATABASE_HOST", value: host }, ...env],
        envFrom: [{ configMapRef: { name: "web-config" } }],
        resources: { limits: { memory: "256Mi" } },
      },
    ],
  },
});

export function clusterSnapshot(opts: ClusterOptions = {}): ClusterSnapshot {
  const env = opts.env ?? [];
  const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop", uid: "d-1", annotations: { "deployment.kubernetes.io/revision": "2" } }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("db-new.shop.svc", env) }, status: { replicas: 2, readyReplicas: 0 } };
  const rs = (rev: number, host: string): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: `web-${rev}aa`, namespace: "shop", annotations: { "deployment.kubernetes.io/revision": String(rev) }, ownerReferences: [{ kind: "Deployment", name: "web", uid: "d-1" }] },
    spec: { template: template(host, env) },
  });
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-1", namespace: "shop", uid: "p-1", labels: { app: "web" }, ownerReferences: [{ kind: "ReplicaSet", name: "web-2aa" }] },
    spec: { nodeName: "node-1", ...(template("db-new.shop.svc", env).spec as object) },
    status: {
      phase: "Running",
      containerStatuses: [{ name: "web", ready: false, restartCount: 6, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } }],
    },
  };
  const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: "shop" }, data: opts.configData ?? { LOG_LEVEL: "info" } };
  const node = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1" }, status: { conditions: [{ type: "Ready", status: "True" }], allocatable: { cpu: "4", memory: "16Gi" } } };
  const event = { apiVersion: "v1", kind: "Event", metadata: { name: "web-1.1", namespace: "shop" }, involvedObject: { kind: "Pod", name: "web-1", namespace: "shop", uid: "p-1" }, type: "Warning", reason: "BackOff", message: "Back-off restarting failed container web", count: 12, lastTimestamp: NOW };
  return ClusterSnapshot.parse({
    apiVersion: "productionfixer.io/v1alpha1",
    kind: "ClusterSnapshot",
    metadata: { name: "agent-fixture" },
    capturedAt: NOW,
    objects: [deploy, rs(1, "db.shop.svc"), rs(2, "db-new.shop.svc"), pod, configMap, node, event, ...(opts.extraObjects ?? [])],
    logs: [{ namespace: "shop", pod: "web-1", container: "web", previous: true, text: opts.previousLog ?? "starting web 1.4.2\nconnecting to db-new.shop.svc:5432\nFATAL: could not translate host name \"db-new.shop.svc\" to address\n" }],
  });
}

export function clusterView(opts: ClusterOptions = {}): ClusterView {
  return new SnapshotView(clusterSnapshot(opts));
}

export const REQUEST: InvestigationRequest = { target: { kind: "Deployment", namespace: "shop", name: "web", container: "web" }, pod: "web-1", reason: "CrashLoopBackOff" };

export const RULES_DIAGNOSIS: Diagnosis = {
  category: "DependencyFailure",
  summary: "web cannot resolve its database host",
  rootCause: "The container exits because DNS lookup of db-new.shop.svc fails.",
  confidence: 0.6,
  hypotheses: [{ statement: "The database host is unreachable", verdict: "Possible", evidence: ["logs/shop/web-1/web/previous"] }],
  evidence: [{ id: "logs/shop/web-1/web/previous", source: "Logs", excerpt: "FATAL: could not translate host name" }],
  remediation: [],
  prevention: [],
  mode: "rules",
  rule: "dependency-dns",
  durationMs: 3,
  notes: [],
};

/** Stands in for the rules investigator: fixed evidence (optionally extra text) and a fixed finding. */
export class StubRules implements Investigator {
  calls = 0;
  constructor(private readonly extraEvidence: Evidence[] = []) {}

  async investigate(view: ClusterView, req: InvestigationRequest): Promise<InvestigationResult> {
    this.calls += 1;
    const logs = await view.logs({ namespace: "shop", pod: "web-1", container: "web", previous: true });
    const evidence: Evidence[] = [
      { id: "pod/shop/web-1/status", source: "PodStatus", title: "status of shop/web-1", text: "web: CrashLoopBackOff, restarts 6, last exit 1 (Error)" },
      { id: "logs/shop/web-1/web/previous", source: "Logs", title: "previous logs of shop/web-1 (web)", text: logs.found ? logs.text : "" },
      ...this.extraEvidence,
    ];
    const context: InvestigationContext = { target: { namespace: "shop", pod: "web-1", container: "web" }, now: NOW, conditions: [], containers: [], logs: {}, events: [], owners: [], related: [], metrics: [], evidence, redactions: 0, notes: [] };
    const notes = req.rulesOnly ? [`Rules only: ${req.rulesOnly.reason}`] : [];
    return { diagnosis: { ...RULES_DIAGNOSIS, notes }, redactions: 0, context };
  }
}

export function agentConfig(agent: NonNullable<ConfigInput["agent"]> = {}): Config["agent"] {
  return Config.parse({ agent: { apiKey: "sk-ant-fake-key", maxRetries: 0, ...agent } }).agent;
}

/** A valid submission citing ids the fixture's tools and brief produce. */
export function goodSubmission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: "ApplicationConfiguration",
    summary: "Revision 2 points DATABASE_HOST at db-new.shop.svc, which does not exist",
    baseline: "Revision 1 ran with DATABASE_HOST=db.shop.svc and both replicas ready; revision 2 crashes on start.",
    rootCause: "Deployment shop/web revision 2 changed env DATABASE_HOST from db.shop.svc to db-new.shop.svc; that name does not resolve, so the app exits 1.",
    rootCauseEvidence: ["tool/rollout/Deployment/shop/web/1-2", "logs/shop/web-1/web/previous"],
    confidence: 0.9,
    hypotheses: [
      { statement: "DATABASE_HOST was changed to a host that does not exist", verdict: "Confirmed", evidence: ["tool/rollout/Deployment/shop/web/1-2"], test: "diff revisions 1 and 2" },
      { statement: "The database service itself is down", verdict: "Refuted", evidence: ["logs/shop/web-1/web/previous"], test: "the error is a DNS failure, not a refused connection" },
    ],
    remediation: [
      { title: "Roll back to revision 1", stage: "Stabilize", commands: ["kubectl -n shop rollout undo deployment/web --to-revision=1"], risk: "Low", rollback: ["kubectl -n shop rollout undo deployment/web --to-revision=2"] },
      { title: "Fix DATABASE_HOST", stage: "Fix", commands: ["kubectl -n shop set env deployment/web DATABASE_HOST=db.shop.svc"], risk: "Low" },
      { title: "Check hosts in CI", stage: "Prevent", risk: "Low" },
    ],
    prevention: ["Resolve configured hostnames in a pre-deploy check"],
    ...overrides,
  };
}
