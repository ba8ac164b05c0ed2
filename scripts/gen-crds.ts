// Writes crds/*.yaml (and the chart's copy) from the zod schemas in src/api.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { renderCrds } from "./crd-files.js";

const targets = ["crds", "charts/production-fixer/crds"];
for (const dir of targets) {
  if (dir !== "crds" && !existsSync(join(dir, ".."))) continue;
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(renderCrds())) {
    writeFileSync(join(dir, file), text);
    console.log(`wrote ${join(dir, file)}`);
  }
}
