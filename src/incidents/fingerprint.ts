import { createHash } from "node:crypto";
import type { V1OwnerReference, V1Pod } from "@kubernetes/client-node";
import type { PodFailure } from "../triggers/detect.js";

export interface Workload {
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
}

export interface Fingerprint {
  /** Human-readable identity: namespace/kind/name/container/signature. */
  fingerprint: string;
  /** 20 hex characters of its sha256; the value of the fingerprint label. */
  hash: string;
  /** Deterministic incident name (DNS-1123 label, ≤ 63 characters). */
  incidentName: string;
}

const CRONJOB_JOB = /^(.+)-(\d{8,})$/;

/**
 * The workload a pod belongs to, read from its controller ownerReference alone
 * (no API call): a ReplicaSet named `<deployment>-<pod-template-hash>` maps to
 * its Deployment, a Job named `<cronjob>-<scheduled minutes>` to its CronJob.
 */
export function workloadOf(pod: V1Pod): Workload {
  const meta = pod.metadata ?? {};
  const namespace = meta.namespace ?? "default";
  const refs = meta.ownerReferences ?? [];
  const owner = refs.find((o) => o.controller) ?? refs[0];
  if (!owner) return { kind: "Pod", name: meta.name ?? "", namespace, uid: meta.uid };
  return ownerWorkload(owner, meta.labels?.["pod-template-hash"], namespace);
}

function ownerWorkload(owner: V1OwnerReference, templateHash: string | undefined, namespace: string): Workload {
  if (owner.kind === "ReplicaSet" && templateHash && owner.name.endsWith(`-${templateHash}`)) {
    return { kind: "Deployment", name: owner.name.slice(0, -templateHash.length - 1), namespace };
  }
  const cron = owner.kind === "Job" ? CRONJOB_JOB.exec(owner.name) : null;
  if (cron) return { kind: "CronJob", name: cron[1]!, namespace };
  return { kind: owner.kind, name: owner.name, namespace, uid: owner.uid };
}

/** One fingerprint, one open incident. See docs/adr/0002-fingerprint.md. */
export function fingerprintFor(workload: Workload, failure: Pick<PodFailure, "container" | "signature" | "reason">): Fingerprint {
  const fingerprint = [workload.namespace, workload.kind, workload.name, failure.container ?? "", failure.signature].join("/");
  const hash = createHash("sha256").update(fingerprint).digest("hex").slice(0, 20);
  return { fingerprint, hash, incidentName: incidentName(workload.name, failure.reason, hash) };
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

function incidentName(workload: string, reason: string, hash: string): string {
  const suffix = `-${slug(reason).slice(0, 24)}-${hash.slice(0, 8)}`;
  const head = slug(workload).slice(0, 63 - suffix.length).replace(/-$/, "");
  return `${head || "workload"}${suffix}`;
}
