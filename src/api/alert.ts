import { z } from "zod";
import { API_VERSION, Condition, ObjectMeta, Target } from "./common.js";

export const ALERT_PHASES = ["Pending", "Correlated", "Investigating", "Diagnosed", "Resolved", "Failed"] as const;
export const ALERT_SEVERITIES = ["critical", "error", "warning", "info", "none"] as const;

export const AlertSpec = z.object({
  source: z.string().min(1).max(63).describe("Where the alert came from: alertmanager, manual, ci, ..."),
  name: z.string().min(1).max(256).describe("The alert name (alertname)"),
  severity: z.enum(ALERT_SEVERITIES).default("warning"),
  summary: z.string().max(1024).optional(),
  description: z.string().max(8192).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  target: Target.optional().describe("What the alert is about; derived from labels when absent"),
  state: z.enum(["firing", "resolved"]).default("firing"),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().max(256).optional(),
});
export type AlertSpec = z.infer<typeof AlertSpec>;

export const AlertStatus = z.object({
  phase: z.enum(ALERT_PHASES).optional(),
  incidentRef: z.object({ name: z.string(), namespace: z.string() }).optional(),
  message: z.string().max(2000).optional(),
  conditions: z.array(Condition).max(10).optional(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type AlertStatus = z.infer<typeof AlertStatus>;

export const ProductionAlert = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("ProductionAlert"),
  metadata: ObjectMeta,
  spec: AlertSpec,
  status: AlertStatus.optional(),
});
export type ProductionAlert = z.infer<typeof ProductionAlert>;
