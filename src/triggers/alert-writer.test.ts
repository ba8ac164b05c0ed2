import type { CustomObjectsApi } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { AlertSpec, ProductionAlert } from "../api/alert.js";
import { KubeAlertWriter, NamespaceNotFoundError, stableJson } from "./alert-writer.js";

const status = (code: number, reason: string, details?: object): Error =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ kind: "Status", reason, ...(details ? { details } : {}) }) });

/** The three CustomObjectsApi calls the writer makes, over a map, with resourceVersions and scripted failures. */
class FakeCustom {
  readonly objects = new Map<string, ProductionAlert>();
  readonly calls: string[] = [];
  namespaces = new Set(["shop", "production-fixer"]);
  conflicts = 0;
  private rv = 1;

  async createNamespacedCustomObject(p: { namespace: string; body: ProductionAlert }): Promise<unknown> {
    this.calls.push("create");
    if (!this.namespaces.has(p.namespace)) throw status(404, "NotFound", { name: p.namespace, kind: "namespaces" });
    const key = `${p.namespace}/${p.body.metadata.name}`;
    if (this.objects.has(key)) throw status(409, "AlreadyExists");
    this.objects.set(key, { ...p.body, metadata: { ...p.body.metadata, resourceVersion: String(++this.rv), generation: 1 } });
    return this.objects.get(key);
  }

  async getNamespacedCustomObject(p: { namespace: string; name: string }): Promise<unknown> {
    this.calls.push("get");
    const o = this.objects.get(`${p.namespace}/${p.name}`);
    if (!o) throw status(404, "NotFound");
    return structuredClone(o);
  }

  async replaceNamespacedCustomObject(p: { namespace: string; name: string; body: ProductionAlert }): Promise<unknown> {
    this.calls.push("replace");
    const key = `${p.namespace}/${p.name}`;
    const cur = this.objects.get(key)!;
    if (this.conflicts > 0 || cur.metadata.resourceVersion !== p.body.metadata.resourceVersion) {
      this.conflicts--;
      cur.metadata.resourceVersion = String(++this.rv);
      throw status(409, "Conflict");
    }
    this.objects.set(key, { ...p.body, metadata: { ...p.body.metadata, resourceVersion: String(++this.rv), generation: (cur.metadata.generation ?? 1) + 1 } });
    return this.objects.get(key);
  }
}

const spec: AlertSpec = { source: "alertmanager", name: "MemoryHigh", severity: "warning", state: "firing", fingerprint: "abc" };

function writer(opts: { rememberMs?: number } = {}): { fake: FakeCustom; w: KubeAlertWriter; tick: (ms: number) => void } {
  const fake = new FakeCustom();
  let now = 0;
  const w = new KubeAlertWriter(fake as unknown as CustomObjectsApi, { now: () => now, ...opts });
  return { fake, w, tick: (ms) => (now += ms) };
}

describe("KubeAlertWriter", () => {
  it("creates, then answers re-sends from memory until it expires", async () => {
    const { fake, w, tick } = writer();
    expect(await w.upsert({ namespace: "shop", name: "am-abc", spec })).toBe("created");
    expect(await w.upsert({ namespace: "shop", name: "am-abc", spec: { ...spec } })).toBe("unchanged");
    expect(fake.calls).toEqual(["create"]);
    tick(300_000);
    expect(await w.upsert({ namespace: "shop", name: "am-abc", spec })).toBe("unchanged");
    expect(fake.calls).toEqual(["create", "create", "get"]);
  });

  it("updates the spec only when it changed, retrying on conflicts", async () => {
    const { fake, w } = writer({ rememberMs: 0 });
    await w.upsert({ namespace: "shop", name: "am-abc", spec });
    fake.conflicts = 1;
    expect(await w.upsert({ namespace: "shop", name: "am-abc", spec: { ...spec, state: "resolved", endsAt: "2026-11-27T12:00:00Z" } })).toBe("updated");
    expect(fake.calls).toEqual(["create", "create", "get", "replace", "get", "replace"]);
    expect(fake.objects.get("shop/am-abc")!.spec).toMatchObject({ state: "resolved" });
    expect(await w.upsert({ namespace: "shop", name: "am-abc", spec: { ...spec, state: "resolved", endsAt: "2026-11-27T12:00:00Z" } })).toBe("unchanged");
  });

  it("tells a missing namespace apart from other errors", async () => {
    const { w } = writer();
    await expect(w.upsert({ namespace: "gone", name: "am-abc", spec })).rejects.toBeInstanceOf(NamespaceNotFoundError);
  });

  it("compares specs whatever the key order", () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(stableJson({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }));
  });
});
