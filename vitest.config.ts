import { defineConfig } from "vitest/config";

// One test command for everything. Tests that need the control plane start it
// through test/testenv (built once and cached); under CI=true a missing
// component is a failure, never a skip.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
  },
});
