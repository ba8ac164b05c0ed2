// deploy/production-fixer.yaml is the chart rendered with default values.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY_FILE, renderDeployManifests } from "../../scripts/deploy-manifests.js";
import { REPO_ROOT } from "../testenv/cluster.js";
import { ensureTools } from "../testenv/tools.js";
import { parseManifests } from "./helm.js";

describe("deploy/production-fixer.yaml", () => {
  it("is in sync with helm template of the chart (run `npm run render:deploy` when this fails)", async () => {
    const { helm } = await ensureTools();
    const expected = await renderDeployManifests(helm, REPO_ROOT);
    expect(readFileSync(join(REPO_ROOT, DEPLOY_FILE), "utf8"), `${DEPLOY_FILE} is out of date`).toBe(expected);
  });

  it("holds the Namespace first, then the CRDs, then everything in namespace production-fixer", () => {
    const objects = parseManifests(readFileSync(join(REPO_ROOT, DEPLOY_FILE), "utf8"));
    expect(objects.slice(0, 3).map((o) => o.kind)).toEqual(["Namespace", "CustomResourceDefinition", "CustomResourceDefinition"]);
    const clusterScoped = new Set(["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"]);
    for (const o of objects.filter((x) => !clusterScoped.has(x.kind ?? ""))) expect(o.metadata?.namespace, `${o.kind} ${o.metadata?.name}`).toBe("production-fixer");
  });
});
