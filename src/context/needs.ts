import type { V1Pod } from "@kubernetes/client-node";
import type { LogsCollection } from "./collect-logs.js";
import type { ContainerFacts, EventFacts } from "./types.js";

/**
 * Which objects around a pod are worth a request, decided from what collection
 * already has (the pod, its logs, its events). Each read is asked for only when
 * something points at it, so a plain crash costs no Node, quota or policy read:
 * - the Node when the pod is bound and the pod, its events or an unexplained
 *   SIGKILL point at the node (eviction, NotReady, pressure, shutdown);
 * - NetworkPolicies when logs, termination messages or probes show network
 *   trouble (timeouts, DNS failures, refused or reset connections);
 * - Services and Endpoints for that trouble and for TLS failures of a dependency;
 * - ResourceQuotas and LimitRanges when events speak of quota or limits, a
 *   controller could not create pods, or a LimitRange set the pod's resources.
 */

export interface RelatedNeeds {
  node: boolean;
  networkPolicies: boolean;
  services: boolean;
  quotas: boolean;
}

export interface NeedsInput {
  pod: V1Pod;
  containers: ContainerFacts[];
  logs: LogsCollection["logs"];
  events: EventFacts[];
}

const NETWORK = /timed? ?out|timeout|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|no such host|name resolution|Name or service not known|Name does not resolve|nodename nor servname|UnknownHost|could not translate host name|connection refused|ECONNREFUSED|Error 111 connecting|Can't connect to (?:MySQL|MariaDB)|Is the server running on host|connection reset|ECONNRESET|no route to host|EHOSTUNREACH|network is unreachable|ENETUNREACH/i;
const TLS = /x509:|certificate|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|PKIX path building failed/i;

const NODE_POD_REASON = /Evicted|NodeLost|NodeShutdown|Shutdown|Terminated|UnexpectedAdmissionError|^OutOf/;
const NODE_EVENT_REASON = /NodeNotReady|TaintManagerEviction|NodeLost|NodeShutdown|Evicted|Preempting|Rebooted|SystemOOM|EvictionThresholdMet|Pressure/;
const NODE_MESSAGE = /node\b[^\n]*(?:not ready|notready|pressure|shut(?:ting)? ?down|evict|unreachable)|low on resource/i;

const QUOTA_EVENT_REASON = /^FailedCreate$/;
const QUOTA_MESSAGE = /quota|LimitRange|limit ?range|must specify (?:limits|requests)|maximum (?:cpu|memory)|minimum (?:cpu|memory)/i;
const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

/** Text the app and its probes produced: condensed logs, termination messages, probe failures. */
function appText(input: NeedsInput): string {
  const logs = Object.values(input.logs).flatMap((l) => [l.current?.text, l.previous?.text]);
  const terminations = input.containers.flatMap((c) => [c.lastTerminated?.message, c.state.kind === "terminated" ? c.state.message : undefined]);
  const probes = input.events.filter((e) => e.reason === "Unhealthy").map((e) => e.message);
  return [...logs, ...terminations, ...probes].filter(Boolean).join("\n");
}

/** A SIGKILL (137) the container's own memory limit does not explain: the node's memory may. */
function unexplainedKill(c: ContainerFacts): boolean {
  const states = [c.lastTerminated, c.state.kind === "terminated" ? c.state : undefined];
  return states.some((t) => t !== undefined && (t.exitCode === 137 || t.signal === 9) && (t.reason !== "OOMKilled" || !c.resources.limits?.memory));
}

function pointsAtNode(input: NeedsInput): boolean {
  const st = input.pod.status ?? {};
  if (!input.pod.spec?.nodeName) return false;
  if (st.phase === "Unknown" || NODE_POD_REASON.test(st.reason ?? "") || NODE_MESSAGE.test(st.message ?? "")) return true;
  if ((st.conditions ?? []).some((c) => c.type === "DisruptionTarget" && c.status === "True")) return true;
  if (input.events.some((e) => NODE_EVENT_REASON.test(e.reason) || NODE_MESSAGE.test(e.message))) return true;
  return input.containers.some(unexplainedKill);
}

function pointsAtQuota(input: NeedsInput): boolean {
  if (input.pod.metadata?.annotations?.[LIMIT_RANGER_ANNOTATION]) return true;
  return input.events.some((e) => QUOTA_EVENT_REASON.test(e.reason) || QUOTA_MESSAGE.test(e.message));
}

export function relatedNeeds(input: NeedsInput): RelatedNeeds {
  const text = appText(input);
  const network = NETWORK.test(text);
  return { node: pointsAtNode(input), networkPolicies: network, services: network || TLS.test(text), quotas: pointsAtQuota(input) };
}
