// npm run kubectl -- get pods -A   |   npm run helm -- version
// Runs the unpacked tool with KUBECONFIG=.testenv/kubeconfig (the running `npm run testenv`)
// unless KUBECONFIG is set. `--install` only unpacks them and prints their paths.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cluster.js";
import { ensureTools } from "./tools.js";

const [tool, ...args] = process.argv.slice(2);
const tools = await ensureTools();
if (tool === "--install") {
  console.log(`kubectl: ${tools.kubectl}\nhelm: ${tools.helm}`);
  process.exit(0);
}
if (tool !== "kubectl" && tool !== "helm") {
  console.error("usage: tools-cli.ts kubectl|helm ARGS... | --install");
  process.exit(2);
}
const kubeconfig = process.env.KUBECONFIG ?? join(REPO_ROOT, ".testenv", "kubeconfig");
if (!process.env.KUBECONFIG && !existsSync(kubeconfig)) {
  console.error(`no ${kubeconfig}: start the test environment first with "npm run testenv" (or set KUBECONFIG)`);
}
const result = spawnSync(tools[tool], args, { stdio: "inherit", env: { ...process.env, KUBECONFIG: kubeconfig } });
process.exit(result.status ?? 1);
