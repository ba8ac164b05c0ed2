import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty, type Cite } from "./build.js";
import { findDependencySignal, type DependencyProblem } from "./dependency-signals.js";
import { excerptOf } from "./logs.js";
import { failingContainer, kubectl } from "./subject.js";

const EXPLAIN: Record<DependencyProblem, (host: string) => string> = {
  refused: (h) => `connections to ${h} are refused: nothing listens there (the dependency is down, not ready, or its Service has no endpoints)`,
  dns: (h) => `the name ${h} does not resolve (NXDOMAIN / no such host): the Service does not exist in that namespace or the hostname is misspelled`,
  "dns-timeout": (h) => `DNS lookups${h ? ` of ${h}` : ""} time out: the cluster DNS (kube-dns/CoreDNS) is unreachable from the pod`,
  timeout: (h) => `connections to ${h} time out: the dependency is unreachable (down, overloaded, or traffic is dropped on the way)`,
  "tls-expired": (h) => `the TLS certificate presented by ${h} has expired (x509: certificate has expired), so the handshake fails`,
  "tls-untrusted": (h) => `the TLS certificate presented by ${h} is signed by an unknown authority: the app does not trust its CA`,
};

const TEST: Record<DependencyProblem, (host: string, ns: string) => string> = {
  refused: (h, ns) => `kubectl -n ${ns} get endpoints ${h.split(/[.:]/)[0]}; kubectl -n ${ns} run -it --rm probe --image=busybox -- nc -zv ${h.replace(":", " ")}`,
  dns: (h, ns) => `kubectl -n ${ns} run -it --rm probe --image=busybox -- nslookup ${h.split(":")[0]}`,
  "dns-timeout": (_h, ns) => `kubectl -n ${ns} run -it --rm probe --image=busybox -- nslookup kubernetes.default; kubectl -n kube-system get pods -l k8s-app=kube-dns`,
  timeout: (h, ns) => `kubectl -n ${ns} run -it --rm probe --image=busybox -- nc -zv -w 3 ${h.replace(":", " ")}`,
  "tls-expired": (h) => `openssl s_client -connect ${h.includes(":") ? h : `${h}:443`} -servername ${h.split(":")[0]} </dev/null | openssl x509 -noout -dates`,
  "tls-untrusted": (h) => `openssl s_client -connect ${h.includes(":") ? h : `${h}:443`} -showcerts </dev/null`,
};

/** A cluster IP in the log resolved to the Service it belongs to, when the Service was collected. */
function serviceFor(ctx: InvestigationContext, host: string): string | undefined {
  const ip = host.split(":")[0];
  const svc = ctx.related.find((r) => r.kind === "Service" && (r.object?.spec as { clusterIP?: string } | undefined)?.clusterIP === ip);
  return svc ? `${svc.namespace ?? ctx.target.namespace}/${svc.name}` : undefined;
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const signal = findDependencySignal(ctx, c.name);
  if (!signal) return undefined;
  const host = signal.host ?? "the dependency";
  const svc = signal.host ? serviceFor(ctx, signal.host) : undefined;
  const named = svc ? `${host} (Service ${svc})` : host;
  const base = signal.problem === "timeout" || signal.problem === "dns-timeout" ? 0.78 : 0.86;
  const cites: Cite[] = [{ id: signal.hit.evidenceId, excerpt: excerptOf(signal.hit, 3) }];
  const stage = signal.problem.startsWith("tls") ? "Renew or re-issue the certificate" : "Restore the dependency";
  return diagnosis(ctx, {
    rule: `dependency-${signal.problem}`,
    category: "DependencyFailure",
    summary: `Container ${c.name} fails because its dependency ${named} is unreachable: ${EXPLAIN[signal.problem](host).split(":")[0]}`,
    rootCause: `Container ${c.name} cannot reach ${named}: ${EXPLAIN[signal.problem](host)}. The app exits${c.lastTerminated ? ` with code ${c.lastTerminated.exitCode}` : ""} as a consequence (log line ${signal.hit.n}: "${signal.hit.text.trim().slice(0, 200)}").`,
    confidence: signal.host ? base - latePenalty(signal.hit.late) : base - 0.1 - latePenalty(signal.hit.late),
    cites,
    test: TEST[signal.problem](host, ctx.target.namespace),
    remediation: [
      { title: `${stage}: ${host}`, stage: "Fix", commands: [`${kubectl(ctx)} get svc,endpoints -o wide`, TEST[signal.problem](host, ctx.target.namespace)] },
      { title: "Let the app wait for the dependency with backoff instead of exiting", stage: "Prevent", commands: [] },
    ],
    prevention: ["Retry dependencies with backoff at startup; report not-ready instead of crashing.", "Alert on the dependency itself (endpoints, certificate expiry) rather than on its clients."],
  });
}

export const dependencyRules: TriageRule[] = [{ name: "dependency-failure", match }];
