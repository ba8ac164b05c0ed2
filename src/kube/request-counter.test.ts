import { describe, expect, it } from "vitest";
import { kubeVerbOf, RequestCounter, resourceOf } from "./request-counter.js";

describe("RequestCounter", () => {
  it("maps HTTP methods and paths to Kubernetes verbs and resources", () => {
    expect(kubeVerbOf("GET", "/api/v1/pods?limit=500")).toBe("list");
    expect(kubeVerbOf("GET", "/api/v1/namespaces/shop/pods")).toBe("list");
    expect(kubeVerbOf("GET", "/api/v1/namespaces/shop/pods/web-1")).toBe("get");
    expect(kubeVerbOf("GET", "/api/v1/pods?watch=true")).toBe("watch");
    expect(kubeVerbOf("PUT", "/apis/productionfixer.io/v1alpha1/namespaces/shop/productionincidents/x/status")).toBe("update");
    expect(kubeVerbOf("POST", "/apis/events.k8s.io/v1/namespaces/shop/events")).toBe("create");
    expect(resourceOf("/apis/productionfixer.io/v1alpha1/namespaces/shop/productionincidents/x/status")).toBe("productionincidents/status");
    expect(resourceOf("/api/v1/namespaces/shop")).toBe("namespaces");
    expect(resourceOf("/version")).toBe("");
  });

  it("counts, snapshots, resets and reports to its hooks", () => {
    const verbs: string[] = [];
    const errors: string[] = [];
    const counter = new RequestCounter({ onRequest: (v) => verbs.push(v), onError: (c) => errors.push(c) });
    counter.count("GET", "/api/v1/pods");
    counter.count("GET", "/api/v1/pods?watch=true&resourceVersion=5");
    counter.count("GET", "/api/v1/pods?watch=true&resourceVersion=9");
    counter.error(410);
    expect(counter.total()).toBe(3);
    expect(counter.snapshot()).toEqual({ "list pods": 1, "watch pods": 2 });
    expect(verbs).toEqual(["list", "watch", "watch"]);
    expect(errors).toEqual(["410"]);
    counter.reset();
    expect(counter.total()).toBe(0);
    expect(counter.snapshot()).toEqual({});
  });
});
