// The image without Docker: the Dockerfile's shape is checked statically, and its build
// stage runs for real through scripts/image-build-stage.sh (npm ci, build, prune).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testenv/cluster.js";

const run = promisify(execFile);
const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The instructions of one stage, continuation lines joined, comments dropped. */
function stage(index: number): string[] {
  const lines = dockerfile.replace(/\\\n/g, " ").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  const starts = lines.flatMap((l, i) => (l.startsWith("FROM ") ? [i] : []));
  return lines.slice(starts[index], starts[index + 1]);
}

describe("Dockerfile", () => {
  it("builds on Node 24 and runs on distroless Node 24 as a numeric non-root user", () => {
    const major = /(\d+)/.exec(pkg.engines.node)![1];
    expect(stage(0)[0]).toBe(`FROM node:${major}-bookworm-slim AS build`);
    expect(stage(1)[0]).toBe(`FROM gcr.io/distroless/nodejs${major}-debian12:nonroot`);
    expect(stage(1)).toContain("USER 65532:65532");
    expect(stage(1).some((l) => l.startsWith("RUN "))).toBe(false);
  });

  it("installs reproducibly from the lockfile, builds, and keeps production dependencies only", () => {
    const runs = stage(0).filter((l) => l.startsWith("RUN "));
    expect(runs).toEqual(["RUN npm ci --no-audit --no-fund", "RUN npm run build", "RUN npm prune --omit=dev --no-audit --no-fund"]);
    expect(stage(0)).toContain("COPY package.json package-lock.json ./");
  });

  it("runs the same `production-fixer run` that the package's bin names", () => {
    expect(pkg.bin["production-fixer"]).toBe("dist/cli.js");
    expect(stage(1).at(-1)).toBe('ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=8", "dist/cli.js", "run"]');
    const copied = stage(1).filter((l) => l.startsWith("COPY ")).map((l) => l.split(" ").at(-1));
    expect(copied).toEqual(["./package.json", "./node_modules", "./dist"]);
  });

  it("keeps secrets, git history and local builds out of the build context", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of [".git", "node_modules", "dist", ".env", ".env.*", ".testenv"]) expect(ignored).toContain(entry);
  });
});

describe("scripts/image-build-stage.sh", () => {
  const out = mkdtempSync(join(tmpdir(), "pf-image-"));
  let log = "";

  beforeAll(async () => {
    // No Docker here: the build stage's commands run on this machine, against the npm
    // cache when it has the packages (npm_config_prefer_offline), else the registry.
    const env = { ...process.env, npm_config_prefer_offline: "true", npm_config_update_notifier: "false" };
    const res = await run(join(REPO_ROOT, "scripts", "image-build-stage.sh"), [out], { env, maxBuffer: 64 * 1024 * 1024 });
    log = res.stdout + res.stderr;
  }, 900_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("runs every COPY and RUN line of the build stage", () => {
    const steps = stage(0).filter((l) => /^(COPY|RUN) /.test(l));
    for (const step of steps) expect(log).toContain(`+ ${step}`);
  });

  it("leaves production dependencies only", () => {
    const installed = new Set(readdirSync(join(out, "node_modules")));
    // Some devDependencies (@types/node) are also dependencies of production packages;
    // the toolchain must be gone.
    for (const dep of ["typescript", "tsx", "vitest", "eslint", "node", "@aws-cdk/lambda-layer-kubectl-v35"]) {
      expect(pkg.devDependencies[dep], dep).toBeDefined();
      expect(existsSync(join(out, "node_modules", dep)), `devDependency ${dep} left in the image`).toBe(false);
    }
    for (const dep of Object.keys(pkg.dependencies)) expect(installed.has(dep.split("/")[0]!), dep).toBe(true);
  });

  it("compiles every module, and each one loads with production dependencies alone", async () => {
    // dist/cli.js is the entry point: it runs when imported, and is checked below.
    const modules = walk(join(out, "dist")).filter((f) => f.endsWith(".js") && relative(out, f) !== join("dist", "cli.js"));
    expect(modules.length).toBeGreaterThan(0);
    // Modules start nothing at import time (STYLE.md), so importing each one is safe.
    const script = `for (const f of process.argv.slice(1)) await import("./" + f);`;
    const res = await run(process.execPath, ["--input-type=module", "-e", script, ...modules.map((m) => relative(out, m))], { cwd: out, env: { PATH: process.env.PATH } });
    expect(res.stderr).toBe("");
  });

  it("produces the image's entry point: node dist/cli.js run, with production dependencies alone", async () => {
    const res = await run(process.execPath, ["dist/cli.js", "run", "--help"], { cwd: out, env: { PATH: process.env.PATH } });
    expect(res.stdout).toMatch(/run/);
    expect(res.stderr).toBe("");
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
