// A scripted "model" for the fake Anthropic API that can investigate any
// incident the agent sends it: it reads the brief, makes a few read-only tool
// calls about the target, then submits a diagnosis that adopts the triage
// category and cites only evidence ids it was shown. Used by the agent
// benchmark and by end-to-end tests that need agent diagnoses without a real
// model.
import { reply, toolUse, type FakeBlock, type FakeReply, type FakeScript, type RecordedRequest } from "./anthropic.js";
import { CATEGORIES } from "../../src/api/diagnosis.js";

interface Block {
  type: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
}
interface Msg {
  role: string;
  content: string | Block[];
}

interface Target {
  kind: string;
  namespace: string;
  name: string;
  pod?: string;
  container?: string;
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

function messages(req: RecordedRequest): Msg[] {
  return (req.body?.messages ?? []) as Msg[];
}

function textOf(m: Msg | undefined): string {
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  return m.content.map((b) => (typeof b.text === "string" ? b.text : typeof b.content === "string" ? b.content : "")).join("\n");
}

export function parseTarget(brief: string): Target | undefined {
  const m = /Incident: .+? on (\w+) ([^/\s]+)\/([^,\s]+?)(?:, pod ([^,\s]+?))?(?:, container ([^,\s]+?))?\. Observed at/.exec(brief);
  if (!m) return undefined;
  return { kind: m[1]!, namespace: m[2]!, name: m[3]!, ...(m[4] ? { pod: m[4] } : {}), ...(m[5] ? { container: m[5] } : {}) };
}

/** Ids shown to the model: every untrusted-data block of the brief and of successful tool results. */
export function shownIds(msgs: Msg[]): string[] {
  const ids: string[] = [];
  for (const m of msgs.filter((x) => x.role === "user")) {
    const blocks = typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
    for (const b of blocks.filter((x) => !x.is_error)) {
      const text = typeof b.text === "string" ? b.text : typeof b.content === "string" ? b.content : "";
      for (const hit of text.matchAll(/<untrusted-data id="([^"]+)"/g)) ids.push(hit[1]!);
    }
  }
  return [...new Set(ids)];
}

function firstTurn(t: Target): FakeBlock[] {
  const pod = t.pod ?? (t.kind === "Pod" ? t.name : undefined);
  if (!pod) return [toolUse("get_events", { kind: t.kind, name: t.name, namespace: t.namespace })];
  return [
    toolUse("describe", { kind: "Pod", name: pod, namespace: t.namespace }),
    toolUse("get_logs", { pod, namespace: t.namespace, previous: true, tailLines: 60, ...(t.container ? { container: t.container } : {}) }),
  ];
}

function secondTurn(t: Target): FakeBlock[] {
  const blocks = [toolUse("get_events", { kind: t.kind, name: t.name, namespace: t.namespace })];
  if (WORKLOADS.has(t.kind)) blocks.unshift(toolUse("rollout_diff", { kind: t.kind, name: t.name, namespace: t.namespace }));
  return blocks;
}

function submission(brief: string, ids: string[]): Record<string, unknown> {
  const rulesCategory = /category: (\w+); confidence/.exec(brief)?.[1];
  const category = CATEGORIES.includes(rulesCategory as (typeof CATEGORIES)[number]) ? rulesCategory : "Unknown";
  const cite = ids.slice(0, 3);
  return {
    category,
    summary: `Scripted diagnosis: ${category}`,
    baseline: "The previous revision ran with all replicas ready; the current one does not.",
    rootCause: `The evidence points at ${category} (scripted investigation).`,
    rootCauseEvidence: cite.length ? cite : ["none-shown"],
    confidence: category === "Unknown" ? 0.2 : 0.7,
    hypotheses: [
      { statement: `The failure is ${category}`, verdict: "Confirmed", evidence: cite.slice(0, 2), test: "read the logs and the rollout diff" },
      { statement: "The node is at fault", verdict: "Untested", evidence: [] },
    ],
    remediation: [
      { title: "Roll back to the last working revision", stage: "Stabilize", commands: ["kubectl rollout undo"], risk: "Low", rollback: ["kubectl rollout undo"] },
      { title: "Correct the cause", stage: "Fix", risk: "Medium" },
      { title: "Add a pre-deploy check", stage: "Prevent", risk: "Low" },
    ],
    prevention: ["Check configuration before rollout"],
  };
}

export interface ScriptOptions {
  /** Tool-calling turns before the submission (0–2). */
  toolTurns?: number;
}

/** The script: tool turns about the brief's target, then a submission citing shown ids. */
export function scriptedInvestigation(opts: ScriptOptions = {}): FakeScript {
  const toolTurns = Math.min(2, Math.max(0, opts.toolTurns ?? 2));
  return (req: RecordedRequest): FakeReply => {
    const msgs = messages(req);
    const brief = textOf(msgs[0]);
    const turn = msgs.filter((m) => m.role === "assistant").length;
    const target = parseTarget(brief);
    const forced = (req.body?.tool_choice as { type?: string } | undefined)?.type === "tool";
    if (target && turn < toolTurns && !forced) return reply(...(turn === 0 ? firstTurn(target) : secondTurn(target)));
    return reply(toolUse("submit_diagnosis", submission(brief, shownIds(msgs))));
  };
}
