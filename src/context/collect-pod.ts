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

type SpecFacts = Pick<ContainerFacts, "name" | "init" | "image" | "command" | "args" | "env" | "envFrom" | "resources" | "probes" | "ports" | "volumeMounts" | "securityContext">;
type StatusFacts = Pick<ContainerFacts, "ready" | "restartCount" | "state" | "lastTerminated">;

function specFacts(c: V1Container, init: boolean, counter: { n: number }): SpecFacts {
  const r = (a: string): string => countRedact(a, counter);
  return {
    name: c.name,
    init,
    image: c.image ?? "",
    command: c.command?.map(r),
    args: c.args?.map(r),
    env: (c.env ?? []).map((e) => envEntry(e, counter)),
    envFrom: (c.envFrom ?? []).map(describeEnvFrom),
    resources: { limits: c.resources?.limits, requests: c.resources?.requests },
    probes: { liveness: c.livenessProbe, readiness: c.readinessProbe, startup: c.startupProbe },
    ports: (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
    volumeMounts: (c.volumeMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })),
    securityContext: c.securityContext ? redactValue(c.securityContext).value : undefined,
  };
}

function withMessage<T extends { message?: string }>(f: T, counter: { n: number }): T {
  return f.message ? { ...f, message: countRedact(f.message, counter) } : f;
}

function statusFacts(status: V1ContainerStatus | undefined, counter: { n: number }): StatusFacts {
  const last = status?.lastState?.terminated;
  return {
    ready: status?.ready ?? false,
    restartCount: status?.restartCount ?? 0,
    state: withMessage(stateOf(status?.state), counter),
    ...(last ? { lastTerminated: withMessage(terminated(last), counter) } : {}),
  };
}

function containerFacts(c: V1Container, status: V1ContainerStatus | undefined, init: boolean, counter: { n: number }): ContainerFacts {
  return { ...specFacts(c, init, counter), ...statusFacts(status, counter) };
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

const cond = (c: { type: string; status: string; reason?: string; message?: string }): string =>
  `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`;

function stateLine(st: ContainerFacts["state"]): string {
  const exit = st.exitCode !== undefined ? ` exitCode=${st.exitCode}` : "";
  return `${st.kind}${st.reason ? ` ${st.reason}` : ""}${exit}${st.message ? `: ${st.message}` : ""}`;
}

function lastLine(t: ContainerFacts["lastTerminated"]): string {
  if (!t) return "";
  return `; last terminated ${t.reason ?? ""} exitCode=${t.exitCode}${t.finishedAt ? ` at ${t.finishedAt}` : ""}`;
}

function statusText(pod: V1Pod, containers: ContainerFacts[]): string {
  const s = pod.status ?? {};
  const lines = [`phase: ${s.phase ?? "Unknown"}${s.reason ? ` reason: ${s.reason}` : ""}${s.message ? ` message: ${s.message}` : ""}`];
  for (const c of s.conditions ?? []) lines.push(cond(c));
  for (const c of containers) lines.push(`${c.init ? "init " : ""}container ${c.name}: ${stateLine(c.state)}; ready=${c.ready} restarts=${c.restartCount}${lastLine(c.lastTerminated)}`);
  return lines.join("\n");
}

function containerSpecLines(c: ContainerFacts): string[] {
  const lines = [`${c.init ? "init " : ""}container ${c.name}: image ${c.image}`];
  if (c.command) lines.push(`  command: ${JSON.stringify(c.command)}`);
  if (c.args) lines.push(`  args: ${JSON.stringify(c.args)}`);
  for (const e of c.env) lines.push(`  env ${e.name}${e.value !== undefined ? `=${e.value}` : ""}${e.from ? ` from ${e.from}` : ""}`);
  for (const e of c.envFrom) lines.push(`  envFrom ${e}`);
  if (c.resources.limits || c.resources.requests) lines.push(`  resources: ${JSON.stringify(c.resources)}`);
  for (const [kind, p] of Object.entries(c.probes)) if (p) lines.push(`  ${kind} probe: ${JSON.stringify(p)}`);
  return lines;
}

function specText(pod: V1Pod, containers: ContainerFacts[]): string {
  const spec = pod.spec;
  const head = `node: ${spec?.nodeName ?? "(not scheduled)"}; serviceAccount: ${spec?.serviceAccountName ?? "default"}`;
  return [head, ...containers.flatMap(containerSpecLines)].join("\n");
}

function statusesByName(pod: V1Pod): Map<string, V1ContainerStatus> {
  const statuses = new Map<string, V1ContainerStatus>();
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
  return statuses;
}

/** Facts and evidence of one pod. */
export function podFacts(raw: V1Pod): PodFacts {
  const counter = { n: 0 };
  const statuses = statusesByName(raw);
  const containers = [
    ...(raw.spec?.initContainers ?? []).map((c) => containerFacts(c, statuses.get(c.name), true, counter)),
    ...(raw.spec?.containers ?? []).map((c) => containerFacts(c, statuses.get(c.name), false, counter)),
  ];
  const sanitized = sanitizePod(raw);
  const { namespace: ns = "", name = "" } = raw.metadata ?? {};
  const evidence: Evidence[] = [
    { id: `pod/${ns}/${name}/status`, source: "PodStatus", title: `status of pod ${ns}/${name}`, text: statusText(sanitized.pod, containers) },
    { id: `pod/${ns}/${name}/spec`, source: "PodSpec", title: `spec of pod ${ns}/${name}`, text: specText(sanitized.pod, containers) },
  ];
  return { pod: sanitized.pod, containers, evidence, redactions: Math.max(counter.n, sanitized.count) };
}
