import type { V1Container, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { KubeObject } from "../api/snapshot.js";
import { describeEnvFrom, describeValueFrom } from "./collect-pod.js";
import { looksSecretName, redact } from "./redact.js";
import type { Evidence, OwnerRef, RolloutChange, RolloutDiff } from "./types.js";
import type { ClusterView } from "./view.js";

/**
 * What the last rollout changed: the current ReplicaSet's pod template against
 * the previous revision's (by deployment.kubernetes.io/revision), or for a
 * StatefulSet/DaemonSet the two newest ControllerRevisions. Compared: image,
 * command, args, env and envFrom, resources, probes, volume mounts, volumes,
 * and a few pod-level fields. Env values of secret-looking names never appear.
 */

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

interface Revision {
  revision: string;
  template: V1PodTemplateSpec;
}

function ownedBy(o: KubeObject, uid: string | undefined, name: string): boolean {
  const refs = (o.metadata as { ownerReferences?: { uid?: string; name: string }[] }).ownerReferences ?? [];
  return refs.some((r) => (uid && r.uid ? r.uid === uid : r.name === name));
}

function annotation(o: KubeObject, key: string): string | undefined {
  return (o.metadata as { annotations?: Record<string, string> }).annotations?.[key];
}

async function deploymentRevisions(view: ClusterView, ns: string, deployment: KubeObject): Promise<Revision[]> {
  const sets = await view.list("ReplicaSet", ns);
  return sets
    .filter((rs) => ownedBy(rs, (deployment.metadata as { uid?: string }).uid, deployment.metadata.name))
    .flatMap((rs) => {
      const revision = annotation(rs, REVISION_ANNOTATION);
      const template = (rs as { spec?: { template?: V1PodTemplateSpec } }).spec?.template;
      return revision && template ? [{ revision, template }] : [];
    });
}

async function controllerRevisions(view: ClusterView, ns: string, owner: KubeObject): Promise<Revision[]> {
  const revs = await view.list("ControllerRevision", ns);
  return revs
    .filter((r) => ownedBy(r, (owner.metadata as { uid?: string }).uid, owner.metadata.name))
    .flatMap((r) => {
      const data = (r as { data?: { spec?: { template?: V1PodTemplateSpec } } }).data;
      const revision = (r as { revision?: number }).revision;
      const template = data?.spec?.template;
      return revision !== undefined && template ? [{ revision: String(revision), template }] : [];
    });
}

const show = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));

function envMap(c: V1Container | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of c?.env ?? []) m.set(e.name, e.valueFrom ? `from ${describeValueFrom(e.valueFrom)}` : (e.value ?? ""));
  return m;
}

/** A changed env var; a secret-looking one says that it changed, never what to. */
function pushEnv(out: RolloutChange[], path: string, name: string, [before, after]: [string | undefined, string | undefined]): void {
  if (before === after) return;
  const hide = (v: string | undefined): string | undefined => (v === undefined || v.startsWith("from ") || !looksSecretName(name) ? v : "[REDACTED:secret]");
  const b = hide(before);
  const a = hide(after);
  push(out, path, b, a === b && a !== undefined ? `${a} (changed)` : a);
}

function push(out: RolloutChange[], path: string, before: unknown, after: unknown): void {
  const b = show(before);
  const a = show(after);
  if (b !== a) out.push({ path, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
}

function diffEnv(out: RolloutChange[], p: string, before: V1Container, after: V1Container): void {
  const [eb, ea] = [envMap(before), envMap(after)];
  for (const name of new Set([...eb.keys(), ...ea.keys()])) pushEnv(out, `${p}.env[${name}]`, name, [eb.get(name), ea.get(name)]);
  push(out, `${p}.envFrom`, before.envFrom?.map(describeEnvFrom), after.envFrom?.map(describeEnvFrom));
}

function diffResources(out: RolloutChange[], p: string, before: V1Container, after: V1Container): void {
  for (const kind of ["limits", "requests"] as const) {
    const rb = before.resources?.[kind] ?? {};
    const ra = after.resources?.[kind] ?? {};
    for (const r of new Set([...Object.keys(rb), ...Object.keys(ra)])) push(out, `${p}.resources.${kind}.${r}`, rb[r], ra[r]);
  }
}

const CONTAINER_FIELDS = ["image", "command", "args", "livenessProbe", "readinessProbe", "startupProbe", "ports", "volumeMounts", "securityContext"] as const;

function diffContainer(out: RolloutChange[], prefix: string, before: V1Container | undefined, after: V1Container | undefined): void {
  const p = `${prefix}[${after?.name ?? before?.name}]`;
  if (!before || !after) return push(out, p, before ? "present" : undefined, after ? "present" : undefined);
  push(out, `${p}.image`, before.image, after.image);
  push(out, `${p}.command`, before.command, after.command);
  push(out, `${p}.args`, before.args, after.args);
  diffEnv(out, p, before, after);
  diffResources(out, p, before, after);
  for (const f of CONTAINER_FIELDS.slice(3)) push(out, `${p}.${f}`, before[f], after[f]);
}

function diffContainers(out: RolloutChange[], prefix: string, before: V1Container[] = [], after: V1Container[] = []): void {
  const names = new Set([...before.map((c) => c.name), ...after.map((c) => c.name)]);
  for (const name of names) diffContainer(out, prefix, before.find((c) => c.name === name), after.find((c) => c.name === name));
}

/** Changes from one pod template to another, secret-safe and redacted. */
function diffVolumes(out: RolloutChange[], before: V1PodTemplateSpec, after: V1PodTemplateSpec): void {
  const vb = new Map((before.spec?.volumes ?? []).map((v) => [v.name, v]));
  const va = new Map((after.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const name of new Set([...vb.keys(), ...va.keys()])) push(out, `volumes[${name}]`, vb.get(name), va.get(name));
}

const POD_FIELDS = ["serviceAccountName", "nodeSelector", "affinity", "tolerations", "securityContext", "imagePullSecrets"] as const;

function redactChange(c: RolloutChange): RolloutChange {
  return { ...c, ...(c.before !== undefined ? { before: redact(c.before).text } : {}), ...(c.after !== undefined ? { after: redact(c.after).text } : {}) };
}

/** Changes from one pod template to another, secret-safe and redacted. */
export function diffTemplates(before: V1PodTemplateSpec, after: V1PodTemplateSpec): RolloutChange[] {
  const out: RolloutChange[] = [];
  diffContainers(out, "initContainers", before.spec?.initContainers, after.spec?.initContainers);
  diffContainers(out, "containers", before.spec?.containers, after.spec?.containers);
  diffVolumes(out, before, after);
  for (const f of POD_FIELDS) push(out, f, before.spec?.[f], after.spec?.[f]);
  return out.map(redactChange);
}

const byRevision = (a: Revision, b: Revision): number => Number(a.revision) - Number(b.revision);

/** Current vs previous revision of the pod's workload, or undefined when there is only one revision. */
export async function rolloutDiff(view: ClusterView, ns: string, workload: OwnerRef, object: KubeObject): Promise<{ diff: RolloutDiff; evidence: Evidence } | undefined> {
  const revisions = workload.kind === "Deployment" ? await deploymentRevisions(view, ns, object) : await controllerRevisions(view, ns, object);
  revisions.sort(byRevision);
  const currentRevision = workload.kind === "Deployment" ? annotation(object, REVISION_ANNOTATION) : undefined;
  const idx = currentRevision ? revisions.findIndex((r) => r.revision === currentRevision) : revisions.length - 1;
  const current = revisions[idx < 0 ? revisions.length - 1 : idx];
  const previous = current ? revisions.filter((r) => Number(r.revision) < Number(current.revision)).at(-1) : undefined;
  if (!current || !previous) return undefined;
  const changes = diffTemplates(previous.template, current.template);
  const diff: RolloutDiff = {
    evidenceId: `rollout/${workload.name}/rev${previous.revision}-rev${current.revision}`,
    workload,
    fromRevision: previous.revision,
    toRevision: current.revision,
    changes,
  };
  const lines = changes.map((c) => `${c.path}: ${c.before ?? "(none)"} → ${c.after ?? "(none)"}`);
  const text = `${workload.kind} ${ns}/${workload.name} revision ${previous.revision} → ${current.revision}\n${lines.join("\n") || "(pod template unchanged)"}`;
  return { diff, evidence: { id: diff.evidenceId, source: "Rollout", title: `rollout of ${workload.kind} ${ns}/${workload.name}`, text } };
}
