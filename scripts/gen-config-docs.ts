// Rewrites the configuration reference in README.md from the zod schema in src/config.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { replaceReference } from "./config-docs.js";

const file = "README.md";
const next = replaceReference(readFileSync(file, "utf8"));
if (next === undefined) {
  console.error(`${file} has no config markers; add <!-- config:begin ... --> and <!-- config:end -->`);
  process.exit(2);
}
writeFileSync(file, next);
console.log(`updated the configuration reference in ${file}`);
