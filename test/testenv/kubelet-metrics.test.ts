import { describe, expect, it } from "vitest";
import { MetricsStore } from "./kubelet-metrics.js";

describe("MetricsStore", () => {
  it("renders cAdvisor series in the Prometheus text format", () => {
    const store = new MetricsStore();
    store.set({ namespace: "shop", pod: "web-1", container: "web", memoryWorkingSetBytes: 104857600 });
    store.set({ namespace: "shop", pod: "web-1", container: "web", memoryLimitBytes: 134217728 });
    const text = store.render();
    expect(text).toContain("# TYPE container_memory_working_set_bytes gauge\n");
    expect(text).toMatch(/^container_memory_working_set_bytes\{container="web",.*namespace="shop",pod="web-1"\} 104857600$/m);
    expect(text).toMatch(/^container_spec_memory_limit_bytes\{.*\} 134217728$/m);
    store.delete("shop", "web-1");
    expect(store.render()).toBe("");
  });
});
