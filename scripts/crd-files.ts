import { stringify } from "yaml";
import { allCrds } from "../src/api/crd.js";

const HEADER = "# Generated from src/api by `npm run gen:crds`. Do not edit by hand.\n";

/** File name → YAML text of each CRD. */
export function renderCrds(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(allCrds()).map(([file, obj]) => [file, HEADER + stringify(obj, { lineWidth: 0 })]),
  );
}
