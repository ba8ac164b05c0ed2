// npx tsx test/testenv/build-cli.ts — builds (or finds) the control plane binary and prints
// its path and how long that took. CI runs it before the tests to warm the cache.
import { ensureControlPlaneBinary } from "./build.js";

const binary = await ensureControlPlaneBinary();
console.log(
  `control plane ${binary.kubernetesVersion}: ${binary.path} (${binary.built ? "built" : "cache hit"} in ${(binary.durationMs / 1000).toFixed(1)} s)`,
);
