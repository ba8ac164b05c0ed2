import type { InvestigationContext } from "../../context/types.js";
import { findInLogs, type LogHit } from "./logs.js";

export type DependencyProblem = "refused" | "dns" | "dns-timeout" | "timeout" | "tls-expired" | "tls-untrusted";

export interface DependencySignal {
  problem: DependencyProblem;
  /** host or host:port, when the log names it. */
  host?: string;
  hit: LogHit;
}

const HOST = String.raw`\[?[\w.-]+\]?(?::\d{2,5})?`;

/** Each pattern captures the host (or host:port) in group 1 when the runtime prints it. */
const SIGNALS: [DependencyProblem, RegExp][] = [
  ["dns-timeout", new RegExp(String.raw`lookup (${HOST})(?: on [\d.:]+)?: (?:read udp [^:]+:\d+->[^:]+:\d+: )?i/o timeout`)],
  ["dns-timeout", /getaddrinfo EAI_AGAIN ([\w.-]+)/],
  ["dns-timeout", /(Temporary failure in name resolution)/],
  ["dns", new RegExp(String.raw`lookup (${HOST})(?: on [\d.:]+)?: no such host`)],
  ["dns", /getaddrinfo ENOTFOUND ([\w.-]+)/],
  ["dns", /UnknownHostException: ([\w.-]+)/],
  ["dns", /could not translate host name "([^"]+)"/],
  ["dns", /Error -?\d+ connecting to ([\w.-]+:\d+)\. (?:Name or service not known|Name does not resolve)/],
  ["dns", /(?:Name or service not known|Name does not resolve|nodename nor servname provided)(?:.*?([\w.-]+:\d+))?/],
  ["tls-expired", /x509: certificate has expired or is not yet valid|CERT_HAS_EXPIRED|certificate has expired|CertificateExpiredException|certificate expired/i],
  ["tls-untrusted", /x509: certificate signed by unknown authority|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|certificate verify failed|PKIX path building failed|tls: failed to verify certificate/],
  ["refused", new RegExp(String.raw`dial tcp (${HOST}): connect: connection refused`)],
  ["refused", /connect ECONNREFUSED ([\w.:[\]-]+)/],
  ["refused", /connection to server at "([^"]+)"(?: \([\d.]+\))?, port (\d+) failed: Connection refused/],
  ["refused", /Is the server running on host "([^"]+)"/],
  ["refused", /Error 111 connecting to ([\w.-]+:\d+)/],
  ["refused", /Can't connect to (?:MySQL|MariaDB) server on '([^']+)'/],
  ["refused", /Connection to ([\w.-]+:\d+) refused/],
  ["refused", /([\w.-]+\/[\d.]+:\d+)[^\n]*Connection refused|Connection refused[^\n]*?([\w.-]+:\d{2,5})|(Connection refused|ECONNREFUSED|connection refused)/],
  ["timeout", new RegExp(String.raw`dial tcp (${HOST}): (?:i/o timeout|connect: connection timed out)`)],
  ["timeout", /connect ETIMEDOUT ([\w.:-]+)/],
  ["timeout", /(?:timeout|timed out)[^\n]*?(?:connecting to|to) ([\w.-]+:\d{2,5})/i],
  ["timeout", /(SocketTimeoutException|Connection timed out|connect timed out|timeout expired)/],
];

const URL_HOST = /(?:https?|postgres(?:ql)?|mysql|redis|amqp|mongodb|nats|kafka):\/\/(?:[^@/\s]+@)?([\w.-]+(?::\d+)?)/;

function hostOf(hit: LogHit): string | undefined {
  const groups = hit.match.slice(1).filter((g): g is string => g !== undefined && !/^(Connection refused|ECONNREFUSED|connection refused|SocketTimeoutException|Connection timed out|connect timed out|timeout expired|Temporary failure in name resolution)$/.test(g));
  if (groups.length === 2 && /^\d+$/.test(groups[1]!)) return `${groups[0]}:${groups[1]}`;
  const host = groups[0] ?? URL_HOST.exec(hit.text)?.[1] ?? /\b([a-z][\w-]*(?:\.[\w-]+)*:\d{2,5})\b/.exec(hit.text)?.[1];
  return host?.replace(/^[\w.-]+\/(?=[\d.]+:)/, "");
}

/** The first dependency failure in the container's logs: refused connections, DNS, timeouts, TLS. */
export function findDependencySignal(ctx: InvestigationContext, container: string): DependencySignal | undefined {
  let best: DependencySignal | undefined;
  for (const [problem, re] of SIGNALS) {
    const hit = findInLogs(ctx, container, re);
    if (!hit) continue;
    if (!best || hit.n < best.hit.n || (hit.n === best.hit.n && hit.previous === best.hit.previous && !best.host && hostOf(hit))) {
      best = { problem, host: hostOf(hit), hit };
    }
  }
  if (best && !best.host) best.host = hostNear(best.hit);
  return best;
}

/** A host named on the lines right around a hit (Java and Python print it a line or two away). */
function hostNear(hit: LogHit): string | undefined {
  const near = hit.log.lines.filter((l) => Math.abs(l.n - hit.n) <= 3).map((l) => l.text).join("\n");
  return URL_HOST.exec(near)?.[1] ?? /host "([^"]+)"/.exec(near)?.[1] ?? /\b([a-z][\w-]*(?:\.[\w-]+)*:\d{2,5})\b/.exec(near)?.[1];
}
