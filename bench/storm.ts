// Storm: 500 pods of 20 Deployments fail within 10 s → exactly 20 incidents,
// at most 20 investigations, all Diagnosed; reports the time until then. Each pod
// gets one status write (no kubelet Events) so the failures land within seconds.
//   npm run bench -- storm [--quick]
import { benchEnv, deployments, pool, runOperator, table, waitUntil, watchIncidents, writeCrashLoop } from "./operator-env.js";

export async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const workloads = quick ? 5 : 20;
  const replicas = 25;
  const b = await benchEnv();
  try {
    const chains = await deployments(b, "storm", workloads, replicas);
    const { op, events } = await runOperator(b);
    const watch = await watchIncidents(b);
    const pods = chains.flat();
    const t0 = performance.now();
    await pool(pods, 32, (p) => writeCrashLoop(b, p));
    const failSeconds = (performance.now() - t0) / 1000;
    const allDiagnosed = (): boolean => watch.phases.size >= workloads && [...watch.phases.values()].every((p) => p === "Diagnosed");
    await waitUntil(allDiagnosed, 300_000);
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // anything late would show up as an extra incident or investigation
    const investigations = events.filter((e) => e.type === "investigating").length;
    await watch.stop();
    await op.stop();
    const result = { pods: pods.length, workloads, incidents: watch.phases.size, investigations, seconds_to_all_diagnosed: Number(seconds.toFixed(2)) };
    table([
      ["pods failed", result.pods], ["seconds to fail them all", failSeconds.toFixed(2)], ["workloads", workloads],
      ["incidents", result.incidents], ["investigations", investigations], ["seconds to all Diagnosed", result.seconds_to_all_diagnosed],
      ["target", `exactly ${workloads} incidents, <= ${workloads} investigations`],
    ]);
    console.log(JSON.stringify(result));
  } finally {
    await b.stop();
  }
}
