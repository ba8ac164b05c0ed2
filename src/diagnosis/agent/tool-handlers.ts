// What each read-only tool does over a ClusterView. Handlers return raw
// (unredacted, unbounded) text with an evidence id; ToolBox redacts, bounds,
// wraps and records it.
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import type { EvidenceSource } from "../../api/diagnosis.js";
import type { KubeObject } from "../../api/snapshot.js";
import type { ClusterView, PromSeries, ReadableKind } from "../../context/view.js";
import { describeObject, eventLines, oneLine, pruneObject } from "./describe.js";
import { relatedReport } from "./related.js";
import { diffTemplates, renderDiff, revisions } from "./rollout.js";
import { ToolInputError, type Scope } from "./scope.js";
import type { ToolInput, ToolName } from "./tool-defs.js";

export interface ToolData {
  id: string;
  source: EvidenceSource;
  title: string;
  text: string;
}

export interface HandlerContext {
  view: ClusterView;
  scope: Scope;
  /** Deep redaction of an object before it is rendered (env values of secret-looking names and the like). */
  redactValue: <T>(value: T) => T;
}

type Handler<N extends ToolName> = (ctx: HandlerContext, input: ToolInput<N>) => Promise<ToolData>;

const LOG_FETCH_BYTES = 256 * 1024;
const DEFAULT_TAIL = 100;
const MAX_GREP_LINES = 200;

const short = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 10);
const path = (ns: string | undefined, name: string): string => (ns ? `${ns}/${name}` : name);

function sourceFor(kind: ReadableKind, asSpec: boolean): EvidenceSource {
  if (kind === "Pod") return asSpec ? "PodSpec" : "PodStatus";
  if (kind === "Node") return "Node";
  return "Object";
}

async function mustGet(ctx: HandlerContext, kind: ReadableKind, ns: string | undefined, name: string): Promise<KubeObject> {
  const obj = await ctx.view.get(kind, ns, name);
  if (!obj) throw new ToolInputError(`${kind} ${path(ns, name)} not found`);
  return obj;
}

const describe: Handler<"describe"> = async (ctx, input) => {
  const kind = ctx.scope.kind(input.kind);
  const ns = ctx.scope.namespace(kind, input.namespace);
  const obj = ctx.redactValue(await mustGet(ctx, kind, ns, input.name));
  const events = await ctx.view.events({ namespace: ns ?? "", kind, name: input.name, ...(obj.metadata.uid ? { uid: String(obj.metadata.uid) } : {}) });
  const text = `${describeObject(obj)}\nEvents:\n${eventLines(events, 15)}`;
  return { id: `tool/describe/${kind}/${path(ns, input.name)}`, source: sourceFor(kind, false), title: `describe ${kind} ${path(ns, input.name)}`, text };
};

const getObject: Handler<"get_object"> = async (ctx, input) => {
  const kind = ctx.scope.kind(input.kind);
  const ns = ctx.scope.namespace(kind, input.namespace);
  const obj = ctx.redactValue(await mustGet(ctx, kind, ns, input.name));
  return { id: `tool/get/${kind}/${path(ns, input.name)}`, source: sourceFor(kind, true), title: `${kind} ${path(ns, input.name)}`, text: stringify(pruneObject(obj)) };
};

const listObjects: Handler<"list_objects"> = async (ctx, input) => {
  const kind = ctx.scope.kind(input.kind);
  const ns = ctx.scope.namespace(kind, input.namespace);
  const opts = { ...(input.labelSelector ? { labelSelector: input.labelSelector } : {}), ...(input.fieldSelector ? { fieldSelector: input.fieldSelector } : {}) };
  const items = await ctx.view.list(kind, ns, opts);
  const limit = input.limit ?? 50;
  const lines = items.slice(0, limit).map(oneLine);
  if (items.length > limit) lines.push(`… ${items.length - limit} more`);
  const selectors = Object.values(opts).join("|");
  return { id: `tool/list/${kind}/${ns ?? "cluster"}${selectors ? `/${short(selectors)}` : ""}`, source: "Object", title: `list ${kind} in ${ns ?? "cluster"}`, text: lines.join("\n") || "(none)" };
};

function compileGrep(pattern: string): RegExp {
  if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(pattern)) throw new ToolInputError("grep: nested quantifiers are not allowed; use a simpler pattern");
  try {
    return new RegExp(pattern, "i");
  } catch (cause) {
    throw new ToolInputError(`grep: invalid regular expression: ${(cause as Error).message}`);
  }
}

function selectLines(text: string, input: ToolInput<"get_logs">): { lines: string[]; total: number } {
  const all = text.split("\n");
  if (all.at(-1) === "") all.pop();
  const numbered = all.map((l, i) => `${i + 1}: ${l}`);
  if (input.grep) {
    const re = compileGrep(input.grep);
    const hits = numbered.filter((_l, i) => re.test(all[i]!));
    return { lines: hits.slice(-(input.tailLines ?? MAX_GREP_LINES)), total: all.length };
  }
  return { lines: numbered.slice(-(input.tailLines ?? DEFAULT_TAIL)), total: all.length };
}

async function containerOf(ctx: HandlerContext, ns: string, podName: string, requested?: string): Promise<string> {
  if (requested) return requested;
  const pod = await mustGet(ctx, "Pod", ns, podName);
  const first = (pod as { spec?: { containers?: { name: string }[] } }).spec?.containers?.[0]?.name;
  if (!first) throw new ToolInputError(`Pod ${ns}/${podName} has no containers`);
  return first;
}

const getLogs: Handler<"get_logs"> = async (ctx, input) => {
  const ns = ctx.scope.ns(input.namespace);
  const container = await containerOf(ctx, ns, input.pod, input.container);
  const previous = input.previous ?? false;
  const res = await ctx.view.logs({ namespace: ns, pod: input.pod, container, previous, limitBytes: LOG_FETCH_BYTES });
  const which = previous ? "previous" : "current";
  if (!res.found) throw new ToolInputError(`no ${which} logs for ${ns}/${input.pod} (${container}): ${res.reason}`);
  const { lines, total } = selectLines(res.text, input);
  const what = input.grep ? `${lines.length} line(s) matching /${input.grep}/ of ${total}` : `last ${lines.length} of ${total} line(s)`;
  const variant = input.grep || input.tailLines ? `?${short(`${input.grep ?? ""}|${input.tailLines ?? ""}`)}` : "";
  return {
    id: `tool/logs/${ns}/${input.pod}/${container}${previous ? "/previous" : ""}${variant}`,
    source: "Logs",
    title: `${which} logs of ${ns}/${input.pod} (${container}), ${what}${res.truncated ? ", fetched tail only" : ""}`,
    text: lines.join("\n") || "(no matching lines)",
  };
};

const getEvents: Handler<"get_events"> = async (ctx, input) => {
  const kind = ctx.scope.kind(input.kind);
  const ns = ctx.scope.namespace(kind, input.namespace);
  const events = await ctx.view.events({ namespace: ns ?? "", kind, name: input.name });
  return { id: `tool/events/${kind}/${path(ns, input.name)}`, source: "Event", title: `events of ${kind} ${path(ns, input.name)}`, text: eventLines(events) };
};

const rolloutDiff: Handler<"rollout_diff"> = async (ctx, input) => {
  const ns = ctx.scope.ns(input.namespace);
  const workload = await mustGet(ctx, input.kind, ns, input.name);
  const revs = await revisions(ctx.view, workload);
  const list = `revisions: ${revs.map((r) => `${r.revision} (${r.name})`).join(", ") || "(none found)"}`;
  const to = input.toRevision === undefined ? revs.at(-1) : revs.find((r) => r.revision === input.toRevision);
  const before = revs.filter((r) => to && r.revision < to.revision);
  const from = input.fromRevision === undefined ? before.at(-1) : revs.find((r) => r.revision === input.fromRevision);
  const base = `tool/rollout/${input.kind}/${ns}/${input.name}`;
  if (!to || !from) return { id: base, source: "Rollout", title: `rollout history of ${input.kind} ${ns}/${input.name}`, text: `${list}\nno pair of revisions to compare` };
  const text = `${list}\n${renderDiff(from, to, diffTemplates(from.template, to.template))}`;
  return { id: `${base}/${from.revision}-${to.revision}`, source: "Rollout", title: `rollout diff of ${input.kind} ${ns}/${input.name}`, text };
};

const related: Handler<"related_objects"> = async (ctx, input) => {
  const ns = ctx.scope.ns(input.namespace);
  const pod = ctx.redactValue(await mustGet(ctx, "Pod", ns, input.pod));
  return { id: `tool/related/${ns}/${input.pod}`, source: "Object", title: `objects related to Pod ${ns}/${input.pod}`, text: await relatedReport(ctx.view, pod) };
};

function seriesLines(series: PromSeries[], maxPoints: number): string {
  if (series.length === 0) return "(no series)";
  return series
    .slice(0, 30)
    .map((s) => {
      const vs = s.values.map((p) => p.v);
      const step = Math.max(1, Math.ceil(s.values.length / maxPoints));
      const pts = s.values.filter((_p, i) => i % step === 0 || i === s.values.length - 1).map((p) => `${new Date(p.t * 1000).toISOString().slice(11, 19)}=${p.v}`);
      const stats = vs.length > 1 ? ` min ${Math.min(...vs)} max ${Math.max(...vs)} last ${vs.at(-1)}` : "";
      return `${JSON.stringify(s.metric)}${stats}\n  ${pts.join(" ")}`;
    })
    .join("\n");
}

function metricsOf(ctx: HandlerContext): NonNullable<ClusterView["metrics"]> {
  if (!ctx.view.metrics) throw new ToolInputError("no Prometheus is configured for this cluster");
  return ctx.view.metrics;
}

const promqlQuery: Handler<"promql_query"> = async (ctx, input) => {
  const at = input.time ? new Date(input.time) : ctx.view.now();
  const series = await metricsOf(ctx).instant(input.query, at);
  return { id: `tool/promql/${short(`${input.query}|${at.toISOString()}`)}`, source: "Metrics", title: `PromQL ${input.query} at ${at.toISOString()}`, text: seriesLines(series, 1) };
};

const promqlRange: Handler<"promql_range"> = async (ctx, input) => {
  const end = ctx.view.now();
  const minutes = input.minutes ?? 60;
  const stepSeconds = input.stepSeconds ?? 60;
  const series = await metricsOf(ctx).range({ query: input.query, start: new Date(end.getTime() - minutes * 60_000), end, stepSeconds });
  return { id: `tool/promql/${short(`${input.query}|${minutes}|${stepSeconds}|${end.toISOString()}`)}`, source: "Metrics", title: `PromQL ${input.query} over ${minutes}m`, text: seriesLines(series, 20) };
};

export const HANDLERS: { [N in ToolName]: Handler<N> } = {
  describe,
  get_object: getObject,
  list_objects: listObjects,
  get_logs: getLogs,
  get_events: getEvents,
  rollout_diff: rolloutDiff,
  related_objects: related,
  promql_query: promqlQuery,
  promql_range: promqlRange,
};
