import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../api/snapshot.js";
import { loadSnapshot, parseSnapshot, SnapshotError, SnapshotView } from "./snapshot-view.js";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "shop", uid: "pod-uid", labels: { app: "web", tier: "front" } },
  spec: { nodeName: "node-a", containers: [{ name: "web", image: "web:1" }, { name: "sidecar", image: "proxy:1" }], initContainers: [{ name: "migrate", image: "m:1" }] },
  status: { phase: "Running", containerStatuses: [{ name: "sidecar", ready: false, restartCount: 0, image: "proxy:1", imageID: "", state: { waiting: { reason: "ImagePullBackOff" } } }] },
};
const event = (name: string, uid: string, reason: string, last: string) => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name, namespace: "shop" },
  involvedObject: { kind: "Pod", name: "web-1", namespace: "shop", uid },
  reason,
  message: reason,
  lastTimestamp: last,
});

function snapshot(): ClusterSnapshot {
  return {
    apiVersion: "productionfixer.io/v1alpha1",
    kind: "ClusterSnapshot",
    metadata: { name: "t" },
    capturedAt: "2026-11-27T12:00:00Z",
    objects: [
      pod,
      { apiVersion: "v1", kind: "Pod", metadata: { name: "db-0", namespace: "shop", labels: { app: "db" } } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "other" } },
      { apiVersion: "v1", kind: "Node", metadata: { name: "node-a" } },
      event("e2", "pod-uid", "BackOff", "2026-11-27T11:59:00Z"),
      event("e1", "pod-uid", "Pulled", "2026-11-27T11:50:00Z"),
      event("e3", "old-uid", "Killing", "2026-11-27T11:00:00Z"),
      {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: { name: "e4", namespace: "shop" },
        regarding: { kind: "Pod", name: "web-1", namespace: "shop", uid: "pod-uid" },
        note: "from events v1",
        reason: "Unhealthy",
        series: { count: 4, lastObservedTime: "2026-11-27T11:59:30Z" },
      },
    ],
    logs: [
      { namespace: "shop", pod: "web-1", container: "web", previous: true, text: "a\nb\nc\nd\n" },
      { namespace: "shop", pod: "web-1", container: "web", previous: false, text: "starting\n" },
    ],
    metrics: [
      { metric: { __name__: "container_memory_working_set_bytes", namespace: "shop", pod: "web-1", container: "web" }, values: [[1795780740, "100"], [1795780770, "200"]] },
      { metric: { __name__: "container_memory_working_set_bytes", namespace: "shop", pod: "web-1", container: "POD" }, values: [[1795780740, "1"]] },
      { metric: { __name__: "container_spec_memory_limit_bytes", namespace: "shop", pod: "web-1", container: "web" }, values: [[1795780770, "256"]] },
      { metric: { __name__: "kube_pod_container_status_restarts_total", namespace: "shop", pod: "web-1", container: "web" }, values: [[1795780200, "1"], [1795780500, "3"], [1795780800, "5"]] },
    ],
  };
}

describe("SnapshotView", () => {
  const view = new SnapshotView(snapshot());

  it("answers now() with capturedAt", () => {
    expect(view.now().toISOString()).toBe("2026-11-27T12:00:00.000Z");
  });

  it("gets namespaced and cluster-scoped objects", async () => {
    expect((await view.get("Pod", "shop", "web-1"))?.metadata.uid).toBe("pod-uid");
    expect(await view.get("Pod", "shop", "missing")).toBeUndefined();
    expect((await view.get("Node", undefined, "node-a"))?.kind).toBe("Node");
    expect((await view.get("Node", "shop", "node-a"))?.kind).toBe("Node");
  });

  it("lists with label and field selectors", async () => {
    expect((await view.list("Pod", "shop")).map((p) => p.metadata.name)).toEqual(["web-1", "db-0"]);
    expect((await view.list("Pod", undefined)).length).toBe(3);
    expect((await view.list("Pod", "shop", { labelSelector: "app in (web,api),tier" })).map((p) => p.metadata.name)).toEqual(["web-1"]);
    expect((await view.list("Pod", "shop", { labelSelector: "app!=web" })).map((p) => p.metadata.name)).toEqual(["db-0"]);
    expect((await view.list("Pod", "shop", { fieldSelector: "metadata.name=db-0" })).length).toBe(1);
  });

  it("serves logs with previous, tailLines and limitBytes", async () => {
    expect(await view.logs({ namespace: "shop", pod: "web-1", container: "web", previous: true })).toEqual({ found: true, text: "a\nb\nc\nd\n", truncated: false });
    expect(await view.logs({ namespace: "shop", pod: "web-1", container: "web", previous: true, tailLines: 2 })).toEqual({ found: true, text: "c\nd\n", truncated: true });
    expect(await view.logs({ namespace: "shop", pod: "web-1", container: "web", previous: true, tailLines: 2, limitBytes: 3 })).toEqual({ found: true, text: "c\nd", truncated: true });
    expect(await view.logs({ namespace: "shop", pod: "web-1", container: "web" })).toMatchObject({ found: true, text: "starting\n" });
  });

  it("answers missing logs like a kubelet", async () => {
    const reason = async (container: string, previous = false, pod = "web-1") => {
      const r = await view.logs({ namespace: "shop", pod, container, previous });
      return r.found ? "found" : r.reason;
    };
    expect(await reason("sidecar", true)).toBe('previous terminated container "sidecar" in pod "web-1" not found');
    expect(await reason("sidecar")).toBe('container "sidecar" in pod "web-1" is waiting to start: ImagePullBackOff');
    expect(await reason("nope")).toBe("container nope is not valid for pod web-1");
    expect(await reason("web", false, "gone")).toBe('pods "gone" not found');
  });

  it("returns events of an object by uid, oldest first, including events.k8s.io/v1", async () => {
    const events = await view.events({ namespace: "shop", kind: "Pod", name: "web-1", uid: "pod-uid" });
    expect(events.map((e) => e.reason)).toEqual(["Pulled", "BackOff", "Unhealthy"]);
    expect(events[2]).toMatchObject({ message: "from events v1", count: 4 });
    const byName = await view.events({ namespace: "shop", kind: "Pod", name: "web-1" });
    expect(byName).toHaveLength(4);
  });

  it("answers the PromQL that metrics collection asks", async () => {
    const m = view.metrics!;
    const start = new Date("2026-11-27T11:00:00Z");
    const end = new Date("2026-11-27T12:00:00Z");
    const sel = 'namespace="shop",pod="web-1",container!="",container!="POD"';
    const mem = await m.range({ query: `max by (container) (container_memory_working_set_bytes{${sel}})`, start, end, stepSeconds: 15 });
    expect(mem).toEqual([{ metric: { container: "web" }, values: [{ t: 1795780740, v: 100 }, { t: 1795780770, v: 200 }] }]);
    const limit = await m.instant(`max by (container) (container_spec_memory_limit_bytes{${sel}} > 0)`, end);
    expect(limit).toEqual([{ metric: { container: "web" }, values: [{ t: 1795780770, v: 256 }] }]);
    const restarts = await m.range({ query: `max by (container) (increase(kube_pod_container_status_restarts_total{${sel}}[15m]))`, start, end, stepSeconds: 15 });
    expect(restarts[0]!.values.map((p) => p.v)).toEqual([2, 4]);
    await expect(m.range({ query: "histogram_quantile(0.9, x)", start, end, stepSeconds: 15 })).rejects.toThrow(/unsupported/);
  });

  it("has no metrics source when the snapshot captured none", () => {
    expect(new SnapshotView({ ...snapshot(), metrics: [] }).metrics).toBeUndefined();
  });
});

describe("parseSnapshot / loadSnapshot", () => {
  const base = "apiVersion: productionfixer.io/v1alpha1\nkind: ClusterSnapshot\nmetadata: {name: x}\ncapturedAt: 2026-11-27T12:00:00Z\n";

  it("parses YAML and JSON, ignoring unknown top-level keys such as expect", () => {
    const s = parseSnapshot(`${base}expect: {category: OutOfMemory}\nobjects: []\n`, "s.yaml");
    expect(s.objects).toEqual([]);
    expect(parseSnapshot(JSON.stringify(snapshot()), "s.json").objects).toHaveLength(8);
  });

  it("names the file, the path inside it and the object for a schema error", () => {
    const text = `${base}objects:\n  - {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: shop}}\n  - {apiVersion: v1, kind: Pod, metadata: {namespace: shop}}\n`;
    const err = (() => {
      try {
        parseSnapshot(text, "bundle.yaml");
      } catch (e) {
        return e as SnapshotError;
      }
      throw new Error("expected an error");
    })();
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err.message).toMatch(/^bundle\.yaml: not a valid ClusterSnapshot:\n {2}objects\[1\]\.metadata\.name: .+ \(in Pod shop\)/);
  });

  it("reports YAML syntax errors with the line", () => {
    expect(() => parseSnapshot(`${base}objects: [\n  {a: 1\n`, "bad.yaml")).toThrow(/^bad\.yaml: not valid YAML or JSON at line \d+/);
  });

  it("reports a wrong kind and a non-mapping", () => {
    expect(() => parseSnapshot(base.replace("ClusterSnapshot", "Pod"), "k.yaml")).toThrow(/k\.yaml: not a valid ClusterSnapshot:\n {2}kind: /);
    expect(() => parseSnapshot("- 1\n- 2\n", "l.yaml")).toThrow(/l\.yaml: a ClusterSnapshot must be a mapping/);
  });

  it("loads from disk and names a missing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "snap-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, `${base}objects: []\n`);
    expect(loadSnapshot(file).metadata.name).toBe("x");
    expect(() => loadSnapshot(join(dir, "nope.yaml"))).toThrow(`${join(dir, "nope.yaml")}: cannot read snapshot: no such file`);
  });
});
