// Kubernetes API requests per incident: everything the operator sends from the
// failure to the Diagnosed incident (writes, Events, the investigation's reads),
// counted with a RequestCounter. Leader election is off so Lease renewals, which
// do not depend on incidents, are not counted. The table splits them into the
// controller's writes (create, status, Events) and the investigation's reads.
//   npm run bench -- requests [--quick]
import { ref } from "../test/operator/harness.js";
import { benchEnv, deployments, runOperator, table, waitUntil, watchIncidents } from "./operator-env.js";

export async function main(args: string[]): Promise<void> {
  const incidents = args.includes("--quick") ? 3 : 20;
  const b = await benchEnv();
  try {
    const pods = (await deployments(b, "requests", incidents, 1)).map((p) => p[0]!);
    for (const pod of pods) b.env.kubelet.setLog({ namespace: "requests", pod: ref(pod).name, container: "app", previous: true, text: "Error: connect ECONNREFUSED 10.0.0.7:5432\n" });
    const { op, counter } = await runOperator(b, { leaderElection: { enabled: false } });
    const watch = await watchIncidents(b);
    await new Promise((r) => setTimeout(r, 500));
    counter.reset();
    for (const pod of pods) await b.env.pods.crashLoop(ref(pod), { exitCode: 1, restartCount: 2 });
    await waitUntil(() => watch.phases.size >= incidents && [...watch.phases.values()].every((p) => p === "Diagnosed"), 120_000);
    await new Promise((r) => setTimeout(r, 1000));
    const total = counter.total();
    const breakdown = counter.snapshot();
    await watch.stop();
    await op.stop();
    const result = { incidents, requests_per_incident: Number((total / incidents).toFixed(2)) };
    const perIncident = (entries: [string, number][]): [string, string][] => entries.map(([k, v]) => [`  ${k}`, (v / incidents).toFixed(2)]);
    const [reads, writes] = partition(Object.entries(breakdown), ([k]) => /^(get|list) /.test(k));
    const sum = (entries: [string, number][]): string => (entries.reduce((n, [, v]) => n + v, 0) / incidents).toFixed(2);
    table([
      ["incidents", incidents], ["requests", total],
      ["controller writes per incident", sum(writes)], ...perIncident(writes),
      ["investigation reads per incident", sum(reads)], ...perIncident(reads),
      ["requests per incident", result.requests_per_incident], ["target", "<= 15"],
    ]);
    console.log(JSON.stringify(result));
  } finally {
    await b.stop();
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}
