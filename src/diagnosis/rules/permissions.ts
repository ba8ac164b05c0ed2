import type { ContainerFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty } from "./build.js";
import { excerptOf, findFirstOf, type LogHit } from "./logs.js";
import { containersByFailure, failingContainer, kubectl, podEvidence, workloadRef } from "./subject.js";

interface SecurityContext {
  runAsUser?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}

function securityOf(ctx: InvestigationContext, c: ContainerFacts): SecurityContext {
  const pod = (ctx.pod?.spec?.securityContext ?? {}) as SecurityContext;
  return { ...pod, ...((c.securityContext ?? {}) as SecurityContext) };
}

interface NonRoot {
  name: string;
  message: string;
  image?: string;
  eventId?: string;
  eventMessage?: string;
}

function nonRootFacts(ctx: InvestigationContext): NonRoot | undefined {
  const c = containersByFailure(ctx).find((x) => x.state.kind === "waiting" && /runAsNonRoot/.test(x.state.message ?? ""));
  const ev = ctx.events.find((e) => /runAsNonRoot/.test(e.message));
  if (c) return { name: c.name, message: c.state.message ?? "", image: c.image, eventId: ev?.evidenceId, eventMessage: ev?.message };
  if (!ev) return undefined;
  return { name: /container:? "?(\w[\w-]*)/.exec(ev.message)?.[1] ?? "the container", message: ev.message, eventId: ev.evidenceId, eventMessage: ev.message };
}

function matchRunAsNonRoot(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const f = nonRootFacts(ctx);
  if (!f) return undefined;
  const nonNumeric = /non-numeric user \(([^)]+)\)/.exec(f.message)?.[1];
  const w = workloadRef(ctx);
  const cause = nonNumeric
    ? `the image's USER is the name "${nonNumeric}", which the kubelet cannot verify as non-root`
    : "the image runs as root (UID 0) and the pod sets runAsNonRoot: true without a runAsUser";
  return diagnosis(ctx, {
    rule: "run-as-non-root",
    category: "PermissionDenied",
    summary: `Container ${f.name} is blocked by runAsNonRoot: ${nonNumeric ? "image user is not numeric" : "the image will run as root"}`,
    rootCause: `The kubelet refuses to start container ${f.name} (CreateContainerConfigError): ${cause}. Message: ${f.message.slice(0, 300)}`,
    confidence: 0.96,
    cites: [{ id: f.eventId, excerpt: f.eventMessage }, ...podEvidence(ctx, "PodStatus").map((id) => ({ id })), ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))],
    test: `docker inspect --format '{{.Config.User}}' ${f.image ?? "<image>"}  (empty or 0/root means it runs as root)`,
    remediation: [
      { title: `Run ${f.name} as a non-root UID the image supports`, stage: "Fix", commands: [`${kubectl(ctx)} patch ${w.ref} -p '{"spec":{"template":{"spec":{"securityContext":{"runAsUser":10001,"runAsGroup":10001}}}}}'`], risk: "Medium", rollback: [`${kubectl(ctx)} rollout undo ${w.ref}`] },
      { title: "Better: build the image with a numeric non-root USER (USER 10001)", stage: "Prevent", commands: [] },
    ],
    prevention: ["Build images with a numeric USER and test them under runAsNonRoot in CI."],
  });
}

type Kind = "read-only" | "file-mode" | "bind" | "capability";

const PATTERNS: [Kind, RegExp][] = [
  ["read-only", /(?:open|mkdir|create|write|touch|rename|remove|unlink|mkdirat|openat)?\s*\(?["']?(\/[\w./-]*)["']?\)?[^\n]*Read-only file system|EROFS[^\n]*?(\/[\w./-]+)|(Read-only file system)/],
  ["bind", /bind(?:\(\))? to [\d.:[\]]+:(\d+) failed \(13: Permission denied\)|listen tcp [\d.]*:(\d+): bind: permission denied|listen EACCES: permission denied [\d.:]*:(\d+)|(?:Permission denied|permission denied)[^\n]*\bport (\d+)/],
  ["file-mode", /(?:open|mkdir|create|write|read|unlink|rename|chmod|access|stat|opendir|scandir)(?:\(\))? ["']?(\/[\w./-]+)["']?(?: failed)?:? \(?(?:13: )?[Pp]ermission denied|PermissionError: \[Errno 13\] Permission denied: '([^']+)'|EACCES: permission denied, \w+ '([^']+)'|AccessDeniedException: (\/\S+)|"(\/[\w./-]+)" failed \(13: Permission denied\)/],
  ["capability", /(?:chown|setuid|setgid|setgroups|capset|mount|chroot|setcap|socket|ping)[^\n]*[Oo]peration not permitted|(EPERM)[^\n]*(\/[\w./-]+)?/],
];

function firstHit(ctx: InvestigationContext, c: ContainerFacts): { kind: Kind; hit: LogHit } | undefined {
  let best: { kind: Kind; hit: LogHit } | undefined;
  for (const [kind, re] of PATTERNS) {
    const hit = findFirstOf(ctx, c.name, [re]);
    if (hit && !/^\s*(?:exec |.*sh: )/.test(hit.text) && (!best || hit.n < best.hit.n)) best = { kind, hit };
  }
  return best;
}

function subject(hit: LogHit): string | undefined {
  return hit.match.slice(1).find((g) => g !== undefined && g !== "Read-only file system");
}

interface Explained {
  cause: string;
  fix: string;
  patch?: string;
}

function parentDir(thing: string | undefined): string {
  return thing ? thing.split("/").slice(0, -1).join("/") || thing : "/tmp";
}

const EXPLAIN: Record<Kind, (thing: string | undefined, sc: SecurityContext, c: ContainerFacts) => Explained> = {
  "read-only": (thing, sc, c) => ({
    cause: `the root filesystem is read-only (readOnlyRootFilesystem: ${sc.readOnlyRootFilesystem ?? "true"}) and the app writes to ${thing ?? "a path on it"}`,
    fix: `Mount an emptyDir at ${parentDir(thing)} (keep the root filesystem read-only)`,
    patch: `{"spec":{"template":{"spec":{"volumes":[{"name":"tmp-write","emptyDir":{}}],"containers":[{"name":"${c.name}","volumeMounts":[{"name":"tmp-write","mountPath":"${parentDir(thing)}"}]}]}}}}`,
  }),
  bind: (thing, sc) => ({
    cause: `the app binds privileged port ${thing ?? "<1024"} while running as ${userOf(sc)} without the NET_BIND_SERVICE capability`,
    fix: "Listen on a port ≥ 1024 (e.g. 8080) and map the Service port, or add capability NET_BIND_SERVICE",
  }),
  capability: (thing, sc) => ({
    cause: `the app needs a Linux capability the container lacks (capabilities drop: ${JSON.stringify(sc.capabilities?.drop ?? [])}): operation not permitted${thing ? ` on ${thing}` : ""}`,
    fix: "Add only the capability the operation needs (securityContext.capabilities.add), or stop doing it at runtime (e.g. chown at build time)",
  }),
  "file-mode": (thing, sc) => ({
    cause: `${thing ?? "a file or directory"} is not writable/readable by ${userOf(sc)}: its file mode/owner does not permit it (EACCES)`,
    fix: `Set fsGroup so mounted volumes are group-writable, or fix ownership of ${thing ?? "the path"} in the image`,
    patch: `{"spec":{"template":{"spec":{"securityContext":{"fsGroup":${sc.runAsUser ?? 10001}}}}}}`,
  }),
};

function userOf(sc: SecurityContext): string {
  return sc.runAsUser !== undefined ? `UID ${sc.runAsUser}` : "the image's non-root user";
}

function matchLogs(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const found = firstHit(ctx, c);
  if (!found) return undefined;
  const thing = subject(found.hit);
  const sc = securityOf(ctx, c);
  const e = EXPLAIN[found.kind](thing, sc, c);
  const w = workloadRef(ctx);
  return diagnosis(ctx, {
    rule: `permission-${found.kind}`,
    category: "PermissionDenied",
    summary: `Container ${c.name} lacks permission: ${e.cause.split(":")[0]}`,
    rootCause: `Container ${c.name} fails with "${found.hit.text.trim().slice(0, 200)}" (log line ${found.hit.n}): ${e.cause}.`,
    confidence: (found.kind === "capability" ? 0.78 : 0.87) - latePenalty(found.hit.late),
    cites: [{ id: found.hit.evidenceId, excerpt: excerptOf(found.hit, 2) }, ...podEvidence(ctx, "PodSpec").map((id) => ({ id }))],
    test: `${kubectl(ctx)} debug ${ctx.target.pod ?? "POD"} -it --copy-to=debug --container=${c.name} -- sh -c 'id; ls -ld ${thing ?? "/"}'`,
    remediation: [{ title: e.fix, stage: "Fix", commands: e.patch ? [`${kubectl(ctx)} patch ${w.ref} -p '${e.patch}'`] : [`${kubectl(ctx)} edit ${w.ref}`], patch: e.patch, risk: "Medium", rollback: w.rollable ? [`${kubectl(ctx)} rollout undo ${w.ref}`] : undefined }],
    prevention: ["Run CI smoke tests of the image with the same securityContext as production (non-root, read-only root filesystem, dropped capabilities)."],
  });
}

export const permissionRules: TriageRule[] = [
  { name: "run-as-non-root", match: matchRunAsNonRoot },
  { name: "permission-denied", match: matchLogs },
];
