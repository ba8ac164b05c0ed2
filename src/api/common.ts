import { z } from "zod";

export const GROUP = "productionfixer.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
/** The one field manager for everything the operator writes. */
export const FIELD_MANAGER = "production-fixer";

export const LABEL_FINGERPRINT = `${GROUP}/fingerprint`;
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const ANNOTATION_FINGERPRINT = `${GROUP}/fingerprint-source`;

export const TARGET_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Namespace", "Node"] as const;
export const Target = z.object({
  kind: z.enum(TARGET_KINDS),
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  container: z.string().max(63).optional(),
});
export type Target = z.infer<typeof Target>;

export const ObjectMeta = z.object({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().optional(),
}).passthrough();

export const CONDITION_STATUS = ["True", "False", "Unknown"] as const;
/** metav1.Condition */
export const Condition = z.object({
  type: z.string().min(1).max(316),
  status: z.enum(CONDITION_STATUS),
  reason: z.string().min(1).max(1024).regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32768),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type Condition = z.infer<typeof Condition>;
