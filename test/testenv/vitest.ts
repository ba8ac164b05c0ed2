// The vitest pattern: one control plane per test file.
//
//   const env = useTestCluster();
//   it("...", async () => { const core = env().kubeConfig.makeApiClient(CoreV1Api); ... });
import { afterAll, beforeAll } from "vitest";
import { startTestCluster, type TestCluster, type TestClusterOptions } from "./cluster.js";

export function useTestCluster(opts?: TestClusterOptions): () => TestCluster {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster(opts);
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error("the test cluster is not started (use it inside tests, after beforeAll)");
    return cluster;
  };
}
