// The Alertmanager webhook payload (version 4), validated with messages that say
// what is wrong and where, e.g. `alerts[2].labels: must include alertname`.
import { z } from "zod";

const LabelSet = z.record(z.string(), z.string());
const Time = z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" });
const State = z.enum(["firing", "resolved"]);

export const MAX_WEBHOOK_ALERTS = 1000;

export const WebhookAlert = z.object({
  status: State,
  labels: LabelSet.refine((l) => typeof l.alertname === "string" && l.alertname.length > 0, "must include alertname"),
  annotations: LabelSet.default({}),
  startsAt: Time,
  endsAt: Time.optional(),
  generatorURL: z.string().max(4096).default(""),
  fingerprint: z.string().min(1, "must not be empty").max(256),
});
export type WebhookAlert = z.infer<typeof WebhookAlert>;

export const WebhookPayload = z.object({
  version: z.literal("4", { message: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: State,
  receiver: z.string(),
  groupLabels: LabelSet.default({}),
  commonLabels: LabelSet.default({}),
  commonAnnotations: LabelSet.default({}),
  externalURL: z.string().default(""),
  alerts: z.array(WebhookAlert).max(MAX_WEBHOOK_ALERTS, `at most ${MAX_WEBHOOK_ALERTS} alerts per request`),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return out || "(body)";
}

/** At most `max` issues, one per line: `alerts[0].status: Invalid option: expected one of "firing"|"resolved"`. */
export function describeIssues(error: z.ZodError, max = 10): string {
  const lines = error.issues.slice(0, max).map((i) => `${pathText(i.path)}: ${i.message}`);
  const more = error.issues.length > max ? `\n(${error.issues.length - max} more)` : "";
  return lines.join("\n") + more;
}

export type ParseResult = { ok: true; payload: WebhookPayload } | { ok: false; message: string };

/** Parses a request body: JSON, then the v4 schema. */
export function parseWebhookPayload(body: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, message: `the body is not JSON: ${(err as Error).message}` };
  }
  const parsed = WebhookPayload.safeParse(json);
  if (!parsed.success) return { ok: false, message: `not an Alertmanager webhook payload (version 4):\n${describeIssues(parsed.error)}` };
  return { ok: true, payload: parsed.data };
}
