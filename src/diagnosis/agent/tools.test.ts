import { describe, expect, it } from "vitest";
import { clusterView } from "../../../test/fakes/agent-fixtures.js";
import { EvidenceLedger } from "./ledger.js";
import { Scope } from "./scope.js";
import { toolDefinitions } from "./tool-defs.js";
import { ToolBox, type Redactor } from "./tools.js";

function box(opts: { previousLog?: string; maxResultChars?: number; redactor?: Redactor; extra?: string[] } = {}): { tools: ToolBox; ledger: EvidenceLedger } {
  const ledger = new EvidenceLedger();
  const view = clusterView(opts.previousLog === undefined ? {} : { previousLog: opts.previousLog });
  const tools = new ToolBox({ view, scope: new Scope("shop", opts.extra ?? []), ledger, ...(opts.redactor ? { redactor: opts.redactor } : {}), ...(opts.maxResultChars ? { maxResultChars: opts.maxResultChars } : {}) });
  return { tools, ledger };
}

describe("ToolBox", () => {
  it("offers read-only tools only, and PromQL only with metrics", () => {
    const names = toolDefinitions(false).map((t) => t.name);
    expect(names).toEqual(["describe", "get_object", "list_objects", "get_logs", "get_events", "rollout_diff", "related_objects"]);
    expect(toolDefinitions(true).map((t) => t.name)).toContain("promql_range");
    for (const t of toolDefinitions(true)) expect(t.input_schema.type).toBe("object");
    expect(box().tools.definitions().map((t) => t.name)).toEqual(names);
  });

  it("refuses Secrets, unknown kinds, other namespaces and unknown tools as error results", async () => {
    const { tools } = box();
    expect(await tools.run("get_object", { kind: "Secret", name: "db" })).toMatchObject({ isError: true, content: expect.stringContaining("Secrets cannot be read") });
    expect(await tools.run("list_objects", { kind: "secrets" })).toMatchObject({ isError: true });
    expect(await tools.run("get_object", { kind: "ClusterRole", name: "admin" })).toMatchObject({ isError: true, content: expect.stringContaining("not readable") });
    expect(await tools.run("get_logs", { pod: "x", namespace: "kube-system" })).toMatchObject({ isError: true, content: expect.stringContaining("outside this investigation's scope") });
    expect(await tools.run("delete_object", { kind: "Pod", name: "web-1" })).toMatchObject({ isError: true, content: expect.stringContaining("unknown tool") });
    expect(await tools.run("promql_query", { query: "up" })).toMatchObject({ isError: true, content: expect.stringContaining("unknown tool") });
    expect(await tools.run("get_object", { kind: "Pod" })).toMatchObject({ isError: true, content: expect.stringContaining("invalid input for get_object") });
  });

  it("allows the configured extra namespaces and cluster-scoped kinds", async () => {
    const { tools } = box({ extra: ["kube-system"] });
    expect(await tools.run("list_objects", { kind: "Pod", namespace: "kube-system" })).toMatchObject({ isError: false, evidenceId: "tool/list/Pod/kube-system" });
    const node = await tools.run("describe", { kind: "Node", name: "node-1", namespace: "elsewhere" });
    expect(node).toMatchObject({ isError: false, evidenceId: "tool/describe/Node/node-1" });
    expect(node.content).toContain("condition Ready=True");
  });

  it("gives each result an evidence id, wraps it as untrusted data and records it as seen", async () => {
    const { tools, ledger } = box();
    const out = await tools.run("get_logs", { pod: "web-1", previous: true });
    expect(out.evidenceId).toBe("tool/logs/shop/web-1/web/previous");
    expect(out.content).toMatch(/^\[tool\/logs\/shop\/web-1\/web\/previous\] previous logs of shop\/web-1 \(web\), last 3 of 3 line\(s\)\n<untrusted-data id="tool\/logs\/shop\/web-1\/web\/previous" origin="Logs">\n1: starting/);
    expect(ledger.wasSeen("tool/logs/shop/web-1/web/previous")).toBe(true);
    expect(tools.calls).toEqual([{ name: "get_logs", input: { pod: "web-1", previous: true }, evidenceId: "tool/logs/shop/web-1/web/previous" }]);
  });

  it("greps logs with line numbers and refuses dangerous patterns", async () => {
    const log = Array.from({ length: 50 }, (_v, i) => (i % 10 === 9 ? `ERROR boom ${i}` : `ok ${i}`)).join("\n");
    const { tools } = box({ previousLog: log });
    const out = await tools.run("get_logs", { pod: "web-1", previous: true, grep: "error" });
    expect(out.content).toContain("5 line(s) matching /error/ of 50");
    expect(out.content).toContain("10: ERROR boom 9");
    expect(out.content).not.toContain("ok 1");
    expect(await tools.run("get_logs", { pod: "web-1", previous: true, grep: "(a+)+$" })).toMatchObject({ isError: true, content: expect.stringContaining("nested quantifiers") });
    expect(await tools.run("get_logs", { pod: "web-1", previous: true, grep: "(" })).toMatchObject({ isError: true });
    expect(await tools.run("get_logs", { pod: "web-1" })).toMatchObject({ isError: true, content: expect.stringContaining("no current logs") });
  });

  it("redacts every result and bounds its size", async () => {
    const secret = "sk_live_" + "A1b2C3d4E5f6G7h8I9j0K1l2";
    const { tools } = box({ previousLog: `key=${secret}\n${"x".repeat(10_000)}\n`, maxResultChars: 2000 });
    const out = await tools.run("get_logs", { pod: "web-1", previous: true });
    expect(out.content).not.toContain(secret);
    expect(out.content).toContain("[REDACTED");
    expect(out.content).toContain("[truncated:");
    expect(out.content.length).toBeLessThan(2600);
    expect(tools.redactions).toBeGreaterThan(0);
  });

  it("uses the injected redactor", async () => {
    const redactor: Redactor = { redact: (t) => ({ text: t.replaceAll("db-new", "[X]"), count: 1 }), redactValue: (v) => ({ value: v, count: 0 }) };
    const { tools } = box({ redactor });
    const out = await tools.run("get_logs", { pod: "web-1", previous: true });
    expect(out.content).not.toContain("db-new");
  });

  it("diffs rollout revisions", async () => {
    const { tools } = box();
    const out = await tools.run("rollout_diff", { kind: "Deployment", name: "web" });
    expect(out.evidenceId).toBe("tool/rollout/Deployment/shop/web/1-2");
    expect(out.content).toContain("spec.containers[web].env[DATABASE_HOST].value: db.shop.svc → db-new.shop.svc");
    const none = await tools.run("rollout_diff", { kind: "Deployment", name: "web", toRevision: 1 });
    expect(none.content).toContain("no pair of revisions");
  });

  it("reports related objects without reading Secrets", async () => {
    const { tools } = box();
    const out = await tools.run("related_objects", { pod: "web-1" });
    expect(out.content).toContain("ConfigMap shop/web-config: exists, keys LOG_LEVEL");
    expect(out.content).toContain("Node node-1");
  });

  it("describes a pod with its events and lists pods", async () => {
    const { tools } = box();
    const out = await tools.run("describe", { kind: "Pod", name: "web-1" });
    expect(out.content).toContain("CrashLoopBackOff");
    expect(out.content).toContain("BackOff x12");
    const list = await tools.run("list_objects", { kind: "Pod" });
    expect(list.content).toContain("Pod shop/web-1: Running, ready 0/1, restarts 6, CrashLoopBackOff, node node-1");
    const missing = await tools.run("get_object", { kind: "ConfigMap", name: "nope" });
    expect(missing).toMatchObject({ isError: true, content: "ConfigMap shop/nope not found" });
  });
});
