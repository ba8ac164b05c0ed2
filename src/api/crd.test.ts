import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCrds } from "../../scripts/crd-files.js";

describe("crds/", () => {
  it("is generated from src/api (run `npm run gen:crds` when this fails)", () => {
    for (const [file, text] of Object.entries(renderCrds())) {
      for (const dir of ["crds", "charts/production-fixer/crds"]) {
        const path = join(dir, file);
        if (dir !== "crds" && !existsSync(dir)) continue;
        expect(readFileSync(path, "utf8"), `${path} is out of date`).toBe(text);
      }
    }
  });
});
