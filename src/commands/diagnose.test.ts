import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./index.js";

function io(env: Record<string, string> = {}, tty = false) {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (s: string) => (out += s), isTTY: tty }, stderr: { write: (s: string) => (err += s) }, env },
    out: () => out,
    err: () => err,
  };
}

const dir = mkdtempSync(join(tmpdir(), "diagnose-"));
const scenario = join(dir, "oom.yaml");
writeFileSync(
  scenario,
  `apiVersion: productionfixer.io/v1alpha1
kind: ClusterSnapshot
metadata: {name: oom}
capturedAt: 2026-11-27T12:00:00Z
expect: {category: OutOfMemory}
objects:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web-1, namespace: shop, uid: u1}
    spec: {containers: [{name: web, image: "web:1", resources: {limits: {memory: 64Mi}}}]}
    status:
      phase: Running
      containerStatuses:
        - name: web
          ready: false
          restartCount: 5
          image: "web:1"
          imageID: ""
          state: {waiting: {reason: CrashLoopBackOff}}
          lastState: {terminated: {exitCode: 137, reason: OOMKilled, finishedAt: "2026-11-27T11:59:00Z"}}
`,
);

describe("production-fixer diagnose", () => {
  it("prints {incidents: [...]} as json", async () => {
    const t = io();
    expect(await runCli(["diagnose", "--snapshot", scenario, "--output", "json"], t.io)).toBe(0);
    const parsed = JSON.parse(t.out()) as { incidents: { spec: { target: { name: string } }; status: { diagnosis: { category: string } } }[] };
    expect(parsed.incidents).toHaveLength(1);
    expect(parsed.incidents[0]!.status.diagnosis.category).toBe("OutOfMemory");
    expect(parsed.incidents[0]!.spec.target.name).toBe("web-1");
  });

  it("prints an aligned table without colour off a TTY, with colour on one", async () => {
    const plain = io();
    expect(await runCli(["diagnose", "-f", scenario, "--no-agent"], plain.io)).toBe(0);
    const [header, row] = plain.out().split("\n");
    expect(header).toMatch(/^TARGET\s+CATEGORY\s+CONFIDENCE\s+SUMMARY$/);
    expect(row!.indexOf("OutOfMemory")).toBe(header!.indexOf("CATEGORY"));
    expect(plain.out()).not.toContain("\u001b[");
    const color = io({}, true);
    await runCli(["diagnose", "-f", scenario], color.io);
    expect(color.out()).toContain("\u001b[");
    const noColor = io({ NO_COLOR: "1" }, true);
    await runCli(["diagnose", "-f", scenario], noColor.io);
    expect(noColor.out()).not.toContain("\u001b[");
  });

  it("exits 2 naming the file and the path for a malformed snapshot", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "apiVersion: productionfixer.io/v1alpha1\nkind: ClusterSnapshot\nmetadata: {name: b}\ncapturedAt: yesterday\nobjects:\n  - {apiVersion: v1, kind: Pod, metadata: {namespace: shop}}\n");
    const t = io();
    expect(await runCli(["diagnose", "--snapshot", bad], t.io)).toBe(2);
    expect(t.err()).toContain(`${bad}: not a valid ClusterSnapshot`);
    expect(t.err()).toContain("capturedAt:");
    expect(t.err()).toContain("objects[0].metadata.name:");
  });

  it("exits 2 on usage errors and shows help with examples", async () => {
    const missing = io();
    expect(await runCli(["diagnose"], missing.io)).toBe(2);
    expect(missing.err()).toContain("--snapshot FILE is required");
    const wrong = io();
    expect(await runCli(["diagnose", "-f", scenario, "-o", "xml"], wrong.io)).toBe(2);
    expect(wrong.err()).toContain("--output must be one of table, json, yaml");
    const help = io();
    expect(await runCli(["diagnose", "--help"], help.io)).toBe(0);
    expect(help.out()).toContain("Examples:");
    const unknown = io();
    expect(await runCli(["frobnicate"], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('unknown command "frobnicate"');
  });
});
