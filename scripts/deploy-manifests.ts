// deploy/production-fixer.yaml: the chart rendered with its default values into the
// namespace production-fixer, CRDs and the Namespace included, for installs without Helm.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";

export const DEPLOY_FILE = join("deploy", "production-fixer.yaml");
export const DEPLOY_NAMESPACE = "production-fixer";

const HEADER = [
  "# Generated from charts/production-fixer with its default values by `npm run render:deploy`. Do not edit by hand.",
  "# Install:   kubectl apply --server-side -f deploy/production-fixer.yaml",
  "# Uninstall: kubectl delete -f deploy/production-fixer.yaml (this deletes the CRDs and every ProductionIncident)",
  "",
].join("\n");

/** The Namespace, labelled so that Pod Security admission enforces the restricted profile. */
function namespaceDoc(): string {
  const ns = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: DEPLOY_NAMESPACE,
      labels: {
        "app.kubernetes.io/part-of": "production-fixer",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  };
  return `---\n${stringify(ns)}`;
}

/** Renders the file's text with the given helm binary, from the repository root `root`. */
export async function renderDeployManifests(helmPath: string, root: string): Promise<string> {
  const chart = join(root, "charts", "production-fixer");
  const args = ["template", "production-fixer", chart, "--namespace", DEPLOY_NAMESPACE, "--include-crds"];
  try {
    const { stdout } = await promisify(execFile)(helmPath, args, { maxBuffer: 64 * 1024 * 1024, cwd: root });
    return `${HEADER}${namespaceDoc()}${stdout}`;
  } catch (cause) {
    throw new Error(`helm template of ${chart} failed`, { cause });
  }
}
