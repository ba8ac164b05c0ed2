import type { ContainerFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty, type Cite } from "./build.js";
import { excerptOf, findFirstOf, type LogHit } from "./logs.js";
import { exitCodeOf, failingContainer, isCrashing, kubectl, podEvidence, stateMessage, terminationReasonOf, workloadRef } from "./subject.js";

interface CommandProblem {
  kind: "not-found" | "no-such-file" | "not-executable" | "exec-format" | "syntax" | "unknown-flag";
  thing: string;
  hit?: LogHit;
}

const RUNTIME_PATTERNS: [CommandProblem["kind"], RegExp][] = [
  ["not-found", /exec: "([^"]+)": executable file not found in \$PATH/],
  ["no-such-file", /exec: "([^"]+)": stat [^:]+: no such file or directory/],
  ["not-executable", /exec: "([^"]+)": permission denied/],
  ["exec-format", /exec (\S+): exec format error|exec format error/],
];

const LOG_PATTERNS: [CommandProblem["kind"], RegExp][] = [
  ["exec-format", /exec (\S+): exec format error|(exec format error)/],
  ["not-found", /(?:^|\s)(?:\/bin\/)?(?:ba|da)?sh: (?:line )?\d*:? ?([^:\s]+): (?:command )?not found/],
  ["not-found", /^(?:\S+: )?(?:line \d+: )?([^:\s]+): command not found/],
  ["not-found", /exec: "?([^":\s]+)"?: executable file not found in \$PATH/],
  ["no-such-file", /exec (\S+): no such file or directory/],
  ["not-executable", /(?:sh|bash|exec):? (?:\d+: )?(\S+): [Pp]ermission denied/],
  ["syntax", /((?:sh|bash)\b.*[Ss]yntax error.*|[Ss]yntax error: (?:"[^"]*" unexpected|unexpected end of file|word unexpected).*|unexpected EOF while looking for matching.*|syntax error near unexpected token.*)/],
  ["unknown-flag", /(flag provided but not defined: \S+|unrecognized arguments?: .*|[Uu]nknown (?:flag|option|shorthand flag):? \S+|invalid option -- '?\S+'?)/],
];

function runtimeProblem(c: ContainerFacts): CommandProblem | undefined {
  const message = stateMessage(c);
  for (const [kind, re] of RUNTIME_PATTERNS) {
    const m = re.exec(message);
    if (m) return { kind, thing: m[1] ?? c.command?.[0] ?? "the entrypoint" };
  }
  return undefined;
}

function logProblem(ctx: InvestigationContext, c: ContainerFacts): CommandProblem | undefined {
  const hits = LOG_PATTERNS.map(([kind, re]) => ({ kind, hit: findFirstOf(ctx, c.name, [re]) }));
  let best: { kind: CommandProblem["kind"]; hit: LogHit } | undefined;
  for (const h of hits) {
    if (h.hit && (!best || h.hit.n < best.hit.n)) best = { kind: h.kind, hit: h.hit };
  }
  if (!best) return undefined;
  return { kind: best.kind, thing: best.hit.match[1] ?? best.hit.match[0], hit: best.hit };
}

const EXPLAIN: Record<CommandProblem["kind"], (thing: string) => string> = {
  "not-found": (t) => `the command \`${t}\` does not exist in the image (not on $PATH: a typo, or a binary the image does not ship)`,
  "no-such-file": (t) => `the entrypoint ${t} does not exist in the image`,
  "not-executable": (t) => `${t} is not executable (file mode lacks +x, or it is on a noexec mount)`,
  "exec-format": (t) => `${t === "exec format error" ? "the entrypoint binary" : t} was built for a different CPU architecture than the node (exec format error: e.g. an arm64 image on an amd64 node), or a script lacks its #! line`,
  syntax: (t) => `the shell command in command/args has a syntax error: ${t}`,
  "unknown-flag": (t) => `the container's args pass an option the program does not accept: ${t}`,
};

const FIX: Record<CommandProblem["kind"], string> = {
  "not-found": "Correct the command name in the pod template, or install the binary in the image",
  "no-such-file": "Point command at a path that exists in the image",
  "not-executable": "Make the entrypoint executable in the image (chmod +x in the Dockerfile) or run it through its interpreter",
  "exec-format": "Build and push a multi-arch image (docker buildx --platform linux/amd64,linux/arm64) or pin the pod to nodes of the image's architecture",
  syntax: "Fix the quoting of the shell command in args (YAML block scalars avoid most quoting mistakes)",
  "unknown-flag": "Fix the option name in args (check `--help` of the image's version)",
};

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const problem = runtimeProblem(c) ?? logProblem(ctx, c);
  if (!problem) return exitOnlyProblem(ctx, c);
  return fromProblem(ctx, c, problem);
}

function confidenceOf(problem: CommandProblem): number {
  const base = problem.hit ? 0.88 : 0.95;
  return base - latePenalty(problem.hit?.late ?? false) - (problem.kind === "unknown-flag" ? 0.05 : 0);
}

function problemCites(ctx: InvestigationContext, c: ContainerFacts, problem: CommandProblem): Cite[] {
  const cites: Cite[] = [...podEvidence(ctx, "PodStatus").map((id) => ({ id })), ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))];
  if (problem.hit) cites.unshift({ id: problem.hit.evidenceId, excerpt: excerptOf(problem.hit, 2) });
  if (rolloutChange(ctx, c)) cites.push({ id: ctx.rollout?.evidenceId });
  return cites;
}

function commandLine(c: ContainerFacts): string {
  return [...(c.command ?? []), ...(c.args ?? [])].join(" ");
}

function fromProblem(ctx: InvestigationContext, c: ContainerFacts, problem: CommandProblem): RuleDiagnosis {
  const w = workloadRef(ctx);
  const cmd = commandLine(c);
  return diagnosis(ctx, {
    rule: `bad-command-${problem.kind}`,
    category: "BadCommand",
    summary: `Container ${c.name} cannot start its command: ${EXPLAIN[problem.kind](problem.thing).split(" (")[0]}`,
    rootCause: `In container ${c.name} (image ${c.image}), ${EXPLAIN[problem.kind](problem.thing)}.${cmd ? ` Command/args: \`${cmd}\`.` : ""}${rolloutNote(ctx, c)}`,
    confidence: confidenceOf(problem),
    cites: problemCites(ctx, c, problem),
    test: `Run the image with a shell and try the command: kubectl run -it --rm debug --image=${c.image} --command -- sh -c 'command -v ${problem.thing.split(" ")[0]}; uname -m'`,
    remediation: [
      ...(rolloutChange(ctx, c) && w.rollable ? [{ title: "Roll back to the revision whose command worked", stage: "Stabilize" as const, commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Low" as const }] : []),
      { title: FIX[problem.kind], stage: "Fix", commands: [`${kubectl(ctx)} edit ${w.ref}`] },
    ],
    prevention: ["Smoke-test the image's entrypoint in CI for every target architecture (docker run --platform ...).", "Lint shell snippets in manifests (shellcheck) before they ship."],
  });
}

function rolloutChange(ctx: InvestigationContext, c: ContainerFacts): string | undefined {
  const ch = ctx.rollout?.changes.find((x) => x.path.includes(`[${c.name}]`) && /\.(command|args|image)/.test(x.path));
  return ch ? `${ch.path}: ${ch.before ?? "unset"} → ${ch.after ?? "unset"}` : undefined;
}

function rolloutNote(ctx: InvestigationContext, c: ContainerFacts): string {
  const ch = rolloutChange(ctx, c);
  return ch ? ` The last rollout changed ${ch}.` : "";
}

/** Exit codes that mean "the command itself could not run", with no log line to say more. */
function exitOnlyProblem(ctx: InvestigationContext, c: ContainerFacts): RuleDiagnosis | undefined {
  const code = exitCodeOf(c);
  if (code === 0 && terminationReasonOf(c) === "Completed" && isCrashing(c)) return completed(ctx, c);
  if (code !== 126 && code !== 127) return undefined;
  const cmd = commandLine(c) || "the image's entrypoint";
  const what = code === 127 ? "a command it runs was not found (exit 127)" : "a command it runs is not executable (exit 126)";
  return diagnosis(ctx, {
    rule: `bad-command-exit-${code}`,
    category: "BadCommand",
    summary: `Container ${c.name} exits ${code}: ${what}`,
    rootCause: `Container ${c.name} exits with code ${code}: the shell reports ${code === 127 ? "command not found" : "permission denied / cannot execute"} for \`${cmd}\` or a command it calls.`,
    confidence: 0.72,
    cites: podEvidence(ctx, "PodStatus").map((id) => ({ id })),
    test: `kubectl run -it --rm debug --image=${c.image} --command -- sh, then run \`${cmd}\``,
    remediation: [{ title: "Fix the command/args in the pod template", commands: [`${kubectl(ctx)} edit ${workloadRef(ctx).ref}`] }],
  });
}

function completed(ctx: InvestigationContext, c: ContainerFacts): RuleDiagnosis {
  const w = workloadRef(ctx);
  const cmd = commandLine(c) || "the image's default entrypoint";
  return diagnosis(ctx, {
    rule: "bad-command-exits-zero",
    category: "BadCommand",
    summary: `Container ${c.name} exits 0 (Completed) right after starting, so it restarts in a loop: its command is not a long-running process`,
    rootCause: `Container ${c.name} runs \`${cmd}\`, which finishes successfully (exit 0, reason Completed) instead of serving; under restartPolicy Always the kubelet restarts it and backs off (CrashLoopBackOff). Typical causes: a one-shot task run as a ${w.kind}, a server that daemonizes into the background, or args that print help/version and exit.`,
    confidence: 0.8,
    cites: [...podEvidence(ctx, "PodStatus").map((id) => ({ id })), ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))],
    test: "Check the command runs in the foreground (e.g. nginx -g 'daemon off;'); a Job would complete successfully with the same command.",
    remediation: [
      { title: "Run the server in the foreground", commands: [`${kubectl(ctx)} edit ${w.ref}`] },
      { title: "Or, if this is a one-shot task, run it as a Job instead", commands: [`${kubectl(ctx)} create job ${c.name}-once --image=${c.image} -- ${cmd}`] },
    ],
  });
}

export const commandRules: TriageRule[] = [{ name: "bad-command", match }];
