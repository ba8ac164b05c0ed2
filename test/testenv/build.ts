// Builds the control plane (embedded etcd + kube-apiserver, test/testenv/controlplane)
// once per content: the cache directory is named after a hash of the Go sources,
// go.mod, go.sum and the Go toolchain version, so a stale binary is never used.
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withLock } from "./lock.js";

export const CONTROL_PLANE_SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), "controlplane");

export interface BuildOptions {
  /** Directory holding go.mod, go.sum and *.go. */
  sourceDir?: string;
  /** Parent of the content-keyed cache directories. */
  cacheRoot?: string;
  /** The go command. */
  goBinary?: string;
  /** Where progress lines go (stderr by default). */
  log?: (line: string) => void;
}

export interface ControlPlaneBinary {
  path: string;
  /** Kubernetes version baked into /version (from go.mod). */
  kubernetesVersion: string;
  /** True when this call compiled it, false on a cache hit. */
  built: boolean;
  /** Wall time of this call in milliseconds. */
  durationMs: number;
}

export function defaultCacheRoot(): string {
  return join(homedir(), ".cache", "production-fixer");
}

/** The k8s.io/kubernetes version required by go.mod, e.g. "v1.36.3". */
export function kubernetesVersionOf(goMod: string): string {
  const match = /^\s*k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+\S*)/m.exec(goMod);
  if (!match?.[1]) {
    throw new Error("go.mod of the control plane does not require k8s.io/kubernetes; cannot name the version");
  }
  return match[1];
}

/** sha256 over go.mod, go.sum, every *.go file (name and content) and the go version. */
export function controlPlaneKey(sourceDir: string, goVersion: string): string {
  const hash = createHash("sha256");
  const goFiles = readdirSync(sourceDir).filter((f) => f.endsWith(".go")).sort();
  for (const file of ["go.mod", "go.sum", ...goFiles]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(sourceDir, file)));
    hash.update("\0");
  }
  hash.update(goVersion);
  return hash.digest("hex");
}

export function ldflagsFor(version: string): string {
  const match = /^v(\d+)\.(\d+)/.exec(version);
  const pkg = "k8s.io/component-base/version";
  return [
    "-s -w",
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${match?.[1] ?? ""}`,
    `-X ${pkg}.gitMinor=${match?.[2] ?? ""}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(" ");
}

/** Returns the path of a control plane binary built from the current sources, building it if needed. */
export async function ensureControlPlaneBinary(opts: BuildOptions = {}): Promise<ControlPlaneBinary> {
  const started = performance.now();
  const sourceDir = opts.sourceDir ?? CONTROL_PLANE_SOURCE_DIR;
  const goBinary = opts.goBinary ?? "go";
  const log = opts.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const goVersion = goVersionOf(goBinary);
  const version = kubernetesVersionOf(readFileSync(join(sourceDir, "go.mod"), "utf8"));
  const dir = join(opts.cacheRoot ?? defaultCacheRoot(), `controlplane-${controlPlaneKey(sourceDir, goVersion)}`);
  const binary = join(dir, "controlplane");
  const result = (built: boolean): ControlPlaneBinary => ({
    path: binary,
    kubernetesVersion: version,
    built,
    durationMs: performance.now() - started,
  });
  if (existsSync(binary)) return result(false);

  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, "build.lock"), { log, what: "control plane build" }, async () => {
    if (existsSync(binary)) return result(false);
    log(`building the control plane (kube-apiserver ${version} + etcd) from Go modules (first run, several minutes)…`);
    const tmp = `${binary}.tmp-${process.pid}`;
    try {
      await runGoBuild({ goBinary, sourceDir, output: tmp, ldflags: ldflagsFor(version) }, log);
      renameSync(tmp, binary);
    } finally {
      rmSync(tmp, { force: true });
    }
    const done = result(true);
    log(`built the control plane in ${(done.durationMs / 1000).toFixed(0)} s: ${binary}`);
    return done;
  });
}

function goVersionOf(goBinary: string): string {
  try {
    return execFileSync(goBinary, ["version"], { encoding: "utf8" }).trim();
  } catch (cause) {
    throw new Error(`cannot run "${goBinary} version"; the test control plane is built with Go (1.26 or newer)`, { cause });
  }
}

interface GoBuild {
  goBinary: string;
  sourceDir: string;
  output: string;
  ldflags: string;
}

function runGoBuild(build: GoBuild, log: (line: string) => void): Promise<void> {
  const args = ["build", "-trimpath", "-ldflags", build.ldflags, "-o", build.output, "."];
  log(`$ ${build.goBinary} ${args.join(" ")}   (in ${build.sourceDir})`);
  return new Promise((resolve, reject) => {
    const child = spawn(build.goBinary, args, { cwd: build.sourceDir, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(`go: ${line}`);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (cause) => reject(new Error(`could not start "${build.goBinary} build"`, { cause })));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`"go build" of the control plane failed (exit ${code ?? signal}); see the go output above`));
    });
  });
}
