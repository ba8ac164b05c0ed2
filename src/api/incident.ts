import { z } from "zod";
import { API_VERSION, Condition, ObjectMeta, Target } from "./common.js";
import { Diagnosis } from "./diagnosis.js";

export const INCIDENT_PHASES = ["Detected", "Investigating", "Diagnosed", "Failed", "Resolved"] as const;
export const IncidentPhase = z.enum(INCIDENT_PHASES);
export type IncidentPhase = z.infer<typeof IncidentPhase>;

export const TRIGGER_SOURCES = ["PodFailure", "Alert"] as const;
export const Trigger = z.object({
  source: z.enum(TRIGGER_SOURCES),
  reason: z.string().min(1).max(256).describe("Failure reason, e.g. CrashLoopBackOff, OOMKilled, or the alert name"),
  alertRef: z.object({ name: z.string().min(1).max(253), namespace: z.string().min(1).max(63) }).optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const IncidentSpec = z.object({
  target: Target,
  trigger: Trigger,
  fingerprint: z.string().min(1).max(512).describe("Owning workload + container + failure signature"),
});
export type IncidentSpec = z.infer<typeof IncidentSpec>;

export const AffectedPod = z.object({
  name: z.string().min(1).max(253),
  reason: z.string().max(256).optional(),
  restartCount: z.number().int().min(0).optional(),
  lastSeen: z.string().optional(),
});
export type AffectedPod = z.infer<typeof AffectedPod>;

export const AlertRecord = z.object({
  name: z.string().min(1).max(253),
  alertname: z.string().max(256).optional(),
  state: z.enum(["firing", "resolved"]),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
});

export const MAX_AFFECTED_PODS = 20;

export const IncidentStatus = z.object({
  phase: IncidentPhase.optional(),
  conditions: z.array(Condition).max(10).optional(),
  occurrences: z.number().int().min(0).optional(),
  recurrences: z.number().int().min(0).optional().describe("How many times the incident reopened after being Resolved"),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  investigatedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  affectedPods: z.array(AffectedPod).max(MAX_AFFECTED_PODS).optional(),
  alerts: z.array(AlertRecord).max(20).optional(),
  diagnosis: Diagnosis.optional(),
  failureReason: z.string().max(2000).optional().describe("Why the investigation failed, when phase is Failed"),
  redactions: z.number().int().min(0).optional(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const ProductionIncident = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("ProductionIncident"),
  metadata: ObjectMeta,
  spec: IncidentSpec,
  status: IncidentStatus.optional(),
});
export type ProductionIncident = z.infer<typeof ProductionIncident>;
