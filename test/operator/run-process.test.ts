// `production-fixer run` as the process the image runs: configuration from the
// environment, an incident written, and a graceful stop on SIGTERM that releases the Lease.
import { spawn } from "node:child_process";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { useTestCluster } from "../testenv/vitest.js";
import { deployment, LEASE_NAMESPACE, prepare, ref, waitFor, waitForIncidents } from "./harness.js";

const cluster = useTestCluster();

describe("production-fixer run", () => {
  it("writes incidents, and on SIGTERM stops with exit code 0 and releases the Lease", async () => {
    const e = await prepare(cluster());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PF_NAMESPACES: "proc",
      PF_LEASE_NAMESPACE: LEASE_NAMESPACE,
      PF_LEASE_NAME: "run-process",
      PF_IDENTITY: "run-process-test",
      PF_SERVER_PORT: "0",
      PF_WEBHOOK_ENABLED: "false",
      PF_LOG_LEVEL: "warn",
    };
    delete env.ANTHROPIC_API_KEY;
    // One node process, as in the image (no npx or tsx wrapper between the signal and the operator).
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "run", "--kubeconfig", e.cluster.kubeconfigPath], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const chain = await deployment(e, { namespace: "proc", name: "worker" });
      const pod = chain.pods[0]!;
      e.kubelet.setLog({ ...ref(pod), pod: ref(pod).name, container: "app", previous: true, text: "panic: runtime error: invalid memory address or nil pointer dereference\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d\n" });
      await e.pods.crashLoop(ref(pod), { exitCode: 2, restartCount: 3 });
      const [incident] = await waitForIncidents(e, "proc", 1, "Diagnosed");
      expect(incident!.status?.diagnosis?.category).toBe("ApplicationError");
      const coordination = e.cluster.kubeConfig.makeApiClient(CoordinationV1Api);
      const held = await waitFor("the Lease held by the process", async () => {
        const lease = await coordination.readNamespacedLease({ namespace: LEASE_NAMESPACE, name: "run-process" });
        return lease.spec?.holderIdentity === "run-process-test" ? lease : undefined;
      });
      expect(held.spec?.holderIdentity).toBe("run-process-test");
      child.kill("SIGTERM");
      expect(await exited, stderr).toBe(0);
      const lease = await coordination.readNamespacedLease({ namespace: LEASE_NAMESPACE, name: "run-process" });
      expect(lease.spec?.holderIdentity ?? "").not.toBe("run-process-test");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
