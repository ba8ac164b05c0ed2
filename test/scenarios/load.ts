import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { CATEGORIES, type ClusterSnapshot } from "../../src/api/index.js";
import { parseSnapshot } from "../../src/context/snapshot-view.js";

export const SCENARIO_DIR = import.meta.dirname;

export const Expect = z.object({
  category: z.enum(CATEGORIES),
  /** Each group: at least one alternative must appear (case-insensitive) in summary + rootCause. */
  keywords: z.array(z.array(z.string().min(1)).min(1)).default([]),
  /** How many incidents the snapshot must produce; 0 for healthy controls. */
  incidents: z.number().int().min(0).default(1),
});
export type Expect = z.infer<typeof Expect>;

export interface Scenario {
  name: string;
  file: string;
  description: string;
  snapshot: ClusterSnapshot;
  expect: Expect;
}

/** Reads one scenario: the snapshot as the CLI would parse it (ignoring `expect`), and the expectation. */
export function loadScenario(file: string): Scenario {
  const text = readFileSync(file, "utf8");
  const raw = parse(text) as { expect?: unknown; metadata?: { annotations?: { description?: string } } };
  const expect = Expect.safeParse(raw.expect);
  if (!expect.success) throw new Error(`${file}: missing or invalid expect: ${expect.error.message}`);
  const snapshot = parseSnapshot(text, file);
  return { name: snapshot.metadata.name, file, description: raw.metadata?.annotations?.description ?? "", snapshot, expect: expect.data };
}

/** Every scenario in test/scenarios, sorted by file name. */
export function loadScenarios(dir: string = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => loadScenario(join(dir, f)));
}
