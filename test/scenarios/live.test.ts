// The scenario corpus loaded into the real control plane: the live path (LiveView
// over the apiserver, logs through pods/log and the fake kubelet) must give the same
// diagnosis as the snapshot path — same incidents, same category and rule each.
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProductionIncident } from "../../src/api/incident.js";
import { LiveView } from "../../src/context/live-view.js";
import { diagnoseView } from "../../src/diagnosis/diagnose-view.js";
import { RulesInvestigator } from "../../src/diagnosis/engine.js";
import { diagnoseSnapshot } from "../../src/diagnosis/snapshot.js";
import { startFakeKubelet, type FakeKubelet } from "../testenv/kubelet.js";
import { useTestCluster } from "../testenv/vitest.js";
import { loadScenarioIntoCluster, type LoadedScenario } from "./live.js";
import { loadScenarios, type Scenario } from "./load.js";

interface Verdict {
  target: string;
  category: string;
  rule: string;
}

function verdicts(incidents: ProductionIncident[], namespace: (ns: string) => string): Verdict[] {
  return incidents
    .map((i) => {
      const t = i.spec.target;
      const d = i.status?.diagnosis;
      return { target: `${namespace(t.namespace)}/${t.kind}/${t.name}/${t.container ?? ""}`, category: d?.category ?? "", rule: d?.rule ?? "" };
    })
    .sort((a, b) => a.target.localeCompare(b.target));
}

/** One namespace per scenario: `shop` of scenario 12 becomes `shop-12`. */
const namespaceFor = (index: number) => (ns: string): string => `${ns}-${index}`.slice(0, 63);

describe("the live path diagnoses the scenario corpus like the snapshot path", () => {
  const env = useTestCluster();
  let kubelet: FakeKubelet;
  const scenarios = loadScenarios();

  beforeAll(async () => {
    kubelet = await startFakeKubelet({ core: env().kubeConfig.makeApiClient(CoreV1Api), tls: env().servingTls });
  });
  afterAll(async () => {
    await kubelet?.close();
  });

  it(`agrees on all ${scenarios.length} scenarios`, async () => {
    const differences: string[] = [];
    for (const [i, s] of scenarios.entries()) {
      const diff = await compare(s, i);
      if (diff) differences.push(diff);
    }
    expect(differences, differences.join("\n\n")).toEqual([]);
  }, 300_000);

  async function compare(s: Scenario, index: number): Promise<string | undefined> {
    const ns = namespaceFor(index);
    let loaded: LoadedScenario;
    try {
      loaded = await loadScenarioIntoCluster(env(), kubelet, s.snapshot, { namespace: ns });
    } catch (err) {
      return `${s.name}: could not be loaded: ${(err as Error).message}`;
    }
    try {
      const investigator = new RulesInvestigator({ clock: loaded.clock });
      const offline = verdicts(await diagnoseSnapshot(s.snapshot, { investigator }), ns);
      const view = new LiveView({ kubeConfig: env().kubeConfig, clock: loaded.clock, ...(loaded.metrics ? { metrics: loaded.metrics } : {}) });
      const incidents: ProductionIncident[] = [];
      for (const namespace of new Set(loaded.namespaces.values())) incidents.push(...(await diagnoseView(view, { investigator, namespace })));
      const live = verdicts(incidents, (n) => n);
      if (JSON.stringify(offline) === JSON.stringify(live)) return undefined;
      return `${s.name}:\n  snapshot ${JSON.stringify(offline)}\n  live     ${JSON.stringify(live)}`;
    } finally {
      await loaded.unload();
    }
  }
});
