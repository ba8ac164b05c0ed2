import { z } from "zod";

/**
 * The closed set of root-cause categories. A category names the cause, not the
 * symptom: a container killed at its memory limit is OutOfMemory whether the pod
 * shows OOMKilled, CrashLoopBackOff or an exit code of 137.
 */
export const CATEGORIES = [
  "OutOfMemory",
  "ImagePull",
  "MissingConfiguration",
  "ApplicationConfiguration",
  "BadCommand",
  "ProbeFailure",
  "DependencyFailure",
  "NetworkPolicy",
  "Unschedulable",
  "StorageFailure",
  "PermissionDenied",
  "ApplicationError",
  "QuotaExceeded",
  "NodeFailure",
  "Unknown",
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const EVIDENCE_SOURCES = ["PodStatus", "PodSpec", "Logs", "Event", "Rollout", "Node", "Metrics", "Object", "Alert"] as const;
export const EvidenceSource = z.enum(EVIDENCE_SOURCES);
export type EvidenceSource = z.infer<typeof EvidenceSource>;

/** A piece of evidence as recorded on an incident: a stable id, where it came from, and a redacted excerpt. */
export const EvidenceItem = z.object({
  id: z.string().min(1).max(253).describe("Stable id, e.g. logs/shop/web-1/web/previous#L12-L30, event/<uid>, rollout/web/rev3-rev4"),
  source: EvidenceSource,
  excerpt: z.string().max(4000).describe("Redacted excerpt of the evidence"),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const VERDICTS = ["Confirmed", "Refuted", "Possible", "Untested"] as const;
export const Hypothesis = z.object({
  statement: z.string().min(1).max(1000),
  verdict: z.enum(VERDICTS),
  evidence: z.array(z.string()).max(20).default([]).describe("Evidence ids supporting the verdict"),
  test: z.string().max(1000).optional().describe("What would confirm or refute it"),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

export const REMEDIATION_STAGES = ["Stabilize", "Fix", "Prevent"] as const;
export const RISKS = ["Low", "Medium", "High"] as const;
export const Remediation = z.object({
  title: z.string().min(1).max(300),
  stage: z.enum(REMEDIATION_STAGES).default("Fix"),
  description: z.string().max(2000).optional(),
  commands: z.array(z.string().max(2000)).max(10).default([]),
  patch: z.string().max(4000).optional().describe("A patch (YAML or JSON) to apply"),
  risk: z.enum(RISKS).default("Low"),
  rollback: z.array(z.string().max(2000)).max(10).optional().describe("How to undo this step"),
});
export type Remediation = z.infer<typeof Remediation>;

export const Usage = z.object({
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  cacheReadInputTokens: z.number().int().min(0).default(0),
  cacheCreationInputTokens: z.number().int().min(0).default(0),
  costUSD: z.number().min(0).default(0),
  steps: z.number().int().min(0).default(0),
  requests: z.number().int().min(0).default(0),
});
export type Usage = z.infer<typeof Usage>;

export const DIAGNOSIS_MODES = ["agent", "rules"] as const;

/** What an investigation concluded. Written to ProductionIncident.status.diagnosis. */
export const Diagnosis = z.object({
  category: Category,
  summary: z.string().min(1).max(300).describe("One line a person can act on"),
  rootCause: z.string().min(1).max(4000).describe("What failed and why, naming the concrete thing"),
  confidence: z.number().min(0).max(1),
  hypotheses: z.array(Hypothesis).max(10).default([]),
  evidence: z.array(EvidenceItem).max(40).default([]),
  remediation: z.array(Remediation).max(10).default([]),
  prevention: z.array(z.string().max(1000)).max(10).default([]),
  mode: z.enum(DIAGNOSIS_MODES),
  model: z.string().max(100).optional(),
  rule: z.string().max(100).optional().describe("The triage rule that matched, in rules mode"),
  usage: Usage.optional(),
  durationMs: z.number().int().min(0).default(0),
  notes: z.array(z.string().max(1000)).max(10).default([]).describe("Why the mode was chosen, fallbacks, suspicious content seen"),
});
export type Diagnosis = z.infer<typeof Diagnosis>;
export type DiagnosisInput = z.input<typeof Diagnosis>;
