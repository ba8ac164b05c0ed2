import type { V1Container, V1ContainerState, V1ContainerStatus, V1EnvVar, V1EnvFromSource, V1Pod } from "@kubernetes/client-node";
import { looksSecretName, redact, redactValue } from "./redact.js";
import type { ContainerFacts, Evidence } from "./types.js";

/**
 * The pod's own evidence: its containers (init included) as facts, the pod
 * with secrets removed, and the spec/status evidence items. Env values are
 * shown only for names that do not look secret; valueFrom appears as the
 * reference it is (`secretKeyRef db-creds/password`), never as a value.
 */

export interface PodFacts {
  pod: V1Pod;
  containers: ContainerFacts[];
  evidence: Evidence[];
  redactions: number;
}

const HIDDEN = "[REDACTED:secret]";

/** `secretKeyRef db-creds/password`, `configMapKeyRef app-config/LOG_LEVEL`, `fieldRef status.podIP`. */
export function describeValueFrom(v: V1EnvVar["valueFrom"]): string {
  if (!v) return "";
  if (v.secretKeyRef) return `secretKeyRef ${v.secretKeyRef.name ?? ""}/${v.secretKeyRef.key}${v.secretKeyRef.optional ? " (optional)" : ""}`;
  if (v.configMapKeyRef) return `configMapKeyRef ${v.configMapKeyRef.name ?? ""}/${v.configMapKeyRef.key}${v.configMapKeyRef.optional ? " (optional)" : ""}`;
  if (v.fieldRef) return `fieldRef ${v.fieldRef.fieldPath}`;
  if (v.resourceFieldRef) return `resourceFieldRef ${v.resourceFieldRef.resource}`;
  return "valueFrom";
}

export function describeEnvFrom(e: V1EnvFromSource): string {
  const prefix = e.prefix ? ` (prefix ${e.prefix})` : "";
  if (e.configMapRef) return `configMapRef ${e.configMapRef.name ?? ""}${e.configMapRef.optional ? " (optional)" : ""}${prefix}`;
  if (e.secretRef) return `secretRef ${e.secretRef.name ?? ""}${e.secretRef.optional ? " (optional)" : ""}${prefix}`;
  return `envFrom${prefix}`;
}

/** One env var as evidence: value when safe (and redacted), otherwise hidden; references described. */
export function envEntry(e: V1EnvVar, counter: { n: number }): ContainerFacts["env"][number] {
  if (e.valueFrom) return { name: e.name, from: describeValueFrom(e.valueFrom) };
  if (e.value === undefined) return { name: e.name };
  if (looksSecretName(e.name) && e.value !== "") {
    counter.n++;
    return { name: e.name, value: HIDDEN };
  }
  const r = redact(e.value);
  counter.n += r.count;
  return { name: e.name, value: r.text };
}

function stateOf(s: V1ContainerState | undefined): ContainerFacts["state"] {
  if (s?.waiting) return { kind: "waiting", reason: s.waiting.reason, message: s.waiting.message };
  if (s?.running) return { kind: "running", startedAt: iso(s.running.startedAt) };
  if (s?.terminated) return { kind: "terminated", ...terminated(s.terminated) };
  return { kind: "unknown" };
}

function terminated(t: NonNullable<V1ContainerState["terminated"]>): NonNullable<ContainerFacts["lastTerminated"]> {
  return { reason: t.reason, message: t.message, exitCode: t.exitCode, signal: t.signal, startedAt: iso(t.startedAt), finishedAt: iso(t.finishedAt) };
}

function iso(d: Date | string | undefined): string | undefined {
  if (d === undefined || d === null) return undefined;
  return d instanceof Date ? d.toISOString() : String(d);
}

function containerFacts(c: V1Container, status: V1ContainerStatus | undefined, init: boolean, counter: { n: number }): ContainerFacts {
  const sc = c.securityContext ? redactValue(c.securityContext) : undefined;
  const last = status?.lastState?.terminated;
  const redactMsg = (f: ContainerFacts["state"]): ContainerFacts["state"] => (f.message ? { ...f, message: countRedact(f.message, counter) } : f);
  return {
    name: c.name,
    init,
    image: c.image ?? "",
    command: c.command?.map((a) => countRedact(a, counter)),
    args: c.args?.map((a) => countRedact(a, counter)),
    env: (c.env ?? []).map((e) => envEntry(e, counter)),
    envFrom: (c.envFrom ?? []).map(describeEnvFrom),
    resources: { limits: c.resources?.limits, requests: c.resources?.requests },
    probes: { liveness: c.livenessProbe, readiness: c.readinessProbe, startup: c.startupProbe },
    ports: (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
    volumeMounts: (c.volumeMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })),
    securityContext: sc?.value,
    ready: status?.ready ?? false,
    restartCount: status?.restartCount ?? 0,
    state: redactMsg(stateOf(status?.state)),
    ...(last ? { lastTerminated: { ...terminated(last), message: last.message ? countRedact(last.message, counter) : undefined } } : {}),
  };
}

function countRedact(s: string, counter: { n: number }): string {
  const r = redact(s);
  counter.n += r.count;
  return r.text;
}

/** The pod with env values of secret-looking names hidden and every string redacted. */
export function sanitizePod(pod: V1Pod): { pod: V1Pod; count: number } {
  const { managedFields: _m, ...metadata } = pod.metadata ?? {};
  const r = redactValue({ ...pod, metadata });
  return { pod: r.value, count: r.count };
}

function statusText(pod: V1Pod, containers: ContainerFacts[]): string {
  const s = pod.status ?? {};
  const lines = [`phase: ${s.phase ?? "Unknown"}${s.reason ? ` reason: ${s.reason}` : ""}${s.message ? ` message: ${s.message}` : ""}`];
  for (const c of s.conditions ?? []) lines.push(`condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`);
  for (const c of containers) {
    const st = c.state;
    const state = `${st.kind}${st.reason ? ` ${st.reason}` : ""}${st.exitCode !== undefined ? ` exitCode=${st.exitCode}` : ""}${st.message ? `: ${st.message}` : ""}`;
    const last = c.lastTerminated ? `; last terminated ${c.lastTerminated.reason ?? ""} exitCode=${c.lastTerminated.exitCode}${c.lastTerminated.finishedAt ? ` at ${c.lastTerminated.finishedAt}` : ""}` : "";
    lines.push(`${c.init ? "init " : ""}container ${c.name}: ${state}; ready=${c.ready} restarts=${c.restartCount}${last}`);
  }
  return lines.join("\n");
}

function specText(pod: V1Pod, containers: ContainerFacts[]): string {
  const spec = pod.spec;
  const lines = [`node: ${spec?.nodeName ?? "(not scheduled)"}; serviceAccount: ${spec?.serviceAccountName ?? "default"}`];
  for (const c of containers) {
    lines.push(`${c.init ? "init " : ""}container ${c.name}: image ${c.image}`);
    if (c.command) lines.push(`  command: ${JSON.stringify(c.command)}`);
    if (c.args) lines.push(`  args: ${JSON.stringify(c.args)}`);
    for (const e of c.env) lines.push(`  env ${e.name}${e.value !== undefined ? `=${e.value}` : ""}${e.from ? ` from ${e.from}` : ""}`);
    for (const e of c.envFrom) lines.push(`  envFrom ${e}`);
    if (c.resources.limits || c.resources.requests) lines.push(`  resources: ${JSON.stringify(c.resources)}`);
    for (const [kind, p] of Object.entries(c.probes)) if (p) lines.push(`  ${kind} probe: ${JSON.stringify(p)}`);
  }
  return lines.join("\n");
}

/** Facts and evidence of one pod. */
export function podFacts(raw: V1Pod): PodFacts {
  const counter = { n: 0 };
  const statuses = new Map<string, V1ContainerStatus>();
  for (const s of [...(raw.status?.initContainerStatuses ?? []), ...(raw.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
  const containers = [
    ...(raw.spec?.initContainers ?? []).map((c) => containerFacts(c, statuses.get(c.name), true, counter)),
    ...(raw.spec?.containers ?? []).map((c) => containerFacts(c, statuses.get(c.name), false, counter)),
  ];
  const sanitized = sanitizePod(raw);
  const ns = raw.metadata?.namespace ?? "";
  const name = raw.metadata?.name ?? "";
  const evidence: Evidence[] = [
    { id: `pod/${ns}/${name}/status`, source: "PodStatus", title: `status of pod ${ns}/${name}`, text: statusText(sanitized.pod, containers) },
    { id: `pod/${ns}/${name}/spec`, source: "PodSpec", title: `spec of pod ${ns}/${name}`, text: specText(sanitized.pod, containers) },
  ];
  return { pod: sanitized.pod, containers, evidence, redactions: Math.max(counter.n, sanitized.count) };
}
