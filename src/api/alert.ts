import { z } from "zod";
import { API_VERSION, Condition, ObjectMeta, Target } from "./common.js";

export const ALERT_PHASES = ["Pending", "Correlated", "Investigating", "Diagnosed", "Resolved", "Failed"] as const;
export type AlertPhase = (typeof ALERT_PHASES)[number];
export const ALERT_SEVERITIES = ["critical", "error", "warning", "info", "none"] as const;
export const ALERT_STATES = ["firing", "resolved"] as const;

/** Prometheus label names (the data model's rule; `__`-prefixed names are reserved but allowed here). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME_TEXT = "[a-zA-Z_][a-zA-Z0-9_]*";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_ALERT_LABELS = 64;

/**
 * An RFC 3339 timestamp (`2026-11-27T12:00:00Z`, fractional seconds and offsets
 * allowed). The CRD carries `format: date-time`, so the apiserver rejects
 * anything else with "must be of type date-time".
 */
export const Timestamp = z
  .string()
  .refine((v) => z.iso.datetime({ offset: true }).safeParse(v).success, "must be an RFC 3339 timestamp, e.g. 2026-11-27T12:00:00Z")
  .meta({ format: "date-time" });

/** Label or annotation map: Prometheus label names as keys, bounded in size; checked by CEL in the CRD. */
function labelMap(valueMax: number, what: string): z.ZodType<Record<string, string>> {
  return z
    .record(z.string(), z.string().max(valueMax))
    .superRefine((map, ctx) => {
      const keys = Object.keys(map);
      if (keys.length > MAX_ALERT_LABELS) ctx.addIssue({ code: "custom", message: `at most ${MAX_ALERT_LABELS} ${what}` });
      for (const k of keys.filter((key) => !LABEL_NAME.test(key))) {
        ctx.addIssue({ code: "custom", path: [k], message: `${what} name "${k}" must match ${LABEL_NAME_TEXT}` });
      }
    })
    .meta({
      maxProperties: MAX_ALERT_LABELS,
      "x-kubernetes-validations": [
        {
          rule: `self.all(k, k.matches('^${LABEL_NAME_TEXT}$'))`,
          message: `${what} names must match ${LABEL_NAME_TEXT}`,
          messageExpression: `'${what} name "' + self.filter(k, !k.matches('^${LABEL_NAME_TEXT}$'))[0] + '" must match ${LABEL_NAME_TEXT}'`,
        },
      ],
    });
}

export const AlertTarget = Target.extend({
  namespace: z.string().min(1).max(63).regex(DNS_LABEL, "must be a DNS-1123 label (lowercase letters, digits, '-')"),
  name: z.string().min(1).max(253).regex(DNS_SUBDOMAIN, "must be a DNS-1123 subdomain (lowercase letters, digits, '-', '.')"),
  container: z.string().max(63).regex(DNS_LABEL, "must be a DNS-1123 label (lowercase letters, digits, '-')").optional(),
});

export const AlertSpec = z.object({
  source: z.string().min(1).max(63).regex(/^[a-zA-Z0-9][-a-zA-Z0-9_.]*$/, "must be a word like alertmanager, manual or ci").describe("Where the alert came from: alertmanager, manual, ci, ..."),
  name: z.string().min(1).max(256).describe("The alert name (alertname)"),
  severity: z.enum(ALERT_SEVERITIES).default("warning"),
  summary: z.string().max(1024).optional(),
  description: z.string().max(8192).optional(),
  labels: labelMap(1024, "label").optional(),
  annotations: labelMap(8192, "annotation").optional(),
  target: AlertTarget.optional().describe("What the alert is about; derived from labels when absent"),
  state: z.enum(ALERT_STATES).default("firing"),
  startsAt: Timestamp.optional().describe("When the alert started firing (RFC 3339)"),
  endsAt: Timestamp.optional().describe("When the alert ended or will end (RFC 3339); in the past means resolved"),
  generatorURL: z.string().max(4096).optional().describe("Link to the expression that fired the alert (Prometheus graph URL)"),
  fingerprint: z.string().max(256).optional().describe("Alertmanager's fingerprint of the label set"),
});
export type AlertSpec = z.infer<typeof AlertSpec>;
export type AlertSpecInput = z.input<typeof AlertSpec>;

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
