import { KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createLogger } from "../telemetry/logger.js";
import { KubeHttpError } from "./errors.js";
import { Informer } from "./informer.js";
import type { InformerTransport, ListPage, Query, WatchEvent } from "./transport.js";

const logger = createLogger({ level: "silent" });

function pod(name: string, rv: string, extra: Partial<V1Pod["metadata"]> = {}): V1Pod {
  return { metadata: { name, namespace: "shop", resourceVersion: rv, managedFields: [{ manager: "kubelet" }], ...extra }, spec: { containers: [{ name: "c" }] } };
}

type WatchScript = (onEvent: (e: WatchEvent<V1Pod>) => void, query: Query) => Promise<void>;

/** Lists return the current `objects`; each watch runs the next script (then blocks until aborted). */
class FakeTransport implements InformerTransport {
  objects: V1Pod[] = [];
  listRv = "10";
  lists: Query[] = [];
  watches: Query[] = [];
  scripts: WatchScript[] = [];
  pageSize = 2;

  async list<T>(_path: string, query: Query): Promise<ListPage<T>> {
    this.lists.push(query);
    const start = Number(query.continue ?? 0);
    const items = this.objects.slice(start, start + this.pageSize).map((o) => structuredClone(o));
    const next = start + this.pageSize < this.objects.length ? String(start + this.pageSize) : undefined;
    return { items: items as T[], metadata: { resourceVersion: this.listRv, continue: next } };
  }

  async watch<T>(_path: string, query: Query, signal: AbortSignal, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    this.watches.push(query);
    const script = this.scripts.shift();
    if (script) return script(onEvent as (e: WatchEvent<V1Pod>) => void, query);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }
}

function makeInformer(transport: FakeTransport, delays: number[] = []): Informer<V1Pod> {
  return new Informer<V1Pod>({
    kubeConfig: new KubeConfig(),
    path: "/api/v1/pods",
    logger,
    transport,
    backoff: { initialMs: 100, maxMs: 1000 },
    random: () => 1,
    delay: async (ms) => {
      delays.push(ms);
      await new Promise((r) => setImmediate(r));
    },
  });
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error("condition not reached");
};

describe("Informer", () => {
  it("lists every page, strips managedFields, then applies watch events after the cache", async () => {
    const t = new FakeTransport();
    t.objects = [pod("a", "1"), pod("b", "2"), pod("c", "3")];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t.scripts.push(async (on) => {
      await gate;
      on({ type: "ADDED", object: pod("d", "11") });
      on({ type: "MODIFIED", object: pod("a", "12", { labels: { v: "2" } }) });
      on({ type: "DELETED", object: pod("b", "13") });
      on({ type: "BOOKMARK", object: { metadata: { resourceVersion: "20" } } as V1Pod });
    });
    const inf = makeInformer(t);
    const seen: string[] = [];
    inf.on("add", (o) => seen.push(`add ${o.metadata?.name} cached=${inf.get("shop", o.metadata!.name!) !== undefined}`));
    inf.on("update", (o, old) => seen.push(`update ${o.metadata?.name} ${old?.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`));
    inf.on("delete", (o) => seen.push(`delete ${o.metadata?.name} cached=${inf.get("shop", o.metadata!.name!) !== undefined}`));
    let syncedCalls = 0;
    inf.onSynced(() => syncedCalls++);
    inf.start();
    await inf.synced();
    expect(inf.hasSynced()).toBe(true);
    expect(t.lists.map((q) => q.continue)).toEqual([undefined, "2"]);
    expect(inf.list().map((p) => p.metadata?.name).sort()).toEqual(["a", "b", "c"]);
    expect(inf.get("shop", "a")?.metadata?.managedFields).toBeUndefined();
    release();
    await until(() => seen.length === 6);
    expect(seen).toEqual(["add a cached=true", "add b cached=true", "add c cached=true", "add d cached=true", "update a 1->12", "delete b cached=false"]);
    expect(syncedCalls).toBe(1);
    await until(() => t.watches.length === 2);
    expect(t.watches[0]).toMatchObject({ resourceVersion: "10", allowWatchBookmarks: true });
    expect(t.watches[1]).toMatchObject({ resourceVersion: "20" });
    await inf.stop();
  });

  it("relists on 410 Gone and emits the differences", async () => {
    const t = new FakeTransport();
    t.objects = [pod("a", "1"), pod("b", "2")];
    t.scripts.push(async () => {
      t.objects = [pod("a", "1"), pod("c", "30")];
      t.listRv = "30";
      throw new KubeHttpError("too old resource version", 410);
    });
    const inf = makeInformer(t);
    const seen: string[] = [];
    inf.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
    inf.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    inf.on("update", (o) => seen.push(`update ${o.metadata?.name}`));
    inf.start();
    await until(() => t.watches.length === 2);
    expect(t.lists.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(["add a", "add b", "delete b", "add c"]);
    expect(t.watches[1]).toMatchObject({ resourceVersion: "30" });
    await inf.stop();
  });

  it("treats an ERROR watch event with 410 as expiry", async () => {
    const t = new FakeTransport();
    t.objects = [pod("a", "1")];
    t.scripts.push(async (on) => on({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } as unknown as V1Pod }));
    const inf = makeInformer(t);
    inf.start();
    await until(() => t.watches.length === 2);
    expect(t.lists.length).toBe(2);
    await inf.stop();
  });

  it("backs off exponentially on repeated errors and resets after a good watch", async () => {
    const t = new FakeTransport();
    const fail: WatchScript = async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    };
    t.scripts.push(fail, fail, fail, async (on) => on({ type: "BOOKMARK", object: { metadata: { resourceVersion: "11" } } as V1Pod }), fail);
    const delays: number[] = [];
    const inf = makeInformer(t, delays);
    inf.start();
    await until(() => t.watches.length === 6);
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 100, 100]);
    expect(t.lists.length).toBe(1);
    expect(t.watches.every((q, i) => i < 4 || q.resourceVersion === "11")).toBe(true);
    await inf.stop();
  });

  it("indexes objects and keeps indexes current", async () => {
    const t = new FakeTransport();
    t.objects = [pod("a", "1", { labels: { fp: "x" } }), pod("b", "2", { labels: { fp: "x" } }), pod("c", "3", { labels: { fp: "y" } })];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t.scripts.push(async (on) => {
      await gate;
      on({ type: "MODIFIED", object: pod("a", "4", { labels: { fp: "y" } }) });
    });
    const inf = makeInformer(t);
    inf.addIndex("fp", (o) => (o.metadata?.labels?.fp ? [o.metadata.labels.fp] : []));
    inf.start();
    await inf.synced();
    expect(inf.byIndex("fp", "x").map((o) => o.metadata?.name).sort()).toEqual(["a", "b"]);
    release();
    await until(() => inf.byIndex("fp", "y").length === 2);
    expect(inf.byIndex("fp", "x").map((o) => o.metadata?.name)).toEqual(["b"]);
    expect(inf.list("shop")).toHaveLength(3);
    expect(inf.list("other")).toHaveLength(0);
    await inf.stop();
  });
});
