import type { Category } from "../../api/diagnosis.js";
import type { ContainerFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, type Cite } from "./build.js";
import { clip, firstError } from "./logs.js";
import { exitCodeOf, failingContainer, kubectl, podEvidence, terminationReasonOf } from "./subject.js";

const SIGNALS: Record<number, string> = { 1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM" };

interface Meaning {
  category: Category;
  confidence: number;
  meaning: string;
  test: string;
}

/** What an exit code says on its own, without logs. */
export function exitMeaning(code: number): Meaning {
  return signalMeaning(code) ?? plainMeaning(code);
}

function signalMeaning(code: number): Meaning | undefined {
  if (code === 137) {
    return { category: "Unknown", confidence: 0.4, meaning: "exit 137 = 128+9: the process was killed with SIGKILL, and the status does not say OOMKilled — a liveness probe kill after the grace period, a kill from outside the container, or memory pressure on the node", test: "Look for Killing events (failed liveness probe) and node MemoryPressure; an OOM kill would show reason OOMKilled" };
  }
  if (code === 143) {
    return { category: "Unknown", confidence: 0.35, meaning: "exit 143 = 128+15: the process exited on SIGTERM, which the kubelet sends on a liveness probe failure, eviction, or pod deletion", test: "Look for Killing events and who deleted or evicted the pod" };
  }
  if (code === 139 || code === 134 || code === 132 || code === 135) {
    return { category: "ApplicationError", confidence: 0.6, meaning: `exit ${code} = 128+${code - 128}: the process crashed on ${SIGNALS[code - 128]} — ${code === 139 ? "segmentation fault: invalid memory access in native code" : code === 134 ? "abort: a failed assertion or fatal runtime error" : "a fatal signal"}`, test: "Check for native libraries built for another libc/architecture, and get a core dump or run under the debugger" };
  }
  if (code > 128 && code < 160) {
    return { category: "Unknown", confidence: 0.3, meaning: `exit ${code} = 128+${code - 128}: the process was terminated by signal ${SIGNALS[code - 128] ?? code - 128}`, test: "Find who sent the signal (kubelet events, the app's own supervisor)" };
  }
  return undefined;
}

function plainMeaning(code: number): Meaning {
  const generic: Record<number, string> = {
    1: "exit 1: the application reported a general error and exited",
    2: "exit 2: misuse of a command or invalid usage (bad arguments, shell builtin misuse)",
    255: "exit 255: an exit status out of range or a fatal error in the runtime",
  };
  return { category: "Unknown", confidence: 0.3, meaning: generic[code] ?? `exit ${code}: the application exited with an error status`, test: "Read the first error in the previous container's logs" };
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const code = exitCodeOf(c);
  if (code === undefined || code === 0 || terminationReasonOf(c) === "OOMKilled") return undefined;
  return fromExitCode(ctx, c, code);
}

function fromExitCode(ctx: InvestigationContext, c: ContainerFacts, code: number): RuleDiagnosis {
  const m = exitMeaning(code);
  const first = firstError(ctx, c.name);
  const cites: Cite[] = [...podEvidence(ctx, "PodStatus").map((id) => ({ id })), { id: first?.evidenceId, excerpt: first ? `L${first.n}: ${first.text}` : undefined }];
  const firstText = first ? ` The first error in its logs (line ${first.n}): "${clip(first.text, 200)}".` : " Its logs show no error line.";
  return diagnosis(ctx, {
    rule: `exit-code-${code}`,
    category: m.category,
    summary: `Container ${c.name}${c.init ? " (init)" : ""} exits with code ${code}${first ? `: ${clip(first.text, 120)}` : ` (${m.meaning.split(":")[1]?.trim().split(",")[0] ?? "error"})`}`,
    rootCause: `Container ${c.name} terminates with ${m.meaning}.${firstText} No known failure signature explains it further.`,
    confidence: m.confidence,
    cites,
    test: m.test,
    remediation: [{ title: "Read the previous run's full logs around the first error", stage: "Fix", commands: [`${kubectl(ctx)} logs ${ctx.target.pod ?? "POD"} -c ${c.name} --previous`] }],
  });
}

export const exitCodeRules: TriageRule[] = [{ name: "exit-code", match }];
