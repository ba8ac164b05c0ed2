// Detection latency: from the status write that puts a pod in CrashLoopBackOff to
// the ProductionIncident existing, seen through a watch on incidents.
//   npm run bench -- detection [--quick]
import { ref } from "../test/operator/harness.js";
import { benchEnv, deployments, percentile, runOperator, table, waitUntil, watchIncidents } from "./operator-env.js";

export async function main(args: string[]): Promise<void> {
  const samples = args.includes("--quick") ? 20 : 200;
  const b = await benchEnv();
  try {
    const pods = (await deployments(b, "detect", samples, 1)).map((p) => p[0]!);
    const { op } = await runOperator(b);
    const watch = await watchIncidents(b);
    const latencies: number[] = [];
    for (const pod of pods) {
      const before = watch.firstSeen.size;
      await b.timed.crashLoop(ref(pod), { exitCode: 1, restartCount: 2 });
      const wrote = b.statusWrites.get(ref(pod).name)!;
      await waitUntil(() => watch.firstSeen.size > before, 30_000);
      const appeared = [...watch.firstSeen.values()].at(-1)!;
      latencies.push(appeared - wrote);
    }
    await watch.stop();
    await op.stop();
    const sorted = [...latencies].sort((a, b2) => a - b2);
    const result = { samples: latencies.length, p50_ms: Math.round(percentile(sorted, 50)), p99_ms: Math.round(percentile(sorted, 99)) };
    table([["samples", result.samples], ["p50 ms", result.p50_ms], ["p99 ms", result.p99_ms], ["max ms", Math.round(sorted.at(-1) ?? 0)], ["target", "p99 <= 500 ms"]]);
    console.log(JSON.stringify(result));
  } finally {
    await b.stop();
  }
}
