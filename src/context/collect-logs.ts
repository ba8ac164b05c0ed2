import { condenseLog } from "./condense.js";
import type { CondensedLog, ContainerFacts, Evidence } from "./types.js";
import type { ClusterView } from "./view.js";

/**
 * Current and previous logs of a pod's containers, fetched with a bound the
 * kubelet enforces (tailLines + limitBytes) and condensed. A previous log is
 * asked for only when the container has terminated before; a current one only
 * when the container has started at least once and is not waiting to restart:
 * for a waiting container the kubelet serves the last terminated instance's log
 * as the current one, which is the previous log fetched twice. Logs that do not
 * exist are not problems; a refused or failed fetch is a note.
 */

export const LOG_TAIL_LINES = 20_000;
export const LOG_LIMIT_BYTES = 4 * 1024 * 1024;
const MAX_CONTAINERS = 8;

export interface LogsCollection {
  logs: Record<string, { current?: CondensedLog; previous?: CondensedLog }>;
  evidence: Evidence[];
  redactions: number;
  notes: string[];
}

type Variant = "current" | "previous";

function wanted(c: ContainerFacts): Variant[] {
  const out: Variant[] = [];
  const started = c.state.kind === "running" || c.state.kind === "terminated" || c.restartCount > 0;
  const waitingToStart = c.state.kind === "waiting" && c.restartCount === 0 && !c.lastTerminated;
  // Waiting after a termination (CrashLoopBackOff and the like): "current" is the previous log again.
  const waitingToRestart = c.state.kind === "waiting" && c.lastTerminated !== undefined;
  if (started && !waitingToStart && !waitingToRestart) out.push("current");
  if (c.lastTerminated || c.restartCount > 0) out.push("previous");
  return out;
}

/** Failing containers first, so the bound on containers never drops the one that matters. */
function byInterest(containers: ContainerFacts[], focus?: string): ContainerFacts[] {
  const score = (c: ContainerFacts): number => (c.name === focus ? 0 : !c.ready || c.restartCount > 0 ? 1 : 2);
  return [...containers].sort((a, b) => score(a) - score(b));
}

export interface LogsTarget {
  namespace: string;
  pod: string;
  containers: ContainerFacts[];
  /** The failing container, fetched first. */
  focus?: string;
}

export async function collectLogs(view: ClusterView, target: LogsTarget): Promise<LogsCollection> {
  const { namespace: ns, pod, containers, focus } = target;
  const out: LogsCollection = { logs: {}, evidence: [], redactions: 0, notes: [] };
  const jobs = byInterest(containers, focus)
    .slice(0, MAX_CONTAINERS)
    .flatMap((c) => wanted(c).map((variant) => ({ c, variant })));
  const results = await Promise.all(jobs.map(({ c, variant }) => fetchOne(view, { ns, pod, container: c.name, variant })));
  for (const r of results) {
    if (r.note) out.notes.push(r.note);
    if (!r.log) continue;
    (out.logs[r.container] ??= {})[r.variant] = r.log;
    out.evidence.push(r.evidence!);
    out.redactions += r.redactions;
  }
  return out;
}

interface FetchResult {
  container: string;
  variant: Variant;
  log?: CondensedLog;
  evidence?: Evidence;
  redactions: number;
  note?: string;
}

const NOT_A_PROBLEM = /not found|waiting to start|is not valid|ContainerCreating|PodInitializing|no log of container/i;

async function fetchOne(view: ClusterView, t: { ns: string; pod: string; container: string; variant: Variant }): Promise<FetchResult> {
  const base: FetchResult = { container: t.container, variant: t.variant, redactions: 0 };
  const previous = t.variant === "previous";
  let result;
  try {
    result = await view.logs({ namespace: t.ns, pod: t.pod, container: t.container, previous, tailLines: LOG_TAIL_LINES, limitBytes: LOG_LIMIT_BYTES });
  } catch (err) {
    return { ...base, note: `could not read ${t.variant} logs of ${t.ns}/${t.pod} (${t.container}): ${(err as Error).message}` };
  }
  if (!result.found) return NOT_A_PROBLEM.test(result.reason) ? base : { ...base, note: `${t.variant} logs of ${t.ns}/${t.pod} (${t.container}) unavailable: ${result.reason}` };
  const id = `logs/${t.ns}/${t.pod}/${t.container}/${t.variant}`;
  const { redactions, ...log } = condenseLog(result.text, { evidenceId: id });
  const condensed: CondensedLog = { ...log, truncated: log.truncated || result.truncated };
  const evidence: Evidence = { id, source: "Logs", title: `${t.variant} logs of ${t.ns}/${t.pod} (${t.container})`, text: condensed.text };
  return { ...base, log: condensed, evidence, redactions };
}
