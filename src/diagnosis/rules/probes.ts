import type { ContainerFacts, EventFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis } from "./build.js";
import { findInLogs } from "./logs.js";
import { exitCodeOf, failingContainer, kubectl, podEvidence, workloadRef } from "./subject.js";

type ProbeKind = "liveness" | "readiness" | "startup";

interface ProbeSpec {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

type Failure = "refused" | "not-found" | "server-error" | "timeout" | "exec-failed" | "other";

const FAILURES: [Failure, RegExp][] = [
  ["refused", /connection refused/],
  ["not-found", /statuscode: 404/],
  ["server-error", /statuscode: 5\d\d/],
  ["timeout", /context deadline exceeded|Client\.Timeout|timed out|timeout/i],
  ["exec-failed", /command .* exited with|OCI runtime exec failed/],
];

function probeEvents(ctx: InvestigationContext, c: ContainerFacts): EventFacts[] {
  return ctx.events.filter((e) => e.reason === "Unhealthy" && /probe (failed|errored)/i.test(e.message) && (!e.involved.fieldPath || e.involved.fieldPath.includes(`{${c.name}}`)));
}

function killedByLiveness(ctx: InvestigationContext, c: ContainerFacts): EventFacts | undefined {
  return ctx.events.find((e) => e.reason === "Killing" && new RegExp(`Container ${c.name} failed (liveness|startup) probe`).test(e.message));
}

function portOf(p: ProbeSpec): number | string | undefined {
  return p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
}

function declared(c: ContainerFacts, port: number | string | undefined): boolean | undefined {
  if (port === undefined || c.ports.length === 0) return undefined;
  return c.ports.some((p) => p.containerPort === Number(port) || p.name === port);
}

interface Verdict {
  title: string;
  cause: string;
  fix: string;
  patch?: string;
}

function listening(ctx: InvestigationContext, c: ContainerFacts): string | undefined {
  const hit = findInLogs(ctx, c.name, /(?:listening|serving|started|bound|running) (?:on|at) (?:(?:https?:\/\/)?(?:[\w.-]+|\[::\]))?:?(\d{2,5})\b/i);
  return hit?.match[1];
}

interface ProbeCase {
  c: ContainerFacts;
  kind: ProbeKind;
  failure: Failure;
  spec: ProbeSpec;
  /** Port the app says it listens on, from its logs. */
  live?: string;
}

function isWrongPort(p: ProbeCase): boolean {
  if (p.failure !== "refused") return false;
  const port = portOf(p.spec);
  if (declared(p.c, port) === false) return true;
  return p.live !== undefined && port !== undefined && String(port) !== p.live && !Number.isNaN(Number(port));
}

function wrongPort(p: ProbeCase): Verdict {
  const actual = p.live ?? p.c.ports.map((x) => x.containerPort).join(", ");
  const field = p.spec.httpGet ? "httpGet" : "tcpSocket";
  return {
    title: `Point the ${p.kind} probe at port ${actual}`,
    cause: `the ${p.kind} probe checks port ${portOf(p.spec)}, but container ${p.c.name} listens on ${actual}: connection refused is the probe hitting the wrong port, not the app failing`,
    fix: "port",
    patch: JSON.stringify([{ op: "replace", path: `/spec/template/spec/containers/0/${p.kind}Probe/${field}/port`, value: Number(actual.split(",")[0]) || actual }]),
  };
}

const VERDICTS: Record<Failure, (p: ProbeCase) => Verdict> = {
  "not-found": (p) => {
    const path = p.spec.httpGet?.path ?? "/";
    return { title: `Fix the ${p.kind} probe path ${path}`, cause: `the ${p.kind} probe requests ${path} on port ${portOf(p.spec)}, which returns 404: the path is wrong (the app does not serve ${path})`, fix: "path" };
  },
  timeout: (p) => {
    const timeout = p.spec.timeoutSeconds ?? 1;
    return {
      title: `Relax the ${p.kind} probe timeout (${timeout}s)`,
      cause: `the ${p.kind} probe times out after ${timeout}s (timeoutSeconds ${timeout}, periodSeconds ${p.spec.periodSeconds ?? 10}, failureThreshold ${p.spec.failureThreshold ?? 3}): the probe is too strict for the app's response time under load`,
      fix: "timeout",
      patch: `{"spec":{"template":{"spec":{"containers":[{"name":"${p.c.name}","${p.kind}Probe":{"timeoutSeconds":5,"failureThreshold":6}}]}}}}`,
    };
  },
  refused: (p) => {
    const port = portOf(p.spec) ?? 8080;
    return {
      title: `Give ${p.c.name} time to start before the ${p.kind} probe counts (startupProbe or a longer initialDelaySeconds)`,
      cause: `the ${p.kind} probe on port ${port} is refused while the app is still starting (initialDelaySeconds ${p.spec.initialDelaySeconds ?? 0}): the probe is too strict for the startup time, and the kubelet kills the container before it listens`,
      fix: "startup",
      patch: `{"spec":{"template":{"spec":{"containers":[{"name":"${p.c.name}","startupProbe":{"httpGet":{"path":"${p.spec.httpGet?.path ?? "/"}","port":${JSON.stringify(port)}},"periodSeconds":5,"failureThreshold":30}}]}}}}`,
    };
  },
  "server-error": (p) => ({ title: `Make ${p.spec.httpGet?.path ?? "/"} report only the process's own health`, cause: `the ${p.kind} probe ${p.spec.httpGet?.path ?? "/"} returns a 5xx status: the health endpoint reports failure (often because it checks a downstream dependency)`, fix: "endpoint" }),
  "exec-failed": (p) => ({ title: `Fix the ${p.kind} probe command`, cause: `the ${p.kind} probe's command fails`, fix: "probe" }),
  other: (p) => ({ title: `Fix the ${p.kind} probe`, cause: `the ${p.kind} probe fails`, fix: "probe" }),
};

function verdict(p: ProbeCase): Verdict {
  return isWrongPort(p) ? wrongPort(p) : VERDICTS[p.failure](p);
}

function probeCase(ctx: InvestigationContext, c: ContainerFacts, first: EventFacts): ProbeCase {
  const kind = (/^(\w+) probe/.exec(first.message)?.[1]?.toLowerCase() ?? "liveness") as ProbeKind;
  const failure = FAILURES.find(([, re]) => re.test(first.message))?.[0] ?? "other";
  const spec = ((c.probes as Record<string, unknown>)[kind] ?? {}) as ProbeSpec;
  return { c, kind, failure, spec, live: listening(ctx, c) };
}

function confidenceOf(p: ProbeCase, killed: boolean, code: number | undefined): number {
  const base = killed ? 0.9 : p.kind === "readiness" ? 0.72 : 0.78;
  const killedCode = code === 137 || code === 143 || code === undefined;
  const vague = p.failure === "server-error" || p.failure === "other" ? 0.2 : 0;
  return (killedCode ? base : base - 0.35) - vague;
}

function label(p: ProbeCase, v: Verdict): string {
  if (p.failure === "not-found") return "404, wrong path";
  if (v.fix === "port") return "wrong port";
  return p.failure === "timeout" ? "timeout, too strict" : p.failure;
}

function signalNote(code: number | undefined): string {
  if (code === 137) return " It exits 137 (SIGKILL after the grace period), not OOMKilled.";
  return code === 143 ? " It exits 143 (SIGTERM from the kubelet)." : "";
}

function patchCommand(ctx: InvestigationContext, ref: string, patch: string | undefined): string {
  return patch?.startsWith("[") ? `${kubectl(ctx)} patch ${ref} --type json -p '${patch}'` : `${kubectl(ctx)} patch ${ref} -p '${patch ?? "{}"}'`;
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  const events = c ? probeEvents(ctx, c) : [];
  if (!c || events.length === 0) return undefined;
  const first = events.find((e) => /^Liveness|^Startup/.test(e.message)) ?? events[0]!;
  const p = probeCase(ctx, c, first);
  const kill = killedByLiveness(ctx, c);
  const code = exitCodeOf(c);
  const v = verdict(p);
  const w = workloadRef(ctx);
  return diagnosis(ctx, {
    rule: `probe-${p.failure}`,
    category: "ProbeFailure",
    summary: `${cap(p.kind)} probe of ${c.name} fails (${label(p, v)}): ${v.title}`,
    rootCause: `${cap(v.cause)}.${kill ? ` The kubelet restarts the container for it (${kill.message}).` : ""}${signalNote(code)}`,
    confidence: confidenceOf(p, kill !== undefined, code),
    cites: [...events.slice(0, 3).map((e) => ({ id: e.evidenceId, excerpt: e.message })), { id: kill?.evidenceId, excerpt: kill?.message }, ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))],
    test: `${kubectl(ctx)} port-forward pod/${ctx.target.pod ?? "POD"} ${portOf(p.spec) ?? 8080}, then curl -m ${p.spec.timeoutSeconds ?? 1} the probe's URL; compare with the port/path the app logs at startup`,
    remediation: [{ title: v.title, stage: "Fix", commands: [patchCommand(ctx, w.ref, v.patch)], patch: v.patch, risk: "Low", rollback: w.rollable ? [`${kubectl(ctx)} rollout undo ${w.ref}`] : undefined }],
    prevention: ["Derive probe ports from named container ports (port: http) so they cannot drift.", "Use a startupProbe for slow starters and keep liveness checks cheap and local."],
  });
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const probeRules: TriageRule[] = [{ name: "probe-failure", match }];
