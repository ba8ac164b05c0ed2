// The README's first command, as a person runs it: `npm run demo -- --exit --json`.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { ProductionIncident } from "../../src/api/incident.js";
import { SHOP } from "../../demo/shop.js";

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.ANTHROPIC_API_KEY;
    const child = spawn("npm", ["run", "--silent", "demo", "--", "--exit", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run demo -- --exit --json", () => {
  it("opens one diagnosed incident per broken service, with the right category, and none for healthy ones", async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(code, stderr).toBe(0);
    const { incidents } = JSON.parse(stdout) as { incidents: ProductionIncident[] };
    for (const service of SHOP) {
      const mine = incidents.filter((i) => i.spec.target.name === service.name);
      if (!service.expect) {
        expect(mine, `healthy ${service.name} got an incident`).toHaveLength(0);
        continue;
      }
      expect(mine, `${service.name}: ${JSON.stringify(mine.map((i) => i.status?.diagnosis?.category))}`).toHaveLength(1);
      expect(mine[0]!.status?.phase).toBe("Diagnosed");
      expect(mine[0]!.status?.diagnosis?.category, service.name).toBe(service.expect);
      expect(mine[0]!.status?.diagnosis?.evidence.length).toBeGreaterThan(0);
    }
    expect(stderr).toContain("No ANTHROPIC_API_KEY: diagnosing with the built-in rules");
    expect(stderr).toContain("$ kubectl get productionincidents -A");
  }, 600_000);
});
