// The scenario corpus end to end with the agent: each scenario is loaded into the
// real control plane (loadScenarioIntoCluster), the operator runs in-process with
// an API key and ANTHROPIC_BASE_URL pointing at the fake Anthropic API, and every
// failing scenario must end with agent diagnoses for the workloads the snapshot
// path names. Used by agent-live.test.ts (a subset) and bench/agent-live.ts (all).
import { CustomObjectsApi } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { GROUP, VERSION } from "../../src/api/common.js";
import type { ProductionIncident } from "../../src/api/incident.js";
import { Config } from "../../src/config.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import { diagnoseSnapshot } from "../../src/diagnosis/snapshot.js";
import { startOperator } from "../../src/operator.js";
import { startFakeAnthropic, type RecordedRequest } from "../fakes/anthropic.js";
import { parseTarget, scriptedInvestigation } from "../fakes/scripted-model.js";
import type { TestCluster } from "../testenv/cluster.js";
import type { FakeKubelet } from "../testenv/kubelet.js";
import { checkIncidents, readOnlyViolations, type LiveIncident } from "./agent-live-check.js";
import { loadScenarioIntoCluster } from "./live.js";
import type { Scenario } from "./load.js";

export const MODEL = "claude-sonnet-5-5";

/** One or two scenarios per kind of failure, and a healthy control: what CI runs. */
export const SUBSET = [
  "env-removed-by-rollout",
  "oom-basic",
  "image-tag-not-found",
  "dns-nxdomain-go",
  "liveness-wrong-port",
  "unschedulable-taint",
  "pvc-storageclass-missing",
  "many-replicas-one-incident",
  "healthy-deployment",
];

const TERMINAL = new Set(["Diagnosed", "Failed"]);

export interface AgentLiveRow {
  scenario: string;
  expectedCategory: string;
  /** kind/namespace/name/container of each incident the snapshot path opens, namespaces as loaded. */
  expectedTargets: string[];
  incidents: LiveIncident[];
  /** The Messages API requests of this scenario's investigations. */
  requests: RecordedRequest[];
  problems: string[];
  /** From the start of the load to the last incident settled. */
  ms: number;
}

export interface AgentLiveRun {
  rows: AgentLiveRow[];
  requests: RecordedRequest[];
  /** Tool calls outside the read-only set, over the whole run. */
  writeCalls: string[];
}

export interface AgentLiveInput {
  cluster: TestCluster;
  kubelet: FakeKubelet;
  scenarios: Scenario[];
  /** How long one scenario may take to be diagnosed (default 30 s). */
  timeoutMs?: number;
  logger?: Logger;
}

/** The namespace a scenario's namespace is loaded as: its own per scenario. */
export function scenarioNamespace(s: Scenario, ns: string): string {
  return (ns === "shop" ? s.name : `${s.name}-${ns}`).slice(0, 63).replace(/-+$/, "");
}

const targetKey = (t: ProductionIncident["spec"]["target"]): string => `${t.kind}/${t.namespace}/${t.name}/${t.container ?? ""}`;

async function expectedTargets(s: Scenario): Promise<string[]> {
  const incidents = await diagnoseSnapshot(s.snapshot, { investigator: new RulesInvestigator() });
  return incidents.map((i) => targetKey({ ...i.spec.target, namespace: scenarioNamespace(s, i.spec.target.namespace) })).sort();
}

export async function runAgentCorpus(input: AgentLiveInput): Promise<AgentLiveRun> {
  const fake = await startFakeAnthropic(scriptedInvestigation());
  const config = Config.parse({
    leaderElection: { enabled: false },
    webhook: { enabled: false },
    queue: { investigationsPerHour: 10_000 },
    resolution: { healthySeconds: 3600, retentionHours: 0 },
    agent: { apiKey: fake.apiKey, baseURL: fake.url, model: MODEL, maxRetries: 0 },
    logLevel: "silent",
  });
  const op = await startOperator({ config, kubeConfig: input.cluster.kubeConfig, logger: input.logger ?? pino({ level: "silent" }), serve: false });
  const custom = input.cluster.kubeConfig.makeApiClient(CustomObjectsApi);
  const list = async (namespaces: string[]): Promise<ProductionIncident[]> => {
    const out: ProductionIncident[] = [];
    for (const namespace of namespaces) {
      const res = (await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: "productionincidents", namespace })) as { items: ProductionIncident[] };
      out.push(...res.items);
    }
    return out;
  };
  const pending: Pending[] = [];
  try {
    for (const s of input.scenarios) {
      const p: Pending = { s, namespaces: [], expected: await expectedTargets(s), problems: [], ms: 0 };
      const t0 = performance.now();
      pending.push(p);
      try {
        const loaded = await loadScenarioIntoCluster(input.cluster, input.kubelet, s.snapshot, { namespace: (ns) => scenarioNamespace(s, ns) });
        p.namespaces = [...new Set(loaded.namespaces.values())];
        if (!(await settled(() => list(p.namespaces), s.expect.incidents, input.timeoutMs ?? 30_000))) p.problems.push("not diagnosed in time");
        p.ms = performance.now() - t0;
        await loaded.unload();
      } catch (err) {
        p.problems.push(`could not load: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
      }
    }
    await op.controller.idle();
    const rows: AgentLiveRow[] = [];
    for (const p of pending) rows.push(row(p, await list(p.namespaces), fake.requests));
    return { rows, requests: [...fake.requests], writeCalls: readOnlyViolations(fake.requests) };
  } finally {
    await op.stop();
    await fake.close();
  }
}

interface Pending {
  s: Scenario;
  namespaces: string[];
  expected: string[];
  problems: string[];
  ms: number;
}

/** Waits until the scenario's incidents (at least `expected`) are all Diagnosed or Failed; false on timeout. */
async function settled(list: () => Promise<ProductionIncident[]>, expected: number, timeoutMs: number): Promise<boolean> {
  if (expected === 0) return true;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const items = await list();
    if (items.length >= expected && items.every((i) => TERMINAL.has(i.status?.phase ?? ""))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function row(p: Pending, items: ProductionIncident[], all: RecordedRequest[]): AgentLiveRow {
  const incidents: LiveIncident[] = items.map((i) => ({ target: targetKey(i.spec.target), phase: i.status?.phase ?? "", diagnosis: i.status?.diagnosis }));
  const ns = new Set(p.namespaces);
  const requests = all.filter((r) => r.path === "/v1/messages" && ns.has(briefNamespace(r) ?? ""));
  const problems = p.problems.some((x) => x.startsWith("could not load"))
    ? p.problems
    : [...p.problems, ...checkIncidents({ incidents, expectedCount: p.s.expect.incidents, expectedTargets: p.expected, model: MODEL })];
  return { scenario: p.s.name, expectedCategory: p.s.expect.category, expectedTargets: p.expected, incidents, requests, problems, ms: Math.round(p.ms) };
}

function briefNamespace(r: RecordedRequest): string | undefined {
  const first = ((r.body?.messages ?? []) as { content: string | { type: string; text?: string }[] }[])[0];
  const text = typeof first?.content === "string" ? first.content : (first?.content ?? []).map((b) => b.text ?? "").join("\n");
  return parseTarget(text)?.namespace;
}
