import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { replaceReference } from "../../scripts/config-docs.js";
import { ENV } from "../../src/config.js";

describe("README configuration reference", () => {
  const readme = readFileSync("README.md", "utf8");
  it("is generated from src/config.ts (run `npm run gen:docs` when this fails)", () => {
    expect(replaceReference(readme)).toBe(readme);
  });
  it("names every environment variable", () => {
    for (const name of Object.keys(ENV)) expect(readme).toContain(`\`${name}\``);
  });
});
