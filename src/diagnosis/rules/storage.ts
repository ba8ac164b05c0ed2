import type { InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, latePenalty } from "./build.js";
import { excerptOf, findInLogs } from "./logs.js";
import { containersByFailure, failingContainer, kubectl, workloadRef } from "./subject.js";

interface PvcObject {
  spec?: { storageClassName?: string; volumeName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}

type Related = InvestigationContext["related"][number];

function pendingClaims(ctx: InvestigationContext): Related[] {
  return ctx.related.filter((r) => r.kind === "PersistentVolumeClaim" && ((r.object as PvcObject | undefined)?.status?.phase === "Pending" || /\bPending\b/.test(r.summary)));
}

interface ClaimCause {
  cause: string;
  fix: string;
  command: string;
  missingClass?: string;
}

function storageClassOf(pvc: Related): string | undefined {
  return (pvc.object as PvcObject | undefined)?.spec?.storageClassName ?? /storageClass(?:Name)?[=: ]+"?([\w.-]+)/.exec(pvc.summary)?.[1];
}

/** The StorageClass the claim names that does not exist, from the provisioning event or the collected classes. */
function missingClass(ctx: InvestigationContext, pvc: Related, sc: string | undefined, provisioning: string | undefined): string | undefined {
  const notFound = /storageclass\.storage\.k8s\.io "([^"]+)" not found/.exec(provisioning ?? pvc.summary)?.[1];
  if (notFound || !sc) return notFound;
  const classes = ctx.related.filter((r) => r.kind === "StorageClass");
  if (classes.length > 0 && !classes.some((r) => r.name === sc)) return sc;
  return /not found|missing|does not exist/i.test(pvc.summary) ? sc : undefined;
}

function claimCause(ctx: InvestigationContext, pvc: Related): ClaimCause {
  const sc = storageClassOf(pvc);
  const provisioning = ctx.events.find((e) => /ProvisioningFailed|FailedBinding/.test(e.reason) && (e.involved.name === pvc.name || e.message.includes(pvc.name)));
  const missing = missingClass(ctx, pvc, sc, provisioning?.message);
  if (missing) {
    return {
      cause: `PersistentVolumeClaim ${pvc.name} is Pending because its StorageClass "${missing}" does not exist (StorageClass not found), so nothing provisions a volume`,
      fix: `Point the claim at an existing StorageClass (kubectl get storageclass) or create "${missing}"; storageClassName is immutable, so recreate the claim`,
      command: `kubectl get storageclass`,
      missingClass: missing,
    };
  }
  if (!sc) {
    return { cause: `PersistentVolumeClaim ${pvc.name} is Pending: it names no StorageClass and there is no default StorageClass or matching PersistentVolume`, fix: "Set storageClassName or mark a StorageClass as default", command: `kubectl get storageclass,pv` };
  }
  return { cause: `PersistentVolumeClaim ${pvc.name} (StorageClass ${sc}) is Pending: the provisioner has not created a volume${provisioning ? ` (${provisioning.message})` : ""}`, fix: `Check the ${sc} provisioner and its events`, command: `${kubectl(ctx)} describe pvc ${pvc.name}` };
}

function unboundCause(ctx: InvestigationContext, pvc: Related | undefined, schedMessage: string | undefined): ClaimCause & { claim?: string } {
  if (pvc) return { ...claimCause(ctx, pvc), claim: pvc.name };
  const missingClaim = schedMessage ? /persistentvolumeclaim "([^"]+)" not found/.exec(schedMessage)?.[1] : undefined;
  return { cause: missingClaim ? `PersistentVolumeClaim ${missingClaim} does not exist` : "a PersistentVolumeClaim of the pod is unbound", fix: "Create or bind the claim", command: `${kubectl(ctx)} get pvc`, claim: missingClaim };
}

function matchPendingClaim(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const sched = ctx.events.find((e) => e.reason === "FailedScheduling" && /unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found/.test(e.message));
  const pvc = pendingClaims(ctx)[0];
  if (!pvc && !sched) return undefined;
  const c = unboundCause(ctx, pvc, sched?.message);
  return diagnosis(ctx, {
    rule: c.missingClass ? "storage-class-missing" : "pvc-pending",
    category: "StorageFailure",
    summary: `Pod cannot start: ${c.cause.split(", so")[0]}`,
    rootCause: `${c.cause}. The pod stays Pending until the claim is bound${sched ? ` (${sched.message.slice(0, 200)})` : ""}.`,
    confidence: pvc ? 0.93 : 0.85,
    cites: [{ id: pvc?.evidenceId }, { id: sched?.evidenceId, excerpt: sched?.message }],
    test: `${kubectl(ctx)} describe pvc ${c.claim ?? ""} — the Events section names the provisioning error`.replace("  ", " "),
    remediation: [{ title: c.fix, stage: "Fix", commands: [c.command], risk: "Medium" }],
    prevention: ["Keep a default StorageClass and reference classes by names the cluster provides (check in CI against the target cluster)."],
  });
}

const CONFIG_MOUNT = /(configmap|secret)s? "[^"]+" not found/i;

function matchMountFailure(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const ev = ctx.events.find((e) => /^(FailedMount|FailedAttachVolume|FailedMapVolume)$/.test(e.reason) && !CONFIG_MOUNT.test(e.message));
  if (!ev) return undefined;
  const volume = /volume "([^"]+)"/.exec(ev.message)?.[1] ?? /unmounted volumes=\[([^\]]+)\]/.exec(ev.message)?.[1] ?? "a volume";
  const multiAttach = /Multi-Attach error/.test(ev.message);
  const cause = multiAttach
    ? `volume ${volume} is ReadWriteOnce and still attached to another node (Multi-Attach error): a previous pod or node still holds it`
    : `volume ${volume} cannot be ${ev.reason === "FailedMount" ? "mounted" : "attached"}: ${ev.message.slice(0, 300)}`;
  return diagnosis(ctx, {
    rule: multiAttach ? "volume-multi-attach" : "volume-mount-failed",
    category: "StorageFailure",
    summary: `Pod is stuck in ContainerCreating: ${cause.split(":")[0]}`,
    rootCause: `The kubelet cannot set up the pod's volumes: ${cause}.`,
    confidence: 0.88,
    cites: [{ id: ev.evidenceId, excerpt: ev.message }, ...ctx.related.filter((r) => r.kind === "PersistentVolumeClaim").map((r) => ({ id: r.evidenceId }))],
    test: multiAttach ? "kubectl get volumeattachments | grep <pv>; find the pod/node still using it" : `${kubectl(ctx)} describe pod ${ctx.target.pod ?? ""}; check the CSI driver's node plugin logs`,
    remediation: [
      multiAttach
        ? { title: "Release the volume from the old node (delete the old pod; with a Deployment use strategy Recreate for RWO volumes)", stage: "Fix", commands: [`${kubectl(ctx)} patch ${workloadRef(ctx).ref} -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`], risk: "Medium" }
        : { title: `Fix volume ${volume}`, stage: "Fix", commands: [`${kubectl(ctx)} describe pvc`] },
    ],
    prevention: ["Use strategy Recreate (or a StatefulSet) for workloads with ReadWriteOnce volumes."],
  });
}

function matchDiskFull(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = failingContainer(ctx);
  if (!c) return undefined;
  const hit = findInLogs(ctx, c.name, /No space left on device|ENOSPC|disk full|DiskFull|Disk quota exceeded|could not extend file/i);
  if (!hit) return undefined;
  const path = /(?:write|open|mkdir|create|extend file|file) "?(\/[\w./-]+)"?/.exec(hit.text)?.[1];
  const mount = path ? containersByFailure(ctx)[0]?.volumeMounts.filter((m) => path.startsWith(m.mountPath)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0] : undefined;
  const where = mount ? `volume ${mount.name} mounted at ${mount.mountPath}` : path ? `the filesystem holding ${path}` : "a filesystem the container writes to";
  return diagnosis(ctx, {
    rule: "disk-full",
    category: "StorageFailure",
    summary: `Container ${c.name} fails writing to ${where}: no space left on device (disk full)`,
    rootCause: `${where} is full: writes fail with "No space left on device" (ENOSPC) and the app stops (log line ${hit.n}: "${hit.text.trim().slice(0, 200)}").`,
    confidence: 0.9 - latePenalty(hit.late),
    cites: [{ id: hit.evidenceId, excerpt: excerptOf(hit, 2) }, ...ctx.related.filter((r) => r.kind === "PersistentVolumeClaim").map((r) => ({ id: r.evidenceId }))],
    test: `${kubectl(ctx)} exec ${ctx.target.pod ?? "POD"} -c ${c.name} -- df -h${mount ? ` ${mount.mountPath}` : ""}`,
    remediation: [
      { title: "Expand the volume (if the StorageClass allows expansion) or free space", stage: "Stabilize", commands: mount ? [`${kubectl(ctx)} patch pvc <claim of ${mount.name}> -p '{"spec":{"resources":{"requests":{"storage":"<bigger>"}}}}'`] : [`${kubectl(ctx)} exec ${ctx.target.pod ?? "POD"} -c ${c.name} -- du -sh /*`], risk: "Medium" },
      { title: "Add retention/rotation for what fills the disk (logs, WAL, temp files)", stage: "Fix", commands: [] },
    ],
    prevention: ["Alert on kubelet_volume_stats_available_bytes / capacity below 15%."],
  });
}

export const storageRules: TriageRule[] = [
  { name: "pvc-pending", match: matchPendingClaim },
  { name: "volume-mount-failed", match: matchMountFailure },
  { name: "disk-full", match: matchDiskFull },
];
