// The read-only tools the agent may call: their input schemas (zod, checked
// before anything runs) and their definitions as the API sees them. There are
// no write tools, and none can be added by configuration.
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { toolInputSchema } from "./json-schema.js";

const name = z.string().min(1).max(253);
const namespace = z.string().min(1).max(63).optional().describe("Defaults to the target's namespace");
const kind = z.string().min(1).max(64).describe("Kubernetes kind, e.g. Pod, Deployment, ConfigMap (never Secret)");

export const TOOL_INPUTS = {
  describe: z.object({ kind, name, namespace }).strict(),
  get_object: z.object({ kind, name, namespace }).strict(),
  list_objects: z
    .object({
      kind,
      namespace,
      labelSelector: z.string().max(500).optional(),
      fieldSelector: z.string().max(500).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    })
    .strict(),
  get_logs: z
    .object({
      pod: name,
      container: z.string().min(1).max(63).optional().describe("Defaults to the first container"),
      namespace,
      previous: z.boolean().optional().describe("Logs of the previous (crashed) instance"),
      tailLines: z.number().int().min(1).max(500).optional(),
      grep: z.string().min(1).max(200).optional().describe("Regular expression; only matching lines, with line numbers"),
    })
    .strict(),
  get_events: z.object({ kind, name, namespace }).strict(),
  rollout_diff: z
    .object({
      kind: z.enum(["Deployment", "StatefulSet", "DaemonSet"]),
      name,
      namespace,
      fromRevision: z.number().int().min(0).optional().describe("Defaults to the revision before toRevision"),
      toRevision: z.number().int().min(0).optional().describe("Defaults to the latest"),
    })
    .strict(),
  related_objects: z.object({ pod: name, namespace }).strict(),
  promql_query: z.object({ query: z.string().min(1).max(1000), time: z.iso.datetime({ offset: true }).optional() }).strict(),
  promql_range: z
    .object({
      query: z.string().min(1).max(1000),
      minutes: z.number().int().min(1).max(1440).optional().describe("Window ending now; default 60"),
      stepSeconds: z.number().int().min(15).max(3600).optional().describe("Default 60"),
    })
    .strict(),
} as const;

export type ToolName = keyof typeof TOOL_INPUTS;
export type ToolInput<N extends ToolName> = z.infer<(typeof TOOL_INPUTS)[N]>;

const DESCRIPTIONS: Record<ToolName, string> = {
  describe: "Summary of one object like `kubectl describe`: status, conditions, containers, probes, resources, env references.",
  get_object: "One object as stored (managedFields removed). Secrets cannot be read.",
  list_objects: "Objects of a kind in a namespace, one line each, optionally filtered by label or field selector.",
  get_logs: "Container logs, current or previous instance, last lines or lines matching a regular expression.",
  get_events: "Events about one object, oldest first.",
  rollout_diff: "Pod-template changes between two revisions of a Deployment, StatefulSet or DaemonSet, and the revision list.",
  related_objects: "What a pod depends on: Services and Endpoints selecting it, NetworkPolicies that apply, PVCs, ConfigMaps and Secret names it references (existence only), its node, quotas.",
  promql_query: "Instant PromQL query against the cluster's Prometheus.",
  promql_range: "Range PromQL query over the last minutes.",
};

export const METRICS_TOOLS: ReadonlySet<ToolName> = new Set(["promql_query", "promql_range"]);

/** Tool definitions, in a fixed order so the cached prefix stays byte-identical. */
export function toolDefinitions(withMetrics: boolean): Anthropic.Tool[] {
  return (Object.keys(TOOL_INPUTS) as ToolName[])
    .filter((n) => withMetrics || !METRICS_TOOLS.has(n))
    .map((n) => ({ name: n, description: DESCRIPTIONS[n], input_schema: toolInputSchema(TOOL_INPUTS[n]) }));
}

export function isToolName(n: string): n is ToolName {
  return Object.hasOwn(TOOL_INPUTS, n);
}
