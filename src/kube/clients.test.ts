import { KubeConfig, RequestContext, HttpMethod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { countingMiddleware, createKubeClients, RequestCounter, SharedDispatcher } from "./clients.js";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;
const fakeDispatcher = (id: string): Dispatcher & { closed: boolean } => {
  const d = { id, closed: false, close: async () => void (d.closed = true) };
  return d as unknown as Dispatcher & { closed: boolean };
};

describe("kube clients", () => {
  it("counts requests through the middleware and reuses one dispatcher until it is old", async () => {
    let now = 0;
    const counter = new RequestCounter();
    const shared = new SharedDispatcher(1000, () => now);
    const mw = countingMiddleware(counter, shared);
    const first = fakeDispatcher("first");
    const ctx1 = new RequestContext("https://k8s:6443/api/v1/namespaces/shop/pods/web-1", HttpMethod.GET);
    ctx1.setDispatcher(first);
    await mw.pre(ctx1);
    const ctx2 = new RequestContext("https://k8s:6443/api/v1/namespaces/shop/pods", HttpMethod.POST);
    ctx2.setDispatcher(fakeDispatcher("second"));
    await mw.pre(ctx2);
    expect(ctx2.getDispatcher()).toBe(first);
    now = 2000;
    const third = fakeDispatcher("third");
    const ctx3 = new RequestContext("https://k8s:6443/api/v1/namespaces/shop/pods/web-1", HttpMethod.DELETE);
    ctx3.setDispatcher(third);
    await mw.pre(ctx3);
    expect(ctx3.getDispatcher()).toBe(third);
    await new Promise((r) => setImmediate(r));
    expect(first.closed).toBe(true);
    expect(counter.snapshot()).toEqual({ "get pods": 1, "create pods": 1, "delete pods": 1 });
    expect(ctx1.getHeaders()["User-Agent"]).toBe("production-fixer");
  });

  it("refuses a kubeconfig without a current cluster", () => {
    expect(() => createKubeClients(new KubeConfig())).toThrow("no current cluster");
  });
});
