// npm run render:deploy — rewrites deploy/production-fixer.yaml from the chart.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../test/testenv/cluster.js";
import { ensureTools } from "../test/testenv/tools.js";
import { DEPLOY_FILE, renderDeployManifests } from "./deploy-manifests.js";

const { helm } = await ensureTools();
const text = await renderDeployManifests(helm, REPO_ROOT);
const path = join(REPO_ROOT, DEPLOY_FILE);
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, text);
console.log(`wrote ${DEPLOY_FILE}`);
