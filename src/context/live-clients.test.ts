import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveView } from "./live-view.js";

/** An apiserver stand-in that answers every GET with an empty object or list and records the paths. */
let server: Server;
const paths: string[] = [];
let kubeConfig: KubeConfig;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    paths.push(url.pathname);
    const parts = url.pathname.split("/").filter(Boolean);
    const isList = parts.at(-1) === "replicasets" || parts.at(-1) === "networkpolicies";
    const body = isList ? { kind: "List", apiVersion: "v1", metadata: {}, items: [] } : { kind: "Deployment", apiVersion: "apps/v1", metadata: { name: parts.at(-1), namespace: "shop" } };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  kubeConfig = new KubeConfig();
  const server_ = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kubeConfig.loadFromOptions({ clusters: [{ name: "c", server: server_, skipTLSVerify: true }], users: [{ name: "u" }], contexts: [{ name: "x", cluster: "c", user: "u" }], currentContext: "x" });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("LiveView's clients", () => {
  it("build object paths from the known kinds, without API discovery, for every view of the KubeConfig", async () => {
    const view = new LiveView({ kubeConfig });
    await view.get("Deployment", "shop", "web");
    await view.fresh().list("ReplicaSet", "shop");
    await new LiveView({ kubeConfig }).list("NetworkPolicy", "shop");
    expect(paths).toEqual(["/apis/apps/v1/namespaces/shop/deployments/web", "/apis/apps/v1/namespaces/shop/replicasets", "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies"]);
  });
});
