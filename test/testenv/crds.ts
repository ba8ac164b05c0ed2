// Applies the CRD YAML of crds/ to a cluster and waits until every CRD is Established.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "node:https";
import { ApiextensionsV1Api, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

export function readManifests(dir: string): KubernetesObject[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), "utf8"))
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((obj): obj is KubernetesObject => obj !== null && typeof obj === "object" && "kind" in obj),
  );
}

export interface RawClient {
  server: string;
  caPem: string;
  token: string;
}

/**
 * Server-side applies each CRD as raw JSON. (client-node's typed serializer would drop
 * `enum`, `default` and the `x-kubernetes-*` keys of the schemas, since its model
 * names them `_enum`, `_default`, `xKubernetes...`.) Returns the CRD names.
 */
export async function applyManifests(client: RawClient, objects: KubernetesObject[]): Promise<string[]> {
  const names: string[] = [];
  for (const obj of objects) {
    const name = obj.metadata?.name ?? "";
    if (obj.kind !== "CustomResourceDefinition" || !name) {
      throw new Error(`crds/ may hold only CustomResourceDefinitions; found ${obj.kind} ${name}`);
    }
    await serverSideApply(client, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, obj);
    names.push(name);
  }
  return names;
}

function serverSideApply(client: RawClient, path: string, obj: KubernetesObject): Promise<void> {
  const body = JSON.stringify(obj);
  const url = new URL(`${path}?fieldManager=testenv&force=true`, client.server);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "PATCH",
      ca: client.caPem,
      headers: { authorization: `Bearer ${client.token}`, "content-type": "application/apply-patch+yaml", "content-length": Buffer.byteLength(body) },
    }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        if ((res.statusCode ?? 500) < 300) resolve();
        else reject(new Error(`could not apply ${obj.kind} ${obj.metadata?.name}: ${res.statusCode} ${text.slice(0, 1000)}`));
      });
    });
    req.on("error", (cause) => reject(new Error(`could not apply ${obj.kind} ${obj.metadata?.name}`, { cause })));
    req.end(body);
  });
}

export async function waitForCrdsEstablished(kc: KubeConfig, names: string[], timeoutMs = 60_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} did not become Established within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}

/** Applies every YAML file in dir (if any) and waits for the CRDs among them. Returns the CRD names. */
export async function applyCrdDir(kc: KubeConfig, client: RawClient, dir: string): Promise<string[]> {
  const names = await applyManifests(client, readManifests(dir));
  await waitForCrdsEstablished(kc, names);
  return names;
}
