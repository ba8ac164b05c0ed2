// Applies the CRD YAML of crds/ to a cluster and waits until every CRD is Established.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiextensionsV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
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

/** Creates or replaces each object. Returns the names of the CRDs among them. */
export async function applyManifests(kc: KubeConfig, objects: KubernetesObject[]): Promise<string[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const crds: string[] = [];
  for (const obj of objects) {
    await createOrReplace(api, obj);
    if (obj.kind === "CustomResourceDefinition" && obj.metadata?.name) crds.push(obj.metadata.name);
  }
  return crds;
}

async function createOrReplace(api: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  try {
    await api.create(obj);
  } catch (err) {
    if ((err as { code?: number }).code !== 409) {
      throw new Error(`could not create ${obj.kind} ${obj.metadata?.name ?? "?"}`, { cause: err });
    }
    const current = await api.read({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata?.name ?? "", namespace: obj.metadata?.namespace } });
    await api.replace({ ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata?.resourceVersion } });
  }
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
export async function applyCrdDir(kc: KubeConfig, dir: string): Promise<string[]> {
  const names = await applyManifests(kc, readManifests(dir));
  await waitForCrdsEstablished(kc, names);
  return names;
}
