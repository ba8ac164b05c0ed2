// The real kubectl (test/testenv/tools) against a test cluster's kubeconfig file.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ensureTools } from "../testenv/tools.js";

const run = promisify(execFile);

export interface KubectlResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Never throws on a non-zero exit: the caller asserts on ok and the output. */
export async function kubectl(kubeconfigPath: string, args: string[]): Promise<KubectlResult> {
  const { kubectl: bin } = await ensureTools();
  try {
    const { stdout, stderr } = await run(bin, ["--kubeconfig", kubeconfigPath, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
  }
}
