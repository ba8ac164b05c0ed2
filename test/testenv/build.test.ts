import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlPlaneKey, kubernetesVersionOf, ldflagsFor } from "./build.js";
import { withLock } from "./lock.js";

describe("control plane build cache", () => {
  it("reads the Kubernetes version from go.mod", () => {
    expect(kubernetesVersionOf("require (\n\tk8s.io/kubernetes v1.36.3\n)\n")).toBe("v1.36.3");
    expect(() => kubernetesVersionOf("module x\n")).toThrow(/does not require k8s.io\/kubernetes/);
  });

  it("sets the version variables of component-base", () => {
    expect(ldflagsFor("v1.36.3")).toContain("-X k8s.io/component-base/version.gitMinor=36");
  });

  it("changes the key when a source, go.sum or the Go version changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "pf-build-"));
    writeFileSync(join(dir, "go.mod"), "module x\n");
    writeFileSync(join(dir, "go.sum"), "");
    writeFileSync(join(dir, "main.go"), "package main\n");
    const first = controlPlaneKey(dir, "go1.26.8");
    expect(controlPlaneKey(dir, "go1.26.8")).toBe(first);
    expect(controlPlaneKey(dir, "go1.26.9")).not.toBe(first);
    writeFileSync(join(dir, "extra.go"), "package main\n");
    expect(controlPlaneKey(dir, "go1.26.8")).not.toBe(first);
  });

  it("runs locked work one at a time", async () => {
    const lock = join(mkdtempSync(join(tmpdir(), "pf-lock-")), "x.lock");
    const order: string[] = [];
    const job = (name: string) => withLock(lock, { log: () => {}, what: "test", pollMs: 5 }, async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name}-`);
    });
    await Promise.all([job("a"), job("b")]);
    expect(order).toEqual(["a+", "a-", "b+", "b-"]);
  });
});
